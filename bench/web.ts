/**
 * npm run bench:web — the 民情地图 pages in Chromium against `minqing serve` with the demo street:
 *
 * 1. what /screen and /m/map load before their map is drawn (HTML, JS, CSS: bytes and gzipped bytes),
 * 2. time from navigation to the first outline and the first case markers on the map (cold cache),
 * 3. a screen left running while reports stream in: JS heap and DOM size after each round (no growth),
 *
 * beside a baseline measured in the same run: the landing page `/` (server-rendered HTML, no script),
 * loaded the same way in the same browser;
 *
 * 4. the staff console (/console) with 10,000 open cases in the demo database: what a cold first load
 *    fetches (bytes, gzipped), the time from navigation to an interactive workbench (queue counts shown
 *    and the first page of the list drawn) at 1440×900, a tab switch once loaded, and the two requests
 *    behind it (GET /api/console/queues, GET /api/cases) beside GET /api/health — the same landing page
 *    as baseline, loaded in the same browser in the same run.
 *
 * 5. the phone site: /m/report cold on slow 4G with a 4× slower CPU (bench/web-phone.ts).
 *
 * BENCH_WEB_PARTS=map,console,phone (default all), BENCH_RUNS (cold loads per page), BENCH_OPEN_CASES (10000).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadConfig } from '../apps/server/src/config.ts';
import { analyzeDatabase } from '../apps/server/src/db/maintenance.ts';
import { createCase } from '../apps/server/src/modules/cases/create-case.ts';
import { loadActor } from '../apps/server/src/modules/people/sessions.ts';
import { startServer as startInProcess } from '../apps/server/src/server.ts';
import { fmt, scratchDir } from './setup.ts';
import { benchPhone } from './web-phone.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = `${ROOT}apps/server/bin/minqing.js`;
const DIST = `${ROOT}apps/web/dist`;
const RUNS = Number(process.env.BENCH_RUNS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const REPORTS_PER_ROUND = Number(process.env.BENCH_REPORTS ?? 150);
const PARTS = (process.env.BENCH_WEB_PARTS ?? 'map,console,phone').split(',');
const OPEN_CASES = Number(process.env.BENCH_OPEN_CASES ?? 10_000);
const DEMO_PASSWORD = 'Minqing@2026';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const median = (values: number[]) => percentile(values, 50);
const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;

async function startServer(port: number): Promise<ChildProcess> {
  const dataDir = scratchDir('minqing-bench-web');
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`minqing exited with ${child.exitCode}`);
    try {
      const status = (await (await fetch(`http://127.0.0.1:${port}/api/demo/status`)).json()) as {
        state: string;
      };
      if (status.state === 'ready') return child;
      if (status.state === 'failed') throw new Error('demo seeding failed');
    } catch (error) {
      if (error instanceof Error && error.message === 'demo seeding failed') throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

interface Load {
  firstOutlineMs: number | null;
  firstMarkersMs: number | null;
  loadEventMs: number;
  resources: { path: string; bytes: number; gzip: number }[];
}

function sizeOf(path: string, body: Buffer | null): { bytes: number; gzip: number } {
  const content = path.startsWith('/assets/') ? readFileSync(`${DIST}${path}`) : (body ?? Buffer.alloc(0));
  return { bytes: content.length, gzip: gzipSync(content).length };
}

/** One cold load in a fresh context: timings from the page's own clock, and every same-origin file it fetched. */
async function coldLoad(
  browser: Browser,
  base: string,
  path: string,
  viewport: { width: number; height: number },
  waitForMap: boolean,
): Promise<Load> {
  const context = await browser.newContext({
    baseURL: base,
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const scope = globalThis as any;
    scope.__marks = { outline: null, markers: null };
    new scope.MutationObserver(() => {
      const doc = scope.document;
      if (scope.__marks.outline === null && doc.querySelector('path[data-unit-id]'))
        scope.__marks.outline = scope.performance.now();
      if (scope.__marks.markers === null && doc.querySelector('.mq-case, .mq-cluster'))
        scope.__marks.markers = scope.performance.now();
    }).observe(scope.document, { subtree: true, childList: true, attributes: true });
  });
  const resources: Load['resources'] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin !== new URL(base).origin || url.pathname.startsWith('/api/')) return;
    pending.push(
      (url.pathname.startsWith('/assets/') ? Promise.resolve(null) : response.body())
        .then((body) => {
          resources.push({ path: url.pathname, ...sizeOf(url.pathname, body) });
        })
        .catch(() => undefined),
    );
  });
  await page.goto(path, { waitUntil: 'load' });
  if (waitForMap)
    await page.waitForFunction(() => (globalThis as any).__marks.markers !== null, undefined, {
      timeout: 60_000,
    });
  await Promise.all(pending);
  const marks = await page.evaluate(() => {
    const scope = globalThis as any;
    const navigation = scope.performance.getEntriesByType('navigation')[0];
    return { ...scope.__marks, load: navigation.loadEventEnd as number };
  });
  await context.close();
  return { firstOutlineMs: marks.outline, firstMarkersMs: marks.markers, loadEventMs: marks.load, resources };
}

