import type { CalendarDay } from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import { dayActions } from './policy.ts';
import type { CalendarDayRow } from './repository.ts';

/** ISO weekday of a local day: 1 Monday … 7 Sunday. */
export function isoWeekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
}

/** What the weekday rule alone makes of a day: Monday to Friday work. */
export function isWeekdayRuleWorkday(day: string): boolean {
  return isoWeekday(day) <= 5;
}

export function presentDay(row: CalendarDayRow, actor: Actor | null): CalendarDay {
  return {
    day: row.day,
    weekday: isoWeekday(row.day),
    isWorkday: row.is_workday,
    name: { zh: row.name_zh, en: row.name_en },
    source: row.source,
    updatedBy: row.updated_by ? { id: row.updated_by, name: row.updated_by_name ?? '' } : null,
    updatedAt: row.updated_at ? row.updated_at.toISOString() : null,
    allowedActions: dayActions(actor),
  };
}
