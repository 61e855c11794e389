/**
 * npm run bench:map — the 民情地图's reads with many cases in the database (docs/benchmarks.md).
 *
 * A street of 8 × 8 grids (~4 km across) gets cases in steps (BENCH_MAP_SIZES, default
 * 10000,100000,1000000): realistic spread (most around a few dozen hot spots, the rest anywhere),
 * 70 % closed long ago, 10 % closed within MAP_CLOSED_DAYS, 20 % open in every state, some overdue.
 * At each size it measures, over real HTTP, sequentially: GET /api/health (the baseline, in the same
 * run), GET /api/map/cases at zooms 12–18 for the public and for a street admin, /api/map/grids and
 * /api/screen/summary: p50/p95 latency and bytes per answer; and the map index's load time and heap.
 *
 * BENCH_MAP_SIZES, BENCH_MAP_REQUESTS (requests per row, default 100), BENCH_MAP_ZOOMS (default 12–18), BENCH_BACKENDS (default
 * postgres; pglite works but fills slowly), BENCH_DATABASE_URL.
 */
import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { loadConfig } from '../apps/server/src/config.ts';
import { grantRole, insertUser } from '../apps/server/src/modules/people/repository.ts';
import { createSession, SESSION_COOKIE } from '../apps/server/src/modules/people/sessions.ts';
import { startServer, type RunningServer } from '../apps/server/src/server.ts';
import { buildBenchCommunity, createScratchDatabase, fmt, scratchDir } from './setup.ts';

const sizes = (process.env.BENCH_MAP_SIZES ?? '10000,100000,1000000').split(',').map(Number);
const requests = Number(process.env.BENCH_MAP_REQUESTS ?? 100);
const zooms = (process.env.BENCH_MAP_ZOOMS ?? '12,13,14,15,16,17,18').split(',').map(Number);
const backends = (process.env.BENCH_BACKENDS ?? 'postgres').split(',');

const DAY = 86_400_000;

