import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../app.ts';
import { buildTestApp } from '../../test/harness.ts';
import { buildCommunity } from '../../test/factories.ts';
import { analyzeDatabase, ANALYZE_INTERVAL_MS } from './maintenance.ts';

describe('database maintenance', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(async () => app.close());

  it('gives the embedded database the statistics jobs a PostgreSQL server runs itself', () => {
    const names = app.background.jobs.map((job) => job.name);
    if (app.database.kind === 'pglite') {
      expect(names).toEqual(expect.arrayContaining(['pglite-analyze', 'pglite-vacuum']));
      expect(app.background.jobs.find((job) => job.name === 'pglite-analyze')?.intervalMs).toBe(
        ANALYZE_INTERVAL_MS,
      );
    } else {
      expect(names.filter((name) => name.startsWith('pglite-'))).toEqual([]);
    }
  });

  it('refreshes the planner statistics of the tables that changed', async () => {
    await buildCommunity(app);
    const before = await sql<{ now: Date }>`SELECT now() AS now`.execute(app.db);
    await analyzeDatabase(app.db);
    const stamp = async () =>
      (
        await sql<{ last_analyze: Date | null }>`
          SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'units'`.execute(app.db)
      ).rows[0]?.last_analyze?.getTime() ?? 0;
    // ANALYZE itself stamps the table (a server's own autovacuum would stamp last_autoanalyze); a
    // PostgreSQL server publishes the statistics of another connection within a second or so.
    await expect.poll(stamp, { timeout: 10_000 }).toBeGreaterThanOrEqual(before.rows[0]!.now.getTime());
  });
});
