#!/usr/bin/env node
// Builds the web apps when apps/web/dist is missing or older than their sources, so `npm start` and
// the browser tests always serve what the code says — without rebuilding on every start.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'apps/web');
const stamp = join(web, 'dist/.build-stamp');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

if (!readdirSync(web).some((file) => file.endsWith('.html'))) process.exit(0); // no web app yet

const sources = Math.max(newest(web), newest(join(root, 'packages/contract/src')));
if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources && process.argv[2] !== '--force') process.exit(0);

process.stdout.write('building the web apps (apps/web → apps/web/dist)…\n');
const result = spawnSync(
  process.execPath,
  [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
  {
    cwd: web,
    stdio: 'inherit',
  },
);
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, new Date().toISOString());