function describeLoads(name: string, loads: Load[]): void {
  const first = loads[0]!;
  const bytes = first.resources.reduce((sum, r) => sum + r.bytes, 0);
  const gzip = first.resources.reduce((sum, r) => sum + r.gzip, 0);
  console.log(`\n${name}`);
  console.log(
    `  loaded before the map was drawn: ${first.resources.length} files, ${kb(bytes)} (${kb(gzip)} gzipped)`,
  );
  for (const resource of [...first.resources].sort((a, b) => b.gzip - a.gzip)) {
    console.log(
      `    ${resource.path.padEnd(44)} ${kb(resource.bytes).padStart(10)}  ${kb(resource.gzip).padStart(10)} gz`,
    );
  }
  const series = (pick: (load: Load) => number | null) =>
    loads.map(pick).filter((v): v is number => v !== null);
  const show = (label: string, values: number[]) =>
    values.length > 0 &&
    console.log(
      `  ${label.padEnd(30)} median ${fmt(median(values), 0)} ms, p95 ${fmt(percentile(values, 95), 0)} ms (${values.length} cold loads)`,
    );
  show(
    'load event',
    series((load) => load.loadEventMs),
  );
  show(
    'first outline on the map',
    series((load) => load.firstOutlineMs),
  );
  show(
    'first case markers',
    series((load) => load.firstMarkersMs),
  );
}

async function heap(page: Page): Promise<{ heapMb: number; nodes: number; feed: number; markers: number }> {
  const session = await page.context().newCDPSession(page);
  await session.send('HeapProfiler.collectGarbage');
  const usage = (await session.send('Runtime.getHeapUsage')) as { usedSize: number };
  await session.detach();
  const dom = await page.evaluate(() => {
    const doc = (globalThis as any).document;
    return {
      nodes: doc.getElementsByTagName('*').length as number,
      feed: doc.querySelectorAll('.feed-item').length as number,
      markers: doc.querySelectorAll('.leaflet-marker-pane > *').length as number,
    };
  });
  return { heapMb: usage.usedSize / 1024 / 1024, ...dom };
}

