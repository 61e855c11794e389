#!/usr/bin/env node
// Builds the web apps when apps/web/dist is missing or older than their sources, so `npm start` and
// the browser tests always serve what the code says — without rebuilding on every start.
// Several test runs may ask at once (parallel workers, several checkouts' tools): one builds under a
// lock, into a fresh folder that replaces dist in one rename, so a server never serves half a build.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'apps/web');
const dist = join(web, 'dist');
const stamp = join(dist, '.build-stamp');
const lock = join(web, '.dist-build.lock');
const force = process.argv[2] === '--force';

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('dist') || entry.startsWith('.dist')) continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

function upToDate() {
  const sources = Math.max(newest(web), newest(join(root, 'packages/contract/src')));
  return existsSync(stamp) && statSync(stamp).mtimeMs >= sources;
}

if (!readdirSync(web).some((file) => file.endsWith('.html'))) process.exit(0); // no web app yet
if (!force && upToDate()) process.exit(0);

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (;;) {
  try {
    mkdirSync(lock);
    break;
  } catch {
    // A lock older than ten minutes was left by a build that died.
    if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 600_000)
      rmSync(lock, { recursive: true, force: true });
    sleep(500);
  }
}
try {
  if (force || !upToDate()) build(); // else built by whoever held the lock
} finally {
  rmSync(lock, { recursive: true, force: true });
}

function build() {
  process.stdout.write('building the web apps (apps/web → apps/web/dist)…\n');
  const outDir = join(web, `.dist-${process.pid}`);
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', outDir],
    // Always a production build: test runners set NODE_ENV=test, which would give React's development build.
    { cwd: web, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0) {
    rmSync(outDir, { recursive: true, force: true });
    process.exitCode = result.status ?? 1;
  } else {
    writeFileSync(join(outDir, '.build-stamp'), new Date().toISOString());
    const old = join(web, `.dist-old-${process.pid}`);
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(outDir, dist);
    rmSync(old, { recursive: true, force: true });
  }
}