/** A deterministic generator, so runs are comparable. */
function random(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

interface Grid {
  id: string;
  path: string;
  min_lng: number;
  min_lat: number;
  max_lng: number;
  max_lat: number;
}

async function fill(
  server: RunningServer,
  area: { streetId: string; communityId: string; grids: Grid[]; categories: string[] },
  from: number,
  to: number,
): Promise<void> {
  const next = random(from + 1);
  const west = Math.min(...area.grids.map((g) => g.min_lng));
  const east = Math.max(...area.grids.map((g) => g.max_lng));
  const south = Math.min(...area.grids.map((g) => g.min_lat));
  const north = Math.max(...area.grids.map((g) => g.max_lat));
  const hot = Array.from({ length: 40 }, () => ({
    lng: west + next() * (east - west),
    lat: south + next() * (north - south),
  }));
  const gridOf = (lng: number, lat: number) =>
    area.grids.find((g) => lng >= g.min_lng && lng < g.max_lng && lat >= g.min_lat && lat < g.max_lat);
  const open = ['reported', 'accepted', 'dispatched', 'in_progress', 'handled', 'follow_up'];
  const sources = ['patrol', 'patrol', 'resident', 'resident', 'hotline', 'public'];
  const now = Date.now();
  const batch = 5_000;
  for (let start = from; start < to; start += batch) {
    const columns: Record<string, unknown[]> = {
      id: [],
      code: [],
      grid_id: [],
      unit_path: [],
      category_code: [],
      source: [],
      state: [],
      lng: [],
      lat: [],
      reported_at: [],
      closed_at: [],
      due_at: [],
    };
    for (let i = start; i < Math.min(to, start + batch); i++) {
      let lng: number;
      let lat: number;
      if (next() < 0.7) {
        const spot = hot[Math.floor(next() * hot.length)]!;
        lng = spot.lng + (next() - 0.5) * 0.004;
        lat = spot.lat + (next() - 0.5) * 0.004;
      } else {
        lng = west + next() * (east - west);
        lat = south + next() * (north - south);
      }
      lng = Math.min(east - 1e-6, Math.max(west, lng));
      lat = Math.min(north - 1e-6, Math.max(south, lat));
      const grid = gridOf(lng, lat) ?? area.grids[0]!;
      const roll = next();
      let state: string;
      let reported: number;
      let closed: number | null = null;
      let due: number | null = null;
      if (roll < 0.7) {
        state = 'closed';
        reported = now - (40 + next() * 680) * DAY;
        closed = reported + (1 + next() * 5) * DAY;
      } else if (roll < 0.8) {
        state = 'closed';
        closed = now - next() * 29 * DAY;
        reported = closed - (1 + next() * 5) * DAY;
      } else {
        state = open[Math.floor(next() * open.length)]!;
        reported = now - next() * 20 * DAY;
        due = state === 'follow_up' ? null : now + (next() - 0.3) * 6 * DAY;
      }
      columns.id!.push(crypto.randomUUID());
      columns.code!.push(`BM${String(i).padStart(9, '0')}`);
      columns.grid_id!.push(grid.id);
      columns.unit_path!.push(grid.path);
      columns.category_code!.push(area.categories[Math.floor(next() * area.categories.length)]);
      columns.source!.push(sources[Math.floor(next() * sources.length)]);
      columns.state!.push(state);
      columns.lng!.push(Math.round(lng * 1e6) / 1e6);
      columns.lat!.push(Math.round(lat * 1e6) / 1e6);
      columns.reported_at!.push(new Date(reported).toISOString());
      columns.closed_at!.push(closed === null ? null : new Date(closed).toISOString());
      columns.due_at!.push(due === null ? null : new Date(due).toISOString());
    }
    await sql`
      INSERT INTO cases (id, code, street_id, community_id, grid_id, unit_path, category_code, source, state,
                         description, lng, lat, reported_at, closed_at, due_at)
      SELECT t.id, t.code, ${area.streetId}, ${area.communityId}, t.grid_id, t.unit_path, t.category_code,
             t.source, t.state, '压测事件', t.lng, t.lat, t.reported_at, t.closed_at, t.due_at
        FROM unnest(${columns.id}::uuid[], ${columns.code}::text[], ${columns.grid_id}::uuid[],
                    ${columns.unit_path}::text[], ${columns.category_code}::text[], ${columns.source}::text[],
                    ${columns.state}::text[], ${columns.lng}::float8[], ${columns.lat}::float8[],
                    ${columns.reported_at}::timestamptz[], ${columns.closed_at}::timestamptz[],
                    ${columns.due_at}::timestamptz[])
          AS t(id, code, grid_id, unit_path, category_code, source, state, lng, lat, reported_at, closed_at, due_at)
    `.execute(server.app.db);
  }
  await sql`ANALYZE cases`.execute(server.app.db);
}

interface Timing {
  p50: number;
  p95: number;
  bytes: number;
}

async function time(url: string, cookie: string | null, n: number): Promise<Timing> {
  const latencies: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n + 5; i++) {
    const started = performance.now();
    const response = await fetch(url, cookie ? { headers: { cookie } } : {});
    const body = await response.arrayBuffer();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (i >= 5) latencies.push(elapsed); // the first few warm the caches
    bytes = body.byteLength;
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p95: at(0.95), bytes };
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

async function benchBackend(backend: string) {
  const dataDir = scratchDir(`minqing-bench-map-${backend}`);
  const scratch = backend === 'postgres' ? await createScratchDatabase('minqing_bench_map') : null;
  const config = {
    ...loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    }),
    seedDemo: false,
    runBackgroundJobs: false,
  };
  const server = await startServer(config);
  const rows: string[] = [];
  try {
    const community = await buildBenchCommunity(server.app, { residents: 1, cols: 8, rows: 8 });
    const db = server.app.db;
    const grids = await db
      .selectFrom('units')
      .select(['id', 'path', 'min_lng', 'min_lat', 'max_lng', 'max_lat'])
      .where('kind', '=', 'grid')
      .where('parent_id', '=', community.community.id)
      .execute();
    const categories = (
      await db.selectFrom('case_categories').select('code').where('code', 'like', '____').execute()
    ).map((row) => row.code);
    const adminId = await insertUser(db, server.app.fieldCipher, {
      kind: 'staff',
      displayName: '街道管理员',
    });
    await grantRole(db, { userId: adminId, role: 'street_admin', unitId: community.street.id });
    const session = await createSession(
      db,
      { id: adminId, kind: 'staff' },
      { staffIdleMinutes: 600, residentSessionDays: 30 },
    );
    const staffCookie = `${SESSION_COOKIE}=${session.token}`;
    const area = {
      streetId: community.street.id,
      communityId: community.community.id,
      grids: grids as Grid[],
      categories,
    };
    const west = Math.min(...area.grids.map((g) => g.min_lng));
    const east = Math.max(...area.grids.map((g) => g.max_lng));
    const south = Math.min(...area.grids.map((g) => g.min_lat));
    const north = Math.max(...area.grids.map((g) => g.max_lat));
    const cx = (west + east) / 2;
    const cy = (south + north) / 2;
    /** A viewport of a 1920×1080 map at `zoom` centred on the street (clamped to the street at low zoom). */
    const viewport = (zoom: number) => {
      const degreesPerPixel = 360 / (256 * 2 ** zoom);
      const halfW = (1400 / 2) * degreesPerPixel;
      const halfH = (900 / 2) * degreesPerPixel * Math.cos((cy * Math.PI) / 180);
      return [cx - halfW, cy - halfH, cx + halfW, cy + halfH].map((v) => v.toFixed(6)).join(',');
    };

    let filled = 0;
    for (const size of sizes) {
      const fillStarted = performance.now();
      await fill(server, area, filled, size);
      filled = size;
      const fillSeconds = (performance.now() - fillStarted) / 1000;
      server.app.map.index.reset();
      const heapBefore = heapMb();
      const loadStarted = performance.now();
      await server.app.map.index.ready();
      const loadMs = performance.now() - loadStarted;
      const heapAfter = heapMb();
      const onMap = server.app.map.index.size;
      server.app.map.counters.reset();
      const countersStarted = performance.now();
      await server.app.map.counters.ready();
      const countersMs = performance.now() - countersStarted;
      const heapCounters = heapMb();

      const base = server.url;
      const health = await time(`${base}/api/health`, null, requests);
      rows.push(
        `| ${backend} | ${size.toLocaleString('en')} | ${onMap.toLocaleString('en')} | GET /api/health (baseline) | — | ${fmt(health.p50)} | ${fmt(health.p95)} | ${health.bytes} |`,
      );
      for (const zoom of zooms) {
        for (const [who, cookie] of [
          ['public', null],
          ['street admin', staffCookie],
        ] as const) {
          const url = `${base}/api/map/cases?bbox=${viewport(zoom)}&zoom=${zoom}&unitId=${community.street.id}`;
          const result = await time(url, cookie, requests);
          rows.push(
            `| ${backend} | ${size.toLocaleString('en')} | ${onMap.toLocaleString('en')} | /api/map/cases z${zoom} | ${who} | ${fmt(result.p50)} | ${fmt(result.p95)} | ${(result.bytes / 1024).toFixed(1)} KB |`,
          );
        }
      }
      const gridsTiming = await time(
        `${base}/api/map/grids?unitId=${community.street.id}&geometry=false`,
        null,
        requests,
      );
      rows.push(
        `| ${backend} | ${size.toLocaleString('en')} | ${onMap.toLocaleString('en')} | /api/map/grids (street) | public | ${fmt(gridsTiming.p50)} | ${fmt(gridsTiming.p95)} | ${(gridsTiming.bytes / 1024).toFixed(1)} KB |`,
      );
      const summary = await time(`${base}/api/screen/summary?unitId=${community.street.id}`, null, requests);
      rows.push(
        `| ${backend} | ${size.toLocaleString('en')} | ${onMap.toLocaleString('en')} | /api/screen/summary (street) | public | ${fmt(summary.p50)} | ${fmt(summary.p95)} | ${(summary.bytes / 1024).toFixed(1)} KB |`,
      );
      console.log(
        `${backend} ${size} cases: filled in ${fmt(fillSeconds)} s; index of ${onMap} cases loaded in ${fmt(loadMs, 0)} ms, heap +${fmt(heapAfter - heapBefore)} MB; screen counters of ${server.app.map.counters.size} recent cases in ${fmt(countersMs, 0)} ms, heap +${fmt(heapCounters - heapAfter)} MB; rss ${fmt(process.memoryUsage().rss / 1e6, 0)} MB`,
      );
      for (const row of rows.splice(0)) console.log(row);
    }
  } finally {
    await server.stop();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `map benchmark — ${new Date().toISOString()}, load average ${(await import('node:os'))
    .loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`,
);
console.log('| backend | cases in DB | on the map | request | viewer | p50 ms | p95 ms | answer |');
console.log('|---|---|---|---|---|---|---|---|');
for (const backend of backends) await benchBackend(backend);