async function signIn(base: string, login: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: DEMO_PASSWORD }),
  });
  if (!response.ok) throw new Error(`sign-in as ${login}: ${response.status} ${await response.text()}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** Parts 1–3: the 民情地图 pages against `minqing serve` with the demo street. */
async function benchMap(browser: Browser): Promise<void> {
  const port = 19000 + Math.floor(Math.random() * 1000);
  const base = `http://127.0.0.1:${port}`;
  console.log('starting minqing with the demo street (first start seeds it)…');
  const server = await startServer(port);
  try {
    const streets = (await (await fetch(`${base}/api/units`)).json()) as {
      items: { id: string; name: string }[];
    };
    const street = streets.items.find((item) => item.name === '附城镇') ?? streets.items[0]!;
    const search = (await (
      await fetch(`${base}/api/units/search?q=${encodeURIComponent('新山村')}&kind=community`)
    ).json()) as { items: { id: string }[] };
    const village = search.items[0]!;
    const screenSize = { width: 1920, height: 1080 };
    const phoneSize = { width: 390, height: 844 };

    const landing: Load[] = [];
    const screen: Load[] = [];
    const phone: Load[] = [];
    for (let i = 0; i < RUNS; i++) {
      landing.push(await coldLoad(browser, base, '/', screenSize, false));
      screen.push(await coldLoad(browser, base, `/screen?unit=${street.id}`, screenSize, true));
      phone.push(await coldLoad(browser, base, `/m/map?unit=${village.id}`, phoneSize, true));
    }
    console.log(
      `\n民情地图 in Chromium ${browser.version()}, ${street.name} / 新山村 of the demo, ${RUNS} cold loads each`,
    );
    describeLoads('baseline: landing page / (server-rendered, no script)', landing);
    describeLoads(`/screen?unit=<${street.name}> at 1920×1080`, screen);
    describeLoads('/m/map?unit=<新山村> at 390×844', phone);

    // A screen left running: reports stream in round after round; memory must level off.
    const cookie = await signIn(base, 'xinshan');
    const categories = ['0101', '0102', '0201', '0203', '0302', '0401', '0501', '0601'];
    const village0 = (await (await fetch(`${base}/api/units/${village.id}`)).json()) as {
      bbox: [number, number, number, number];
    };
    const context = await browser.newContext({
      baseURL: base,
      viewport: screenSize,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    await page.goto(`/screen?unit=${street.id}`);
    await page.waitForSelector('.screen[data-live-status="open"]');
    await page.waitForSelector('.mq-case, .mq-cluster');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const samples = [{ round: 0, reports: 0, ...(await heap(page)) }];
    let made = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      for (let i = 0; i < REPORTS_PER_ROUND; i++) {
        const [w, s, e, n] = village0.bbox;
        const response = await fetch(`${base}/api/cases`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({
            categoryCode: categories[made % categories.length],
            description: `压测上报 ${made}`,
            location: {
              lng: w + (e - w) * (0.2 + 0.6 * Math.random()),
              lat: s + (n - s) * (0.2 + 0.6 * Math.random()),
            },
          }),
        });
        if (!response.ok) throw new Error(`report ${made}: ${response.status} ${await response.text()}`);
        made++;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 5000)); // let the screen catch up and settle
      samples.push({ round, reports: made, ...(await heap(page)) });
    }
    await context.close();
    console.log(
      `\na /screen left running while reports stream in (${REPORTS_PER_ROUND} per round, 10 a second)`,
    );
    console.log('  round  reports  JS heap after GC  DOM elements  feed lines  map markers');
    for (const sample of samples) {
      console.log(
        `  ${String(sample.round).padStart(5)}  ${String(sample.reports).padStart(7)}  ${`${fmt(sample.heapMb, 1)} MB`.padStart(16)}  ${String(sample.nodes).padStart(12)}  ${String(sample.feed).padStart(10)}  ${String(sample.markers).padStart(11)}`,
      );
    }
  } finally {
    server.kill('SIGTERM');
  }
}

interface ConsoleLoad {
  countsMs: number;
  rowsMs: number;
  interactiveMs: number;
  loadEventMs: number;
  resources: { path: string; bytes: number; gzip: number }[];
}

/** Ray casting on the outer ring: is the point inside the polygon? */
function inside(point: [number, number], ring: number[][]): boolean {
  let isIn = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i]!;
    const [xj = 0, yj = 0] = ring[j]!;
    if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi)
      isIn = !isIn;
  }
  return isIn;
}

/**
 * One cold load of the workbench in a fresh context, signed in: the page's own clock marks when the
 * queue counts are shown (a number on the first tab, not "…") and when the first list row is drawn.
 */
async function coldConsole(browser: Browser, base: string, cookie: string): Promise<ConsoleLoad> {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const [name, value] = cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: base }]);
  const page = await context.newPage();
  await page.addInitScript(() => {
    const scope = globalThis as any;
    scope.__marks = { counts: null, rows: null };
    new scope.MutationObserver(() => {
      const doc = scope.document;
      const badge = doc.querySelector('[data-queue] .ant-badge');
      if (scope.__marks.counts === null && badge && /\d/.test(badge.textContent ?? ''))
        scope.__marks.counts = scope.performance.now();
      if (scope.__marks.rows === null && doc.querySelector('.ant-table-tbody .ant-table-row'))
        scope.__marks.rows = scope.performance.now();
    }).observe(scope.document, { subtree: true, childList: true, characterData: true });
  });
  const resources: ConsoleLoad['resources'] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.origin !== new URL(base).origin || url.pathname.startsWith('/api/')) return;
    pending.push(
      (url.pathname.startsWith('/assets/') ? Promise.resolve(null) : response.body())
        .then((body) => {
          resources.push({ path: url.pathname, ...sizeOf(url.pathname, body) });
        })
        .catch(() => undefined),
    );
  });
  await page.goto('/console', { waitUntil: 'load' });
  await page.waitForFunction(
    () => {
      const marks = (globalThis as any).__marks;
      return marks.counts !== null && marks.rows !== null;
    },
    undefined,
    { timeout: 120_000 },
  );
  await Promise.all(pending);
  const marks = await page.evaluate(() => {
    const scope = globalThis as any;
    const navigation = scope.performance.getEntriesByType('navigation')[0];
    return { ...scope.__marks, load: navigation.loadEventEnd as number };
  });
  await context.close();
  return {
    countsMs: marks.counts,
    rowsMs: marks.rows,
    interactiveMs: Math.max(marks.counts, marks.rows),
    loadEventMs: marks.load,
    resources,
  };
}

