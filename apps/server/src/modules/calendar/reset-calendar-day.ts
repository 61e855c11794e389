import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { CalendarStore } from './calendar-store.ts';
import { isWeekdayRuleWorkday } from './present.ts';
import { deleteDays } from './repository.ts';

/**
 * Returns `day` to the weekday rule (Monday–Friday work, weekends rest) by removing its exception.
 * 404 when the day has none.
 */
export async function resetCalendarDay(
  db: Db,
  calendar: CalendarStore,
  day: string,
): Promise<{ day: string; isWorkday: boolean }> {
  const removed = await inTransaction(db, (trx) => deleteDays(trx, { days: [day] }));
  if (removed === 0) throw errors.notFound({ zh: `${day} 的例外安排`, en: `An exception on ${day}` });
  calendar.invalidate();
  return { day, isWorkday: isWeekdayRuleWorkday(day) };
}
