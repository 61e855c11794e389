import type { CalendarYearStatus } from '@minqing/contract';
import { readCalendarFiles } from '../../reference-data.ts';
import type { CalendarYearRow } from './repository.ts';

interface ShippedYear {
  status: 'official' | 'provisional';
  source: string;
  note: string | null;
}

let shipped: Map<number, ShippedYear> | undefined;

/** The reference files shipped with minqing: a file without a status is an official notice. */
export function shippedYears(): Map<number, ShippedYear> {
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

export interface YearStatus {
  status: CalendarYearStatus;
  source: string | null;
  note: string | null;
}

/**
 * Whether a year's schedule is the State Council's notice (official), a placement of the statutory
 * holidays by rule awaiting it (provisional), or absent (missing: deadlines in that year count
 * weekends only). An import decides; before any import, the shipped reference file does; days entered
 * by hand without either are usable but unconfirmed (provisional).
 */
export function yearStatus(
  year: number,
  imported: CalendarYearRow | undefined,
  dayCount: number,
): YearStatus {
  if (imported) {
    return { status: imported.status as CalendarYearStatus, source: imported.source, note: imported.note };
  }
  const reference = shippedYears().get(year);
  if (reference) return reference;
  return { status: dayCount > 0 ? 'provisional' : 'missing', source: null, note: null };
}
