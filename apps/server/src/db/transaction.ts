import type { Db } from './database.ts';

// serialization_failure, deadlock_detected: PostgreSQL asks the client to run the transaction again.
const RETRYABLE = new Set(['40001', '40P01']);

/** Runs `work` in a transaction, retrying it when PostgreSQL reports a serialization failure or deadlock. */
export async function inTransaction<T>(db: Db, work: (trx: Db) => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === '23505' && (constraint === undefined || e.constraint === constraint);
}
