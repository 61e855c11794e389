import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

/**
 * One-time sign-in codes, stored as keyed hashes (HMAC): a copy of the table does not reveal a
 * code that is still valid. Every query here runs while the phone's advisory lock is held.
 */

/** Serialises everything about one phone number (requests and guesses) until the transaction ends. */
export async function lockPhone(trx: Db, phoneIndex: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`login-code:${phoneIndex}`}, 0))`.execute(trx);
}

export interface CodeWindow {
  /** Seconds since the last code for this phone, or null. */
  lastAgeS: number | null;
  /** Codes sent in the last hour. */
  lastHourCount: number;
  /** Seconds since the oldest code of the last hour, or null. */
  oldestInHourAgeS: number | null;
}

export async function codeWindow(trx: Db, phoneIndex: string): Promise<CodeWindow> {
  const row = await trx
    .selectFrom('login_codes')
    .select([
      sql<number | null>`extract(epoch from now() - max(created_at))::float8`.as('last_age'),
      sql<number>`count(*)::int`.as('hour_count'),
      sql<number | null>`extract(epoch from now() - min(created_at))::float8`.as('oldest_age'),
    ])
    .where('phone_index', '=', phoneIndex)
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
  return { lastAgeS: row.last_age, lastHourCount: row.hour_count, oldestInHourAgeS: row.oldest_age };
}

/** A new code makes the earlier ones of the phone useless: only the latest SMS counts. */
export async function retireLiveCodes(trx: Db, phoneIndex: string): Promise<void> {
  await trx
    .updateTable('login_codes')
    .set({ consumed_at: sql`now()` })
    .where('phone_index', '=', phoneIndex)
    .where('consumed_at', 'is', null)
    .execute();
}

export async function insertCode(
  trx: Db,
  code: { phoneIndex: string; codeHash: string; ttlMinutes: number },
): Promise<string> {
  const id = crypto.randomUUID();
  await trx
    .insertInto('login_codes')
    .values({
      id,
      phone_index: code.phoneIndex,
      code_hash: code.codeHash,
      expires_at: sql`now() + make_interval(mins => ${code.ttlMinutes})`,
    })
    .execute();
  return id;
}

export async function retireCode(db: Db, id: string): Promise<void> {
  await db
    .updateTable('login_codes')
    .set({ consumed_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export interface LiveCode {
  id: string;
  codeHash: string;
  attempts: number;
  isExpired: boolean;
}

/** The phone's newest unused code, if any (expired or not: the caller says which). */
export async function latestUnusedCode(trx: Db, phoneIndex: string): Promise<LiveCode | undefined> {
  const row = await trx
    .selectFrom('login_codes')
    .select(['id', 'code_hash', 'attempts', sql<boolean>`expires_at <= now()`.as('is_expired')])
    .where('phone_index', '=', phoneIndex)
    .where('consumed_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row
    ? { id: row.id, codeHash: row.code_hash, attempts: row.attempts, isExpired: row.is_expired }
    : undefined;
}

export async function countAttempt(trx: Db, id: string): Promise<number> {
  const row = await trx
    .updateTable('login_codes')
    .set({ attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .returning('attempts')
    .executeTakeFirstOrThrow();
  return row.attempts;
}
