import type { CalendarYear } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { yearActions } from './policy.ts';
import { presentDay } from './present.ts';
import { findYear, listDays } from './repository.ts';
import { yearStatus } from './year-status.ts';

/**
 * A year of the working calendar: every exception day with its name and source, and whether the
 * schedule is official, provisional or missing (see year-status.ts).
 */
export async function getCalendarYear(db: Db, actor: Actor | null, year: number): Promise<CalendarYear> {
  const [imported, rows] = await Promise.all([
    findYear(db, year),
    listDays(db, `${year}-01-01`, `${year}-12-31`),
  ]);
  return {
    year,
    ...yearStatus(year, imported, rows.length),
    importedAt: imported ? imported.imported_at.toISOString() : null,
    daysOff: rows.filter((row) => !row.is_workday).length,
    makeUpWorkdays: rows.filter((row) => row.is_workday).length,
    days: rows.map((row) => presentDay(row, actor)),
    allowedActions: yearActions(actor),
  };
}
