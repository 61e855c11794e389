import { sql } from 'kysely';
import type { BackgroundJob } from '../plugins/background.ts';
import type { Database, Db } from './database.ts';

/** How often the embedded database refreshes its planner statistics. */
export const ANALYZE_INTERVAL_MS = 10 * 60_000;
/** How often it reclaims the space of updated and deleted rows. */
export const VACUUM_INTERVAL_MS = 24 * 3600_000;

/**
 * Refreshes the planner's statistics. PostgreSQL servers do this in autovacuum; PGlite runs in
 * single-user mode without it, and with statistics from an emptier database the planner chose to sort
 * every open case instead of walking the queue's index (decision 0008).
 */
export async function analyzeDatabase(db: Db): Promise<void> {
  await sql`ANALYZE`.execute(db);
}

/** The autovacuum work an embedded database has to be given: statistics often, space daily. */
export function embeddedMaintenanceJobs(database: Database): BackgroundJob[] {
  if (database.kind !== 'pglite') return [];
  return [
    { name: 'pglite-analyze', intervalMs: ANALYZE_INTERVAL_MS, run: () => analyzeDatabase(database.db) },
    {
      name: 'pglite-vacuum',
      intervalMs: VACUUM_INTERVAL_MS,
      run: () => sql`VACUUM`.execute(database.db),
    },
  ];
}
