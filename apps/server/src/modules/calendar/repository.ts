import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/** The SQL of the calendar module. Nothing else in the module writes a query. */

export interface CalendarDayRow {
  day: string;
  is_workday: boolean;
  name_zh: string;
  name_en: string;
  source: string | null;
  updated_by: string | null;
  updated_by_name: string | null;
  updated_at: Date | null;
}

/** Exception days from `from` to `to` inclusive, in date order, with the name of whoever last edited each. */
export async function listDays(db: Db, from: string, to: string): Promise<CalendarDayRow[]> {
  return db
    .selectFrom('calendar_days as d')
    .leftJoin('users as u', 'u.id', 'd.updated_by')
    .select([
      'd.day',
      'd.is_workday',
      'd.name_zh',
      'd.name_en',
      'd.source',
      'd.updated_by',
      'u.display_name as updated_by_name',
      'd.updated_at',
    ])
    .where('d.day', '>=', from)
    .where('d.day', '<=', to)
    .orderBy('d.day')
    .execute();
}

export async function findDay(db: Db, day: string): Promise<CalendarDayRow | undefined> {
  const [row] = await listDays(db, day, day);
  return row;
}

export interface CalendarYearRow {
  year: number;
  status: string;
  source: string;
  note: string | null;
  imported_at: Date;
}

export async function findYear(db: Db, year: number): Promise<CalendarYearRow | undefined> {
  return db
    .selectFrom('calendar_years')
    .select(['year', 'status', 'source', 'note', 'imported_at'])
    .where('year', '=', year)
    .executeTakeFirst();
}

export async function listYears(db: Db): Promise<CalendarYearRow[]> {
  return db
    .selectFrom('calendar_years')
    .select(['year', 'status', 'source', 'note', 'imported_at'])
    .execute();
}

/** Days off and make-up working days per calendar year. */
export async function countDaysByYear(
  db: Db,
): Promise<{ year: number; daysOff: number; makeUpWorkdays: number }[]> {
  const year = sql<number>`extract(year from day)::int`;
  const rows = await db
    .selectFrom('calendar_days')
    .select([
      year.as('year'),
      sql<number>`count(*) filter (where not is_workday)::int`.as('days_off'),
      sql<number>`count(*) filter (where is_workday)::int`.as('make_up_workdays'),
    ])
    .groupBy(year)
    .execute();
  return rows.map((row) => ({ year: row.year, daysOff: row.days_off, makeUpWorkdays: row.make_up_workdays }));
}

export interface DayValues {
  day: string;
  isWorkday: boolean;
  nameZh: string;
  nameEn: string;
  source: string;
  updatedBy: string | null;
}

export async function upsertDays(trx: Db, days: DayValues[]): Promise<void> {
  if (days.length === 0) return;
  await trx
    .insertInto('calendar_days')
    .values(
      days.map((d) => ({
        day: d.day,
        is_workday: d.isWorkday,
        name_zh: d.nameZh,
        name_en: d.nameEn,
        source: d.source,
        updated_by: d.updatedBy,
        updated_at: sql<Date>`now()`,
      })),
    )
    .onConflict((oc) =>
      oc.column('day').doUpdateSet((eb) => ({
        is_workday: eb.ref('excluded.is_workday'),
        name_zh: eb.ref('excluded.name_zh'),
        name_en: eb.ref('excluded.name_en'),
        source: eb.ref('excluded.source'),
        updated_by: eb.ref('excluded.updated_by'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

/** Removes exception days; returns how many there were. */
export async function deleteDays(
  trx: Db,
  where: { from: string; to: string } | { days: string[] },
): Promise<number> {
  let query = trx.deleteFrom('calendar_days');
  if ('days' in where) {
    if (where.days.length === 0) return 0;
    query = query.where('day', 'in', where.days);
  } else {
    query = query.where('day', '>=', where.from).where('day', '<=', where.to);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function upsertYear(
  trx: Db,
  year: { year: number; status: string; source: string; note: string | null; importedBy: string | null },
): Promise<void> {
  const values = {
    year: year.year,
    status: year.status,
    source: year.source,
    note: year.note,
    imported_by: year.importedBy,
    imported_at: sql<Date>`now()`,
  };
  await trx
    .insertInto('calendar_years')
    .values(values)
    .onConflict((oc) =>
      oc.column('year').doUpdateSet({
        status: values.status,
        source: values.source,
        note: values.note,
        imported_by: values.imported_by,
        imported_at: values.imported_at,
      }),
    )
    .execute();
}
