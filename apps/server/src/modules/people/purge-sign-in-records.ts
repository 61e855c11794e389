import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * Removes sign-in records that no longer serve any purpose: one-time codes after a day, counters
 * of unknown sign-in names a day after their last failure (once no lock is running), and sessions
 * a month after they ended. The security log keeps the history of every sign-in for the auditors.
 */
export async function purgeSignInRecords(
  db: Db,
): Promise<{ codes: number; throttles: number; sessions: number }> {
  const codes = await db
    .deleteFrom('login_codes')
    .where('created_at', '<', sql<Date>`now() - interval '1 day'`)
    .executeTakeFirst();
  const throttles = await db
    .deleteFrom('login_throttle')
    .where('updated_at', '<', sql<Date>`now() - interval '1 day'`)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
    .executeTakeFirst();
  const sessions = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('expires_at', '<', sql<Date>`now() - interval '30 days'`),
        eb('revoked_at', '<', sql<Date>`now() - interval '30 days'`),
      ]),
    )
    .executeTakeFirst();
  return {
    codes: Number(codes.numDeletedRows),
    throttles: Number(throttles.numDeletedRows),
    sessions: Number(sessions.numDeletedRows),
  };
}
