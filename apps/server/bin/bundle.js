// Where the start-up bundle lives and whether it is at least as new as every source it was built from.
// Shared by the `minqing` command and scripts/ensure-server-build.mjs (plain JavaScript: it runs
// before any TypeScript can be loaded).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
export const BUNDLE = join(SERVER_DIR, 'dist/cli.mjs');
const SOURCES = [join(SERVER_DIR, 'src'), join(SERVER_DIR, '../../packages/contract/src')];

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

export function bundleIsFresh() {
  if (!existsSync(BUNDLE)) return false;
  const sources = Math.max(...SOURCES.filter((dir) => existsSync(dir)).map(newest));
  return statSync(BUNDLE).mtimeMs >= sources;
}
