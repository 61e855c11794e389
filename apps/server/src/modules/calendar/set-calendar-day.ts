import type { CalendarDay, SetCalendarDay } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import type { CalendarStore } from './calendar-store.ts';
import { isWeekdayRuleWorkday, presentDay } from './present.ts';
import { findDay, upsertDays } from './repository.ts';

/** The source recorded for a day an administrator set by hand. */
export const MANUAL_SOURCE = 'manual';

/**
 * Makes `day` a day off or a make-up working day, or renames one (a holiday moved by a late notice,
 * a local day off for a typhoon). A day the weekday rule already treats the same way is refused:
 * resetting it (DELETE) says that more plainly. The cache drops here and, through NOTIFY, everywhere.
 */
export async function setCalendarDay(
  db: Db,
  calendar: CalendarStore,
  actor: Actor,
  day: string,
  input: SetCalendarDay,
): Promise<CalendarDay> {
  if (input.isWorkday === isWeekdayRuleWorkday(day)) {
    throw errors.unprocessable(
      'same_as_weekday_rule',
      input.isWorkday
        ? {
            zh: `${day} 本来就是工作日；若要取消该日的例外安排，请使用“恢复”`,
            en: `${day} is a weekday and works anyway; reset the day to remove its exception`,
          }
        : {
            zh: `${day} 本来就是周末休息日；若要取消该日的例外安排，请使用“恢复”`,
            en: `${day} is a weekend day and rests anyway; reset the day to remove its exception`,
          },
      { day, isWorkday: input.isWorkday },
    );
  }
  const row = await inTransaction(db, async (trx) => {
    await upsertDays(trx, [
      {
        day,
        isWorkday: input.isWorkday,
        nameZh: input.nameZh,
        nameEn: input.nameEn,
        source: MANUAL_SOURCE,
        updatedBy: actor.userId,
      },
    ]);
    return findDay(trx, day);
  });
  calendar.invalidate();
  return presentDay(row!, actor);
}
