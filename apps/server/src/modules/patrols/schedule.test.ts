import { describe, expect, it } from 'vitest';
import { addDays, countWindows, settleWindows, windowsOf, type SchedulePlan } from './schedule.ts';

const plan: SchedulePlan = {
  id: 'plan-1',
  grid_id: 'grid-1',
  shifts: [
    { start: '08:00', end: '12:00' },
    { start: '14:00', end: '18:00' },
  ],
  days: 'daily',
  min_minutes: 20,
  valid_from: '2026-03-02',
  valid_to: null,
};
const at = (local: string) => new Date(`${local}+08:00`);
const weekendsOff = (day: string) => ![0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());

describe('patrol schedule', () => {
  it('asks for each window of each day the plan is in force, in China time', () => {
    const windows = windowsOf([plan], '2026-03-01', '2026-03-03', weekendsOff);
    expect(windows.map((w) => [w.day, w.start.toISOString(), w.end.toISOString()])).toEqual([
      ['2026-03-02', '2026-03-02T00:00:00.000Z', '2026-03-02T04:00:00.000Z'],
      ['2026-03-02', '2026-03-02T06:00:00.000Z', '2026-03-02T10:00:00.000Z'],
      ['2026-03-03', '2026-03-03T00:00:00.000Z', '2026-03-03T04:00:00.000Z'],
      ['2026-03-03', '2026-03-03T06:00:00.000Z', '2026-03-03T10:00:00.000Z'],
    ]);
  });

  it('skips days off for a working-days plan and stops after the last day', () => {
    const workdays = { ...plan, days: 'workdays', valid_to: '2026-03-09' };
    // 2026-03-07 and -08 are a weekend; the plan ends on Monday the 9th
    const days = [
      ...new Set(windowsOf([workdays], '2026-03-05', '2026-03-12', weekendsOff).map((w) => w.day)),
    ];
    expect(days).toEqual(['2026-03-05', '2026-03-06', '2026-03-09']);
  });

  it('counts a window done by a long-enough patrol started in it, and missed without one', () => {
    const windows = windowsOf([plan], '2026-03-02', '2026-03-02', weekendsOff);
    const patrols = [
      // morning: 10 minutes is too short, then a proper 40-minute round
      {
        id: 'short',
        grid_id: 'grid-1',
        state: 'ended',
        started_at: at('2026-03-02T09:00'),
        ended_at: at('2026-03-02T09:10'),
      },
      {
        id: 'long',
        grid_id: 'grid-1',
        state: 'ended',
        started_at: at('2026-03-02T10:00'),
        ended_at: at('2026-03-02T10:40'),
      },
      // another grid's patrol counts for nothing here
      {
        id: 'other',
        grid_id: 'grid-2',
        state: 'ended',
        started_at: at('2026-03-02T15:00'),
        ended_at: at('2026-03-02T16:00'),
      },
    ];
    const outcomes = settleWindows(windows, patrols, at('2026-03-02T20:00'));
    expect(outcomes.map((o) => [o.status, o.patrolId])).toEqual([
      ['done', 'long'],
      ['missed', null],
    ]);
    expect(countWindows(outcomes)).toEqual({ due: 2, done: 1, missed: 1 });
  });

  it('tells upcoming, open and under-way windows apart, and leaves them out of the rate', () => {
    const windows = windowsOf([plan], '2026-03-02', '2026-03-02', weekendsOff);
    const active = [
      { id: 'now', grid_id: 'grid-1', state: 'active', started_at: at('2026-03-02T08:30'), ended_at: null },
    ];
    expect(settleWindows(windows, active, at('2026-03-02T08:40')).map((o) => o.status)).toEqual([
      'in_progress',
      'upcoming',
    ]);
    expect(settleWindows(windows, [], at('2026-03-02T15:00')).map((o) => o.status)).toEqual([
      'missed',
      'open',
    ]);
    // the morning window has closed while the round goes on: long enough by now, so it counts
    const settled = settleWindows(windows, active, at('2026-03-02T12:30'));
    expect(settled[0]!.status).toBe('done');
    expect(countWindows(settleWindows(windows, active, at('2026-03-02T08:40')))).toEqual({
      due: 0,
      done: 0,
      missed: 0,
    });
  });

  it('adds days across month ends in China time', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
