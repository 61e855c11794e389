/**
 * Working time on China's official calendar: weekdays work, weekends rest, except the public holidays
 * (days off) and make-up working days (调休上班) the State Council publishes each year. Time limits
 * (时限) count working hours inside the working periods, or working days of those hours.
 *
 * China has one time zone without daylight saving (UTC+8), so local clock arithmetic is exact.
 */
export const CHINA_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86400_000;

export interface WorkingPeriod {
  /** minutes after local midnight */
  start: number;
  end: number;
}

/** 08:30–12:00 and 14:00–17:30: the usual office hours of a street office or village committee. */
export const DEFAULT_WORKING_PERIODS: WorkingPeriod[] = [
  { start: 8 * 60 + 30, end: 12 * 60 },
  { start: 14 * 60, end: 17 * 60 + 30 },
];

export type TimeLimitUnit = 'working_hours' | 'working_days' | 'calendar_hours' | 'calendar_days';

export interface TimeLimit {
  amount: number;
  unit: TimeLimitUnit;
}

export class WorkingCalendar {
  /** minutes of work in one working day */
  readonly minutesPerDay: number;

  constructor(
    /** 'YYYY-MM-DD' → is it a working day; only exceptions to the weekday rule are listed */
    private readonly exceptions: ReadonlyMap<string, boolean>,
    private readonly periods: WorkingPeriod[] = DEFAULT_WORKING_PERIODS,
  ) {
    this.minutesPerDay = periods.reduce((sum, p) => sum + (p.end - p.start), 0);
  }

  /** Is this local date ('YYYY-MM-DD') a working day? */
  isWorkingDay(day: string): boolean {
    const exception = this.exceptions.get(day);
    if (exception !== undefined) return exception;
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The instant `limit` of working time after `from`. Working hours count only minutes inside working
   * periods of working days; a working day is one day's worth of those minutes, so "1 working day"
   * from Friday 10:00 ends Monday 10:00 (or later when Monday is a holiday).
   */
  add(from: Date, limit: TimeLimit): Date {
    switch (limit.unit) {
      case 'calendar_hours':
        return new Date(from.getTime() + limit.amount * 3600_000);
      case 'calendar_days':
        return new Date(from.getTime() + limit.amount * DAY_MS);
      case 'working_hours':
        return this.addWorkingMinutes(from, Math.round(limit.amount * 60));
      case 'working_days':
        return this.addWorkingMinutes(from, Math.round(limit.amount * this.minutesPerDay));
    }
  }

  /** Working minutes between two instants (negative when `to` is before `from`). */
  workingMinutesBetween(from: Date, to: Date): number {
    if (to < from) return -this.workingMinutesBetween(to, from);
    let total = 0;
    let dayStart = localDayStart(from.getTime());
    const end = to.getTime();
    while (dayStart < end) {
      if (this.isWorkingDay(localDayString(dayStart))) {
        for (const period of this.periods) {
          const a = Math.max(dayStart + period.start * 60_000, from.getTime());
          const b = Math.min(dayStart + period.end * 60_000, end);
          if (b > a) total += (b - a) / 60_000;
        }
      }
      dayStart += DAY_MS;
    }
    return total;
  }

  private addWorkingMinutes(from: Date, minutes: number): Date {
    let remaining = minutes * 60_000;
    let cursor = from.getTime();
    // A holiday season is at most a few weeks; three years is a generous bound against bad data.
    for (let guard = 0; guard < 366 * 3; guard++) {
      const dayStart = localDayStart(cursor);
      if (this.isWorkingDay(localDayString(dayStart))) {
        for (const period of this.periods) {
          const periodStart = dayStart + period.start * 60_000;
          const periodEnd = dayStart + period.end * 60_000;
          if (cursor >= periodEnd) continue;
          const begin = Math.max(cursor, periodStart);
          const available = periodEnd - begin;
          if (remaining <= available) return new Date(begin + remaining);
          remaining -= available;
          cursor = periodEnd;
        }
      }
      cursor = dayStart + DAY_MS;
    }
    throw new Error('working time could not be added: the calendar has no working days ahead');
  }
}

/** UTC epoch ms of local (UTC+8) midnight of the day containing `ms`. */
export function localDayStart(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
}

/** 'YYYY-MM-DD' of the local (UTC+8) day starting at `dayStart`. */
export function localDayString(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}
