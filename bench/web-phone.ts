import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { loadConfig } from '../apps/server/src/config.ts';
import type { LogSmsSender } from '../apps/server/src/modules/people/sms-sender.ts';
import { startServer as startInProcess } from '../apps/server/src/server.ts';
import { fmt, scratchDir } from './setup.ts';

/**
 * The phone site's part of `npm run bench:web` (BENCH_WEB_PARTS=phone): a signed-in resident opens
 * /m/report cold (empty cache, no service worker yet) at 390×844 in Chromium with the network throttled
 * to Lighthouse's "slow 4G" (562.5 ms request latency, 1.47 Mbit/s down, 675 kbit/s up) and the CPU
 * slowed 4×. Printed: what the page fetched before the report form was usable (bytes and gzipped JS+CSS),
 * the time until the form was usable (description box and category buttons on screen), and Largest
 * Contentful Paint — beside a baseline loaded the same way in the same run: the landing page `/`
 * (server-rendered HTML, no script). Goals (issue 4): ≤ 300 KB gzipped JS+CSS, usable < 3 s, LCP < 2.5 s.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = `${ROOT}apps/web/dist`;
const RUNS = Number(process.env.BENCH_PHONE_RUNS ?? 5);
const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1474.56 * 1024) / 8,
  uploadThroughput: (675 * 1024) / 8,
};
const UA =
  'Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240404 MMWEBID/6258 MicroMessenger/8.0.49.2600(0x28003133) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64';

interface PhoneLoad {
  usableMs: number | null;
  lcpMs: number | null;
  loadMs: number;
  files: { path: string; bytes: number; gzip: number }[];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;

async function coldPhoneLoad(
  browser: Browser,
  base: string,
  path: string,
  cookie: string | null,
  ready: string[] | null,
): Promise<PhoneLoad> {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    userAgent: UA,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  if (cookie) {
    const [name, value] = cookie.split('=');
    await context.addCookies([{ name: name!, value: value!, url: base }]);
  }
  await context.grantPermissions(['geolocation']);
  await context.setGeolocation({ latitude: 22.99, longitude: 115.35, accuracy: 20 });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.addInitScript((selectors: string[] | null) => {
    const scope = globalThis as any;
    scope.__phone = { usable: null, lcp: null };
    new scope.PerformanceObserver((list: any) => {
      for (const entry of list.getEntries()) scope.__phone.lcp = entry.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    if (selectors)
      new scope.MutationObserver(() => {
        if (
          scope.__phone.usable === null &&
          selectors.every((selector: string) => scope.document.querySelector(selector))
        )
          scope.__phone.usable = scope.performance.now();
      }).observe(scope.document, { subtree: true, childList: true });
  }, ready);
  const requests: { path: string; at: number }[] = [];
  const started = Date.now();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === new URL(base).origin && !url.pathname.startsWith('/api/'))
      requests.push({ path: url.pathname, at: Date.now() - started });
  });
  const html = new Map<string, Buffer>();
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (
      url.origin === new URL(base).origin &&
      !url.pathname.startsWith('/assets/') &&
      !url.pathname.startsWith('/api/')
    )
      void response
        .body()
        .then((body) => html.set(url.pathname, body))
        .catch(() => undefined);
  });
  await page.goto(path, { waitUntil: 'load', timeout: 120_000 });
  if (ready)
    await page.waitForFunction(() => (globalThis as any).__phone.usable !== null, undefined, {
      timeout: 120_000,
    });
  await page.waitForTimeout(1000); // LCP settles once the page stops painting larger things
  const marks = await page.evaluate(() => {
    const scope = globalThis as any;
    const navigation = scope.performance.getEntriesByType('navigation')[0];
    return {
      ...scope.__phone,
      load: navigation.loadEventEnd as number,
      origin: scope.performance.timeOrigin,
    };
  });
  await context.close();
  // What was asked for before the form was usable (the idle-time download of other pages comes later).
  const cutoff = marks.usable ?? marks.load;
  const files = requests
    .filter((request) => request.at <= cutoff + 50)
    .map((request) => {
      const content = request.path.startsWith('/assets/')
        ? readFileSync(`${DIST}${request.path}`)
        : (html.get(request.path) ?? Buffer.alloc(0));
      return { path: request.path, bytes: content.length, gzip: gzipSync(content).length };
    });
  return { usableMs: marks.usable, lcpMs: marks.lcp, loadMs: marks.load, files };
}

function describe(name: string, loads: PhoneLoad[], goals: boolean): void {
  const first = loads[0]!;
  const code = first.files.filter((f) => /\.(js|css)$/.test(f.path));
  const gzip = code.reduce((sum, f) => sum + f.gzip, 0);
  const bytes = code.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`\n${name}`);
  console.log(
    `  fetched first: ${first.files.length} files; JS+CSS ${kb(bytes)} (${kb(gzip)} gzipped)${goals ? ' — goal ≤ 300 KB gzipped' : ''}`,
  );
  for (const file of [...first.files].sort((a, b) => b.gzip - a.gzip).slice(0, 12))
    console.log(
      `    ${file.path.padEnd(44)} ${kb(file.bytes).padStart(10)}  ${kb(file.gzip).padStart(10)} gz`,
    );
  const show = (label: string, values: (number | null)[], goal?: string) => {
    const present = values.filter((v): v is number => v !== null);
    if (present.length > 0)
      console.log(
        `  ${label.padEnd(28)} median ${fmt(percentile(present, 50), 0)} ms, p95 ${fmt(percentile(present, 95), 0)} ms (${present.length} cold loads)${goal && goals ? ` — goal ${goal}` : ''}`,
      );
  };
  show(
    'load event',
    loads.map((l) => l.loadMs),
  );
  show(
    'report form usable',
    loads.map((l) => l.usableMs),
    '< 3000 ms',
  );
  show(
    'Largest Contentful Paint',
    loads.map((l) => l.lcpMs),
    '< 2500 ms',
  );
}

export async function benchPhone(browser: Browser): Promise<void> {
  const dataDir = scratchDir('minqing-bench-phone');
  const config = {
    ...loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', SEED_DEMO: 'false', DATABASE_URL: '' }),
    seedDemo: false,
  };
  console.log('\nphone site /m: starting an in-process minqing (no demo needed: a resident signs up)…');
  const server = await startInProcess(config);
  const base = server.url.replace('localhost', '127.0.0.1');
  try {
    const phone = '13900001234';
    const post = (path: string, body: object) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    await post('/api/auth/sms-code', { phone });
    const code = (server.app.smsSender as LogSmsSender).lastCodeFor(phone);
    const login = await post('/api/auth/sms-login', { phone, code });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    if (!login.ok || !cookie) throw new Error(`sign-in failed: ${login.status}`);
    console.log(
      `  throttled: slow 4G (${SLOW_4G.latency} ms, 1.47 Mbit/s down), CPU 4× slower; ${RUNS} cold loads each`,
    );

    const baseline: PhoneLoad[] = [];
    const report: PhoneLoad[] = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push(await coldPhoneLoad(browser, base, '/', null, null));
      report.push(
        await coldPhoneLoad(browser, base, '/m/report', cookie, [
          'textarea[aria-label="问题描述"]',
          '.m-category',
        ]),
      );
    }
    describe('baseline: the landing page / (server-rendered, no script), same throttling', baseline, false);
    describe('/m/report, signed-in resident, cold', report, true);
  } finally {
    await server.app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
