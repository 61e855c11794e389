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
    await analyzeDatabase(app.db);
    const { rows } = await sql<{ reltuples: number }>`
      SELECT reltuples FROM pg_class WHERE relname = 'units' AND relkind = 'r'`.execute(app.db);
    // -1 means "never analysed"; after ANALYZE the estimate counts the units just built.
    expect(Number(rows[0]!.reltuples)).toBeGreaterThan(0);
  });
});
