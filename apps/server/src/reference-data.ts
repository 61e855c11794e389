import { readdirSync, readFileSync } from 'node:fs';
import { REFERENCE_DATA_DIR } from './paths.ts';
import type { Db } from './db/database.ts';

const DIR = `${REFERENCE_DATA_DIR}/`;

interface CategoryFile {
  categories: {
    code: string;
    major_code: string;
    name_zh: string;
    name_en: string;
    major_name_zh: string;
    major_name_en: string;
    acceptance_standard: string;
    closure_standard: string;
    time_limits: unknown;
    default_org_kind: string;
    is_sensitive: boolean;
    icon: string;
    sort: number;
  }[];
}

interface CalendarFile {
  year: number;
  source: string;
  holidays: { name_zh: string; name_en: string; days_off: string[]; make_up_workdays: string[] }[];
}

export function readCalendarFiles(): CalendarFile[] {
  return readdirSync(DIR + 'calendar')
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => JSON.parse(readFileSync(`${DIR}calendar/${file}`, 'utf8')) as CalendarFile);
}

/**
 * Loads the shipped reference data — default categories, holiday calendars — adding only what is
 * missing, so an administrator's edits survive every restart and upgrade.
 */
export async function loadReferenceData(db: Db): Promise<void> {
  const { categories } = JSON.parse(readFileSync(DIR + 'categories.json', 'utf8')) as CategoryFile;
  await db
    .insertInto('case_categories')
    .values(categories.map((c) => ({ ...c, time_limits: JSON.stringify(c.time_limits) })))
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const days = readCalendarFiles().flatMap((calendar) =>
    calendar.holidays.flatMap((holiday) => [
      ...holiday.days_off.map((day) => ({
        day,
        is_workday: false,
        name_zh: holiday.name_zh,
        name_en: holiday.name_en,
        source: calendar.source,
      })),
      ...holiday.make_up_workdays.map((day) => ({
        day,
        is_workday: true,
        name_zh: `${holiday.name_zh}调休上班`,
        name_en: `${holiday.name_en} make-up working day`,
        source: calendar.source,
      })),
    ]),
  );
  if (days.length > 0) {
    await db
      .insertInto('calendar_days')
      .values(days)
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
  }
}