/** Median and p95 of `count` sequential GETs of `path` with the cookie. */
async function timeRequests(base: string, path: string, cookie: string, count: number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${base}${path}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
    times.push(performance.now() - started);
  }
  return { median: median(times), p95: percentile(times, 95) };
}

/**
 * Part 4: the staff console on the demo database with OPEN_CASES open cases in 新山村, served by an
 * in-process server on PGlite (the cases are reported through the intake use-case, so each has its
 * routing, deadline and journal entry like any other).
 */
async function benchConsole(browser: Browser): Promise<void> {
  const dataDir = scratchDir('minqing-bench-console');
  const config = {
    ...loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', SEED_DEMO: 'true', DATABASE_URL: '' }),
    seedDemo: true,
    // The bench reports its own cases; no deadline pass should move them while it measures.
    schedulerIntervalMs: 3_600_000,
  };
  console.log('\nstarting an in-process minqing with the demo street for the console…');
  const server = await startInProcess(config);
  const base = server.url.replace('localhost', '127.0.0.1');
  try {
    while (server.app.demo.status.state !== 'ready') {
      if (server.app.demo.status.state === 'failed') throw new Error('demo seeding failed');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const db = server.app.db;
    const village = await db
      .selectFrom('units')
      .select(['id', 'path'])
      .where('kind', '=', 'community')
      .where('name', '=', '新山村')
      .executeTakeFirstOrThrow();
    const grids = await db
      .selectFrom('units')
      .select(['id', 'geometry'])
      .where('kind', '=', 'grid')
      .where('parent_id', '=', village.id)
      .execute();
    // Points inside the village's grids, so every case lands in 新山村's queues.
    const points: { lng: number; lat: number }[] = [];
    for (const grid of grids) {
      const geometry = (typeof grid.geometry === 'string' ? JSON.parse(grid.geometry) : grid.geometry) as {
        type: string;
        coordinates: number[][][] | number[][][][];
      } | null;
      if (!geometry) continue;
      const ring = (
        geometry.type === 'Polygon' ? geometry.coordinates[0] : geometry.coordinates[0]![0]
      ) as number[][];
      const xs = ring.map((p) => p[0]!);
      const ys = ring.map((p) => p[1]!);
      for (let tries = 0; tries < 400 && points.length < (grids.indexOf(grid) + 1) * 20; tries++) {
        const lng = Math.min(...xs) + Math.random() * (Math.max(...xs) - Math.min(...xs));
        const lat = Math.min(...ys) + Math.random() * (Math.max(...ys) - Math.min(...ys));
        if (inside([lng, lat], ring))
          points.push({ lng: Math.round(lng * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 });
      }
    }
    const residents = await db
      .selectFrom('role_assignments')
      .select('user_id')
      .where('role', '=', 'resident')
      .where('unit_id', '=', village.id)
      .limit(50)
      .execute();
    const reporters = await Promise.all(residents.map((r) => loadActor(db, r.user_id)));
    const categories = ['0101', '0102', '0201', '0203', '0302', '0401', '0501', '0601'];
    const openBefore = await countOpen(server.app.db, village.path);
    const toMake = Math.max(0, OPEN_CASES - openBefore);
    const started = performance.now();
    for (let i = 0; i < toMake; i++) {
      await createCase(server.app, reporters[i % reporters.length]!, {
        categoryCode: categories[i % categories.length]!,
        description: `控制台压测事件 ${i}：村口垃圾堆放，请尽快清运`,
        location: points[i % points.length]!,
      });
      if ((i + 1) % 2000 === 0) console.log(`  ${i + 1} of ${toMake} cases reported…`);
    }
    const seedSeconds = (performance.now() - started) / 1000;
    // What a running server's maintenance job (every 10 minutes on PGlite) does after such a burst.
    await analyzeDatabase(server.app.db);
    const open = await countOpen(server.app.db, village.path);
    console.log(
      `  ${toMake} cases reported in ${fmt(seedSeconds, 0)} s; 新山村 now has ${open} open cases (demo's own included)`,
    );

    const cookie = await signIn(base, 'xinshan');
    // Warm the server's caches once (category store, calendar), as a running instance has them.
    await timeRequests(base, '/api/console/queues', cookie, 1);

    const landing: Load[] = [];
    const consoleLoads: ConsoleLoad[] = [];
    for (let i = 0; i < RUNS; i++) {
      landing.push(await coldLoad(browser, base, '/', { width: 1440, height: 900 }, false));
      consoleLoads.push(await coldConsole(browser, base, cookie));
    }

    // A tab switch once loaded: from 待受理 to 待派遣 and back, until the list is drawn again.
    const context = await browser.newContext({ baseURL: base, viewport: { width: 1440, height: 900 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();
    await page.goto('/console');
    await page.waitForSelector('.ant-table-tbody .ant-table-row');
    const switches: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const queue of ['to_dispatch', 'to_accept'] as const) {
        const startedAt = performance.now();
        await page.locator(`[data-queue="${queue}"]`).click();
        await page.waitForFunction(
          (q) =>
            (globalThis as any).location.search.includes(`queue=${q}`) &&
            !(globalThis as any).document.querySelector('.ant-spin-spinning'),
          queue,
        );
        switches.push(performance.now() - startedAt);
      }
    }
    await context.close();

    const health = await timeRequests(base, '/api/health', cookie, 30);
    const queues = await timeRequests(base, '/api/console/queues', cookie, 30);
    const list = await timeRequests(base, '/api/cases?state=reported&limit=50', cookie, 30);

    console.log(
      `\nstaff console in Chromium ${browser.version()}, 新山村's community admin, ${open} open cases, ${RUNS} cold loads each, 1440×900, unthrottled`,
    );
    describeLoads('baseline: landing page / (server-rendered, no script)', landing);
    const first = consoleLoads[0]!;
    const bytes = first.resources.reduce((sum, r) => sum + r.bytes, 0);
    const gzip = first.resources.reduce((sum, r) => sum + r.gzip, 0);
    console.log('\n/console workbench (待受理 tab, first 50 of the list)');
    console.log(`  first load: ${first.resources.length} files, ${kb(bytes)} (${kb(gzip)} gzipped)`);
    for (const resource of [...first.resources].sort((a, b) => b.gzip - a.gzip)) {
      console.log(
        `    ${resource.path.padEnd(44)} ${kb(resource.bytes).padStart(10)}  ${kb(resource.gzip).padStart(10)} gz`,
      );
    }
    const show = (label: string, values: number[]) =>
      console.log(
        `  ${label.padEnd(34)} median ${fmt(median(values), 0)} ms, p95 ${fmt(percentile(values, 95), 0)} ms (${values.length})`,
      );
    show(
      'load event',
      consoleLoads.map((l) => l.loadEventMs),
    );
    show(
      'queue counts shown',
      consoleLoads.map((l) => l.countsMs),
    );
    show(
      'first list page drawn',
      consoleLoads.map((l) => l.rowsMs),
    );
    show(
      'interactive workbench (both)',
      consoleLoads.map((l) => l.interactiveMs),
    );
    show('tab switch, list drawn again', switches);
    console.log('\nthe requests behind it (sequential, 30 each, from Node on the same machine)');
    console.log(
      `  GET /api/health                        median ${fmt(health.median)} ms, p95 ${fmt(health.p95)} ms`,
    );
    console.log(
      `  GET /api/console/queues                median ${fmt(queues.median)} ms, p95 ${fmt(queues.p95)} ms`,
    );
    console.log(
      `  GET /api/cases?state=reported&limit=50 median ${fmt(list.median)} ms, p95 ${fmt(list.p95)} ms`,
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function countOpen(
  db: Awaited<ReturnType<typeof startInProcess>>['app']['db'],
  path: string,
): Promise<number> {
  const row = await db
    .selectFrom('cases')
    .innerJoin('units', 'units.id', 'cases.community_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('units.path', '=', path)
    .where('cases.state', 'not in', ['closed', 'rejected', 'merged'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---------------------------------------------------------------------------------------------------

const build = spawnSync(process.execPath, [`${ROOT}scripts/ensure-web-build.mjs`], { stdio: 'inherit' });
if (build.status !== 0) throw new Error('building the web apps failed');
console.log(
  `load average at start: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')} (${cpus().length} cores)`,
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--lang=zh-CN'],
});
try {
  if (PARTS.includes('map')) await benchMap(browser);
  if (PARTS.includes('console')) await benchConsole(browser);
  if (PARTS.includes('phone')) await benchPhone(browser);
} finally {
  await browser.close();
}
console.log(
  `load average at end: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
