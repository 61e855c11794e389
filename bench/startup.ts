/**
 * npm run bench:startup — time from `minqing serve` (the same command as `npm start`) to the first
 * answered request, on a fresh data folder and on an existing one, and the idle RSS after the demo is
 * seeded; beside a baseline of a bare Node.js HTTP server started the same way in the same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fmt, scratchDir } from './setup.ts';

const CLI = fileURLToPath(new URL('../apps/server/bin/minqing.js', import.meta.url));

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function waitForAnswer(url: string, child: ChildProcess, started: number): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

async function startMinqing(dataDir: string, port: number): Promise<{ ms: number; child: ChildProcess }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve'], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn', DATABASE_URL: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const ms = await waitForAnswer(`http://127.0.0.1:${port}/api/health`, child, started);
  return { ms, child };
}

async function waitForDemo(port: number): Promise<void> {
  for (;;) {
    const status = (await (await fetch(`http://127.0.0.1:${port}/api/demo/status`)).json()) as {
      state: string;
    };
    if (status.state === 'ready') return;
    if (status.state === 'failed') throw new Error('demo seeding failed');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const port = 18000 + Math.floor(Math.random() * 1000);

// Baseline: a bare node:http server, spawned the same way.
const baselineStarted = performance.now();
const baseline = spawn(
  process.execPath,
  ['-e', `require('http').createServer((q,s)=>s.end('ok')).listen(${port})`],
  { stdio: 'ignore' },
);
const baselineMs = await waitForAnswer(`http://127.0.0.1:${port}/`, baseline, baselineStarted);
const baselineRss = rssMb(baseline.pid!);
await stop(baseline);

const dataDir = scratchDir('minqing-startup');
const fresh = await startMinqing(dataDir, port);
await waitForDemo(port);
await new Promise((resolve) => setTimeout(resolve, 5000));
const freshIdleRss = rssMb(fresh.child.pid!);
await stop(fresh.child);

const restarts: number[] = [];
let idleRss = 0;
for (let i = 0; i < 3; i++) {
  const again = await startMinqing(dataDir, port);
  restarts.push(again.ms);
  if (i === 2) {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    idleRss = rssMb(again.child.pid!);
  }
  await stop(again.child);
}
rmSync(dataDir, { recursive: true, force: true });

restarts.sort((a, b) => a - b);
console.log(`\nstart-up benchmark — ${new Date().toISOString()}`);
console.log(
  `baseline: bare node:http server answers after ${fmt(baselineMs, 0)} ms, RSS ${fmt(baselineRss, 0)} MB`,
);
console.log(
  `minqing, fresh data folder (initdb + migrations; demo seeded in the background): first answer after ${fmt(fresh.ms, 0)} ms; idle RSS after seeding ${fmt(freshIdleRss, 0)} MB`,
);
console.log(
  `minqing, existing data folder: first answer after ${restarts.map((ms) => fmt(ms, 0)).join(' / ')} ms (median ${fmt(restarts[1]!, 0)}); idle RSS ${fmt(idleRss, 0)} MB`,
);
