import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The browser journeys serve the built web apps: build them when the sources changed. */
export default function setup() {
  const script = fileURLToPath(new URL('../scripts/ensure-web-build.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [script], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the web apps failed');
}
