import { describe, expect, it } from 'vitest';
import { readCalendarFiles } from '../../reference-data.ts';
import { WorkingCalendar } from '../calendar/working-time.ts';
import { stageDeadline, stageLimit, ZTimeLimits } from './deadlines.ts';

const exceptions = new Map<string, boolean>();
for (const file of readCalendarFiles()) {
  for (const holiday of file.holidays) {
    for (const day of holiday.days_off) exceptions.set(day, false);
    for (const day of holiday.make_up_workdays) exceptions.set(day, true);
  }
}
const calendar = new WorkingCalendar(exceptions);
const at = (local: string) => new Date(`${local}+08:00`);
const limits = ZTimeLimits.parse({
  accept: { amount: 2, unit: 'working_hours' },
  handle: { normal: { amount: 1, unit: 'working_days' }, urgent: { amount: 4, unit: 'working_hours' } },
  follow_up: { amount: 3, unit: 'working_days' },
});

describe('case deadlines', () => {
  it('puts the reminder at three quarters of the stage and the deadline at its end', () => {
    const { dueAt, nextCheckAt } = stageDeadline(
      calendar,
      limits,
      'accept',
      'normal',
      at('2026-11-27T09:00:00'),
    );
    expect(dueAt).toEqual(at('2026-11-27T11:00:00'));
    expect(nextCheckAt).toEqual(at('2026-11-27T10:30:00'));
  });

  it('counts only working time: a Friday-evening report is due on Monday', () => {
    const { dueAt } = stageDeadline(calendar, limits, 'accept', 'normal', at('2026-11-27T19:00:00'));
    expect(dueAt).toEqual(at('2026-11-30T10:30:00'));
  });

  it('gives urgent cases the shorter handling limit and skips the National Day holiday', () => {
    expect(stageLimit(limits, 'handle', 'urgent')).toEqual({ amount: 4, unit: 'working_hours' });
    const normal = stageDeadline(calendar, limits, 'handle', 'normal', at('2026-09-30T10:00:00'));
    expect(normal.dueAt).toEqual(at('2026-10-08T10:00:00'));
  });

  it('uses a default check limit when a category sets none, and no reminder for follow-up', () => {
    expect(stageLimit(limits, 'verify', 'normal')).toEqual({ amount: 1, unit: 'working_days' });
    const followUp = stageDeadline(calendar, limits, 'follow_up', 'normal', at('2026-11-23T10:00:00'));
    expect(followUp.dueAt).toEqual(at('2026-11-26T10:00:00'));
    expect(followUp.nextCheckAt).toEqual(followUp.dueAt);
  });

  it('refuses malformed limits', () => {
    expect(() => ZTimeLimits.parse({ accept: { amount: -1, unit: 'working_hours' } })).toThrow();
  });
});
