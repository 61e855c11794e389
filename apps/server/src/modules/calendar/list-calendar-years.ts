import type { CalendarYears } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { yearActions } from './policy.ts';
import { countDaysByYear, listYears } from './repository.ts';
import { shippedYears, yearStatus } from './year-status.ts';

/**
 * Every year the calendar knows — shipped, imported, or with days entered by hand — with its status,
 * so an administrator sees at a glance which year still waits for the State Council's notice.
 */
export async function listCalendarYears(db: Db, actor: Actor | null): Promise<CalendarYears> {
  const [imported, counts] = await Promise.all([listYears(db), countDaysByYear(db)]);
  const importedByYear = new Map(imported.map((row) => [row.year, row]));
  const countByYear = new Map(counts.map((row) => [row.year, row]));
  const years = [
    ...new Set([...shippedYears().keys(), ...importedByYear.keys(), ...countByYear.keys()]),
  ].sort();
  return {
    years: years.map((year) => {
      const count = countByYear.get(year);
      const status = yearStatus(
        year,
        importedByYear.get(year),
        (count?.daysOff ?? 0) + (count?.makeUpWorkdays ?? 0),
      );
      return {
        year,
        status: status.status,
        source: status.source,
        daysOff: count?.daysOff ?? 0,
        makeUpWorkdays: count?.makeUpWorkdays ?? 0,
      };
    }),
    allowedActions: yearActions(actor),
  };
}
