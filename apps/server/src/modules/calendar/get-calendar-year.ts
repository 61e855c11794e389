import type { CalendarYear, CalendarYearStatus } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { readCalendarFiles } from '../../reference-data.ts';
import { yearActions } from './policy.ts';
import { presentDay } from './present.ts';
import { findYear, listDays } from './repository.ts';

interface ShippedYear {
  status: 'official' | 'provisional';
  source: string;
  note: string | null;
}

let shipped: Map<number, ShippedYear> | undefined;

/** The reference files shipped with minqing: a file without a status is an official notice. */
function shippedYears(): Map<number, ShippedYear> {
  shipped ??= new Map(
    readCalendarFiles().map((file) => {
      const extra = file as { status?: string; note?: string };
      return [
        file.year,
        {
          status: extra.status === 'provisional' ? 'provisional' : 'official',
          source: file.source,
          note: extra.note ?? null,
        },
      ];
    }),
  );
  return shipped;
}

/**
 * A year of the working calendar: every exception day with its name and source, and whether the
 * schedule is the State Council's notice (official), a placement of the statutory holidays by rule
 * awaiting it (provisional), or absent (missing: deadlines in that year count weekends only).
 * An import decides the status; before any import, the shipped reference file does.
 */
export async function getCalendarYear(db: Db, actor: Actor | null, year: number): Promise<CalendarYear> {
  const [imported, rows] = await Promise.all([
    findYear(db, year),
    listDays(db, `${year}-01-01`, `${year}-12-31`),
  ]);
  const reference = shippedYears().get(year);
  let status: CalendarYearStatus = 'missing';
  let source: string | null = null;
  let note: string | null = null;
  if (imported) {
    status = imported.status as CalendarYearStatus;
    source = imported.source;
    note = imported.note;
  } else if (reference) {
    ({ status, source, note } = reference);
  } else if (rows.length > 0) {
    // Days entered by hand without a notice: usable, but nobody has confirmed the schedule.
    status = 'provisional';
  }
  return {
    year,
    status,
    source,
    note,
    importedAt: imported ? imported.imported_at.toISOString() : null,
    daysOff: rows.filter((row) => !row.is_workday).length,
    makeUpWorkdays: rows.filter((row) => row.is_workday).length,
    days: rows.map((row) => presentDay(row, actor)),
    allowedActions: yearActions(actor),
  };
}
