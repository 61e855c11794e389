/**
 * A small closed-loop load generator, run as its own process so it does not share the server's event
 * loop: `concurrency` workers each send one request, wait for the answer, and send the next, for
 * `durationMs`. Prints one JSON line with the count, errors, throughput and latency percentiles.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';

interface LoadPlan {
  url: string;
  kind: 'health' | 'intake';
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  cookies: string[];
  points: { lng: number; lat: number }[];
  categories: string[];
}

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadPlan;
const agent = new Agent({ connections: plan.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
const latencies: number[] = [];
let errors = 0;
const statusCounts: Record<string, number> = {};
let serial = 0;

async function one(worker: number, record: boolean): Promise<void> {
  const started = performance.now();
  let status = 0;
  try {
    if (plan.kind === 'health') {
      const response = await request(`${plan.url}/api/health`, { dispatcher: agent });
      status = response.statusCode;
      await response.body.dump();
    } else {
      const n = serial++;
      const point = plan.points[n % plan.points.length]!;
      const response = await request(`${plan.url}/api/cases`, {
        method: 'POST',
        dispatcher: agent,
        headers: {
          'content-type': 'application/json',
          cookie: plan.cookies[worker % plan.cookies.length]!,
          'idempotency-key': `bench-${process.pid}-${n}`,
        },
        body: JSON.stringify({
          categoryCode: plan.categories[n % plan.categories.length],
          description: `压测上报 ${n}：村口垃圾堆放，需要清运`,
          location: point,
        }),
      });
      status = response.statusCode;
      await response.body.dump();
    }
  } catch {
    status = -1;
  }
  if (!record) return;
  statusCounts[status] = (statusCounts[status] ?? 0) + 1;
  if (status < 200 || status >= 300) errors++;
  latencies.push(performance.now() - started);
}

async function worker(index: number, until: number, record: boolean): Promise<void> {
  while (performance.now() < until) await one(index, record);
}

const warmupEnd = performance.now() + plan.warmupMs;
await Promise.all(Array.from({ length: plan.concurrency }, (_, i) => worker(i, warmupEnd, false)));
const start = performance.now();
await Promise.all(
  Array.from({ length: plan.concurrency }, (_, i) => worker(i, start + plan.durationMs, true)),
);
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
process.stdout.write(
  JSON.stringify({
    kind: plan.kind,
    requests: latencies.length,
    errors,
    statusCounts,
    seconds: elapsed,
    perSecond: latencies.length / elapsed,
    p50: pct(50),
    p99: pct(99),
    max: latencies[latencies.length - 1] ?? 0,
  }) + '\n',
);
await agent.close();
