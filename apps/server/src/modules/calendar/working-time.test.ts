import { describe, expect, it } from 'vitest';
import { readCalendarFiles } from '../../reference-data.ts';
import { WorkingCalendar } from './working-time.ts';

const exceptions = new Map<string, boolean>();
for (const calendar of readCalendarFiles()) {
  for (const holiday of calendar.holidays) {
    for (const day of holiday.days_off) exceptions.set(day, false);
    for (const day of holiday.make_up_workdays) exceptions.set(day, true);
  }
}
const calendar = new WorkingCalendar(exceptions);
const at = (local: string) => new Date(`${local}+08:00`);

describe('working calendar', () => {
  it('knows weekends, holidays and make-up working days of 2026', () => {
    expect(calendar.isWorkingDay('2026-11-27')).toBe(true); // Friday
    expect(calendar.isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(calendar.isWorkingDay('2026-10-01')).toBe(false); // National Day
    expect(calendar.isWorkingDay('2026-10-10')).toBe(true); // Saturday make-up working day
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true); // Saturday before Spring Festival
    expect(calendar.isWorkingDay('2026-02-16')).toBe(false);
    expect(calendar.isWorkingDay('2027-02-08')).toBe(false); // 2027 Spring Festival
  });

  it('counts working hours inside office hours only', () => {
    // 11:00 + 2 h: one hour before lunch, one after → 15:00
    expect(calendar.add(at('2026-11-27T11:00:00'), { amount: 2, unit: 'working_hours' })).toEqual(
      at('2026-11-27T15:00:00'),
    );
    // Friday 17:00 + 1 h → Monday 09:00
    expect(calendar.add(at('2026-11-27T17:00:00'), { amount: 1, unit: 'working_hours' })).toEqual(
      at('2026-11-30T09:00:00'),
    );
    // reported at night: the clock starts at the next working period
    expect(calendar.add(at('2026-11-26T22:00:00'), { amount: 0.5, unit: 'working_hours' })).toEqual(
      at('2026-11-27T09:00:00'),
    );
  });

  it('skips the National Day holiday and works the make-up Saturday', () => {
    // Wednesday 30 Sep 2026 10:00 + 1 working day → Thursday 8 Oct 10:00 (1–7 Oct off)
    expect(calendar.add(at('2026-09-30T10:00:00'), { amount: 1, unit: 'working_days' })).toEqual(
      at('2026-10-08T10:00:00'),
    );
    // Friday 9 Oct 10:00 + 1 working day → Saturday 10 Oct 10:00 (调休上班)
    expect(calendar.add(at('2026-10-09T10:00:00'), { amount: 1, unit: 'working_days' })).toEqual(
      at('2026-10-10T10:00:00'),
    );
  });

  it('measures working minutes between two instants', () => {
    expect(calendar.workingMinutesBetween(at('2026-11-27T11:00:00'), at('2026-11-30T09:00:00'))).toBe(
      60 + 210 + 30,
    );
    expect(calendar.workingMinutesBetween(at('2026-11-30T09:00:00'), at('2026-11-27T11:00:00'))).toBe(-300);
  });

  it('adds calendar time unchanged', () => {
    expect(calendar.add(at('2026-11-28T10:00:00'), { amount: 24, unit: 'calendar_hours' })).toEqual(
      at('2026-11-29T10:00:00'),
    );
  });
});
