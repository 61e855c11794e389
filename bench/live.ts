/**
 * npm run bench:live — the live stream's fan-out and its memory (docs/benchmarks.md).
 *
 * One server process (PostgreSQL by default); BENCH_LIVE_CLIENTS (default 5000) public SSE clients
 * follow the street from a worker thread (its own event loop, so reading the streams does not slow
 * the server's). Then BENCH_LIVE_REPORTS reports (default 20, one every 500 ms) are made over HTTP,
 * and each client's receipt of each `case` event is timed from the moment the report was sent
 * (report → on every screen, an upper bound of commit → delivery). Baseline in the same run: the
 * same report's HTTP round trip with no stream open, and GET /api/health.
 *
 * Memory: the server isolate's heap (after GC) before and with the clients connected, per client;
 * then one stream kept open while BENCH_LIVE_SOAK reports (default 1000) flow through it, the heap
 * sampled along the way (a screen left open for a day must not grow).
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadConfig } from '../apps/server/src/config.ts';
import { startServer } from '../apps/server/src/server.ts';
import { buildBenchCommunity, createScratchDatabase, fmt, scratchDir } from './setup.ts';

const clients = Number(process.env.BENCH_LIVE_CLIENTS ?? 5000);
const reports = Number(process.env.BENCH_LIVE_REPORTS ?? 20);
const soak = Number(process.env.BENCH_LIVE_SOAK ?? 1000);
const backend = process.env.BENCH_BACKENDS?.split(',')[0] ?? 'postgres';

const now = () => performance.timeOrigin + performance.now();

/** The clients, as plain JavaScript in a worker thread. */
const CLIENT_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const now = () => performance.timeOrigin + performance.now();
const receipts = new Map();
let ready = 0;
let failed = 0;
const requests = [];
for (let i = 0; i < workerData.count; i++) {
  const request = http.get(workerData.url, { agent, headers: { accept: 'text/event-stream' } }, (response) => {
    let buffer = '';
    let isReady = false;
    response.setEncoding('utf8');
    response.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\\n\\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (frame.includes('event: ready') && !isReady) {
          isReady = true;
          ready++;
          if (ready + failed === workerData.count) parentPort.postMessage({ type: 'connected', ready, failed });
        } else if (frame.includes('event: case')) {
          const match = /"code":"([^"]+)"/.exec(frame);
          if (match && /"action":"report"/.test(frame)) {
            const list = receipts.get(match[1]) ?? [];
            list.push(now());
            receipts.set(match[1], list);
          }
        }
      }
    });
  });
  request.on('error', () => {
    failed++;
    if (ready + failed === workerData.count) parentPort.postMessage({ type: 'connected', ready, failed });
  });
  requests.push(request);
}
parentPort.on('message', (message) => {
  if (message === 'collect') parentPort.postMessage({ type: 'receipts', receipts: [...receipts] });
  if (message === 'close') {
    for (const request of requests) request.destroy();
    agent.destroy();
    parentPort.postMessage({ type: 'closed' });
  }
});
`;

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const dataDir = scratchDir('minqing-bench-live');
  const scratch = backend === 'postgres' ? await createScratchDatabase('minqing_bench_live') : null;
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
  const url = server.url.replace('localhost', '127.0.0.1');
  try {
    const community = await buildBenchCommunity(server.app, { residents: 8 });
    let serial = 0;
    const report = async (): Promise<{ code: string; sentAt: number; ms: number }> => {
      const n = serial++;
      const sentAt = now();
      const response = await fetch(`${url}/api/cases`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: community.cookies[n % community.cookies.length]!,
        },
        body: JSON.stringify({
          categoryCode: '0101',
          description: `实时压测 ${n}：村口垃圾堆放`,
          location: community.points[n % community.points.length],
        }),
      });
      const body = (await response.json()) as { code: string };
      if (response.status !== 201)
        throw new Error(`report answered ${response.status}: ${JSON.stringify(body)}`);
      return { code: body.code, sentAt, ms: now() - sentAt };
    };

    // Baselines: health and a report with no stream open.
    const health: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = now();
      await (await fetch(`${url}/api/health`)).arrayBuffer();
      health.push(now() - started);
    }
    const quiet: number[] = [];
    for (let i = 0; i < 10; i++) quiet.push((await report()).ms);
    health.sort((a, b) => a - b);
    quiet.sort((a, b) => a - b);

    // Fan-out to `clients` streams.
    const heapBefore = heapMb();
    const rssBefore = process.memoryUsage().rss / 1e6;
    const connectStarted = now();
    const worker = new Worker(CLIENT_CODE, {
      eval: true,
      workerData: { url: `${url}/api/live?unitId=${community.street.id}&types=case`, count: clients },
    });
    const messages: ((message: any) => void)[] = [];
    worker.on('message', (message) => messages.shift()?.(message));
    const nextMessage = () => new Promise<any>((resolve) => messages.push(resolve));
    const connected = await nextMessage();
    const connectSeconds = (now() - connectStarted) / 1000;
    await sleep(1000);
    const heapWith = heapMb();
    const openStreams = server.app.live.hub.connections.size;

    const sent = new Map<string, number>();
    const withStreams: number[] = [];
    for (let i = 0; i < reports; i++) {
      const result = await report();
      sent.set(result.code, result.sentAt);
      withStreams.push(result.ms);
      await sleep(500);
    }
    await sleep(3000);
    worker.postMessage('collect');
    const { receipts } = (await nextMessage()) as { receipts: [string, number[]][] };
    const latencies: number[] = [];
    let delivered = 0;
    for (const [code, times] of receipts) {
      const at = sent.get(code);
      if (at === undefined) continue;
      delivered += times.length;
      for (const time of times) latencies.push(time - at);
    }
    latencies.sort((a, b) => a - b);
    withStreams.sort((a, b) => a - b);
    worker.postMessage('close');
    await nextMessage();
    await worker.terminate();
    await sleep(1000);

    // Soak: one stream open while many events flow through it.
    const soakWorker = new Worker(CLIENT_CODE, {
      eval: true,
      workerData: { url: `${url}/api/live?unitId=${community.street.id}`, count: 1 },
    });
    const soakMessages: ((message: any) => void)[] = [];
    soakWorker.on('message', (message) => soakMessages.shift()?.(message));
    const nextSoak = () => new Promise<any>((resolve) => soakMessages.push(resolve));
    await nextSoak();
    const samples: { events: number; heapMb: number }[] = [{ events: 0, heapMb: heapMb() }];
    const step = Math.max(1, Math.floor(soak / 5));
    for (let i = 1; i <= soak; i++) {
      await report();
      if (i % step === 0) {
        await sleep(200);
        samples.push({ events: i, heapMb: heapMb() });
      }
    }
    soakWorker.postMessage('collect');
    const soakReceipts = (await nextSoak()) as { receipts: [string, number[]][] };
    soakWorker.postMessage('close');
    await nextSoak();
    await soakWorker.terminate();

    console.log(
      `\nlive benchmark — ${new Date().toISOString()}, ${backend}, load average ${loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
    );
    console.log(`| measure | value |`);
    console.log(`|---|---|`);
    console.log(
      `| GET /api/health p50 / p95 (baseline) | ${fmt(percentile(health, 0.5))} / ${fmt(percentile(health, 0.95))} ms |`,
    );
    console.log(
      `| report round trip, no stream open, p50 / p95 (baseline) | ${fmt(percentile(quiet, 0.5))} / ${fmt(percentile(quiet, 0.95))} ms |`,
    );
    console.log(
      `| streams connected (ready received) / failed / open on the server | ${connected.ready} / ${connected.failed} / ${openStreams} in ${fmt(connectSeconds)} s |`,
    );
    console.log(
      `| report round trip with the streams open, p50 / p95 | ${fmt(percentile(withStreams, 0.5))} / ${fmt(percentile(withStreams, 0.95))} ms |`,
    );
    console.log(`| events delivered / expected | ${delivered} / ${reports * connected.ready} |`);
    console.log(
      `| report sent → event received, p50 / p95 / p99 / max | ${fmt(percentile(latencies, 0.5))} / ${fmt(percentile(latencies, 0.95))} / ${fmt(percentile(latencies, 0.99))} / ${fmt(latencies.at(-1) ?? NaN)} ms |`,
    );
    console.log(
      `| server heap with the streams open (after GC) | ${fmt(heapBefore)} → ${fmt(heapWith)} MB: ${fmt(((heapWith - heapBefore) * 1e6) / Math.max(1, connected.ready) / 1024)} KB per stream; process RSS ${fmt(rssBefore)} → ${fmt(process.memoryUsage().rss / 1e6)} MB (clients included) |`,
    );
    console.log(
      `| one stream open while ${soak} reports flow through it: server heap after GC by events sent | ${samples.map((s) => `${s.events}: ${fmt(s.heapMb)} MB`).join(', ')} (events received: ${soakReceipts.receipts.length}) |`,
    );
  } finally {
    await server.stop();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
