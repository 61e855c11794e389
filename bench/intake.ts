/**
 * npm run bench:intake — resident reports (routing + journal + idempotency) over HTTP at concurrency 32
 * for 20 s, on PGlite and on PostgreSQL, beside the same server's GET /api/health measured in the same
 * run. Prints cases/s, p50/p99 latency and the ratio to the health baseline.
 *
 * BENCH_SECONDS (default 20), BENCH_CONCURRENCY (32), BENCH_BACKENDS ("pglite,postgres").
 */
import { rmSync } from 'node:fs';
import { loadConfig } from '../apps/server/src/config.ts';
import { startServer } from '../apps/server/src/server.ts';
import {
  buildBenchCommunity,
  createScratchDatabase,
  fmt,
  runLoad,
  scratchDir,
  type LoadResult,
} from './setup.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 20);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const backends = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',');

async function benchBackend(
  backend: string,
): Promise<{ backend: string; health: LoadResult; intake: LoadResult; cases: number; rssMb: number }> {
  const dataDir = scratchDir(`minqing-bench-${backend}`);
  const scratch = backend === 'postgres' ? await createScratchDatabase('minqing_bench') : null;
  const config = {
    ...loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    }),
    seedDemo: false,
  };
  const server = await startServer(config);
  try {
    const community = await buildBenchCommunity(server.app, { residents: 64 });
    const common = {
      url: server.url,
      concurrency,
      durationMs: seconds * 1000,
      warmupMs: 2000,
      cookies: community.cookies,
      points: community.points,
      categories: ['0101', '0102', '0201', '0203', '0301'],
    };
    const health = await runLoad({ ...common, kind: 'health' });
    const intake = await runLoad({ ...common, kind: 'intake' });
    const row = await server.app.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('street_id', '=', community.street.id)
      .executeTakeFirstOrThrow();
    return { backend, health, intake, cases: Number(row.n), rssMb: process.memoryUsage().rss / 1e6 };
  } finally {
    await server.stop();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results = [];
for (const backend of backends) results.push(await benchBackend(backend));

console.log(`\nintake benchmark — ${seconds} s at concurrency ${concurrency}, ${new Date().toISOString()}`);
console.log(
  'backend   | health req/s | health p99 ms | cases/s | p50 ms | p99 ms | errors | cases stored | cases/s ÷ health req/s',
);
for (const r of results) {
  console.log(
    `${r.backend.padEnd(9)} | ${fmt(r.health.perSecond, 0).padStart(12)} | ${fmt(r.health.p99).padStart(13)} | ${fmt(r.intake.perSecond, 0).padStart(7)} | ${fmt(r.intake.p50).padStart(6)} | ${fmt(r.intake.p99).padStart(6)} | ${String(r.intake.errors).padStart(6)} | ${String(r.cases).padStart(12)} | ${fmt(r.intake.perSecond / r.health.perSecond, 3)}`,
  );
  if (r.intake.errors > 0) console.log(`  statuses: ${JSON.stringify(r.intake.statusCounts)}`);
}
