import { readFile } from 'node:fs/promises';
import { ZCalendarFile } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { CalendarStore } from './calendar-store.ts';
import { importCalendarYear } from './import-calendar-year.ts';

const USAGE =
  'usage: minqing import-calendar FILE.json   (the shape of reference-data/calendar/cn-YYYY.json)';

/**
 * `minqing import-calendar FILE.json`: imports a year's holidays and make-up working days (the State
 * Council's notice, usually published in November) as the operator of the server. Running servers
 * hear of it through NOTIFY minqing_calendar. Answers 0 on success, 1 for a file that is not a valid
 * schedule, 2 for a wrong command line.
 */
export async function runImportCalendarCommand(
  args: string[],
  { db, print }: { db: Db; print: (line: string) => void },
): Promise<number> {
  const [file, ...rest] = args;
  if (!file || rest.length > 0 || file.startsWith('-')) {
    print(USAGE);
    return 2;
  }
  let content: unknown;
  try {
    content = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    print(`无法读取日历文件 / cannot read the calendar file ${file}: ${(error as Error).message}`);
    return 1;
  }
  const parsed = ZCalendarFile.safeParse(content);
  if (!parsed.success) {
    print(`日历文件有误，未导入 / the calendar file is not valid, nothing imported (${file}):`);
    for (const issue of parsed.error.issues) print(`  ${issue.path.join('.') || '(file)'}: ${issue.message}`);
    return 1;
  }
  const result = await importCalendarYear(db, new CalendarStore(db), null, parsed.data);
  print(
    `${result.year} 年${result.status === 'official' ? '正式' : '暂定'}安排已导入 / ${result.year} schedule imported (${result.status}): ` +
      `放假 ${result.daysOff} 天 days off, 调休上班 ${result.makeUpWorkdays} 天 make-up working days, ` +
      `替换 ${result.replaced} 条 replaced`,
  );
  return 0;
}
