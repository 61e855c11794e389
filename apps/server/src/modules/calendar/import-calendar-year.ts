import type { CalendarFile, CalendarImportResult } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Actor } from '../../policy/index.ts';
import type { CalendarStore } from './calendar-store.ts';
import { deleteDays, upsertDays, upsertYear, type DayValues } from './repository.ts';

/**
 * Imports a year's schedule (the State Council's notice, or a provisional placement) in the shape of
 * the shipped reference files. It replaces every exception day of the year — earlier imports and
 * hand edits alike — and records the year's status and source, in one transaction: a schedule is
 * never half old, half new. Deadlines already running keep the day they were given.
 */
export async function importCalendarYear(
  db: Db,
  calendar: CalendarStore,
  /** null for the operator at the command line */
  actor: Actor | null,
  file: CalendarFile,
): Promise<CalendarImportResult> {
  const days: DayValues[] = file.holidays.flatMap((holiday) => [
    ...holiday.days_off.map((day) => ({
      day,
      isWorkday: false,
      nameZh: holiday.name_zh,
      nameEn: holiday.name_en,
      source: file.source,
      updatedBy: actor?.userId ?? null,
    })),
    ...holiday.make_up_workdays.map((day) => ({
      day,
      isWorkday: true,
      nameZh: `${holiday.name_zh}调休上班`,
      nameEn: `${holiday.name_en} make-up working day`,
      source: file.source,
      updatedBy: actor?.userId ?? null,
    })),
  ]);
  const replaced = await inTransaction(db, async (trx) => {
    const removedInYear = await deleteDays(trx, { from: `${file.year}-01-01`, to: `${file.year}-12-31` });
    // Days the notice places at the end of the previous year replace whatever was there.
    const removedBefore = await deleteDays(trx, {
      days: days.map((d) => d.day).filter((day) => !day.startsWith(String(file.year))),
    });
    await upsertDays(trx, days);
    await upsertYear(trx, {
      year: file.year,
      status: file.status,
      source: file.source,
      note: file.note ?? null,
      importedBy: actor?.userId ?? null,
    });
    return removedInYear + removedBefore;
  });
  calendar.invalidate();
  return {
    year: file.year,
    status: file.status,
    source: file.source,
    daysOff: days.filter((d) => !d.isWorkday).length,
    makeUpWorkdays: days.filter((d) => d.isWorkday).length,
    replaced,
  };
}
