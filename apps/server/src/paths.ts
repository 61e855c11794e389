import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The server package's folder (apps/server), found by walking up from this file: the same code runs
 * from its TypeScript sources (src/, through tsx or vitest) and from the start-up bundle (dist/), so a
 * path relative to "this file" would differ between the two.
 */
export const SERVER_ROOT = findServerRoot(dirname(fileURLToPath(import.meta.url)));

export const MIGRATIONS_DIR = join(SERVER_ROOT, 'migrations');
export const REFERENCE_DATA_DIR = join(SERVER_ROOT, 'reference-data');
export const WEB_DIST_DIR = join(SERVER_ROOT, '../web/dist');
/** The TypeScript sources: worker threads load their entry from here through tsx. */
export const SERVER_SOURCE_DIR = join(SERVER_ROOT, 'src');

function findServerRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@minqing/server'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`the @minqing/server package was not found above ${start}`);
  }
}
