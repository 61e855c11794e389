/**
 * Writes apps/server/openapi.json from the routes' zod schemas. The document is committed so changes
 * to the API show up in review; a test fails when the committed file differs from the code.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { loadReferenceData } from '../reference-data.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const OPENAPI_PATH = fileURLToPath(new URL('../../openapi.json', import.meta.url));

export function stringifyOpenApi(document: unknown): string {
  return JSON.stringify(document, null, 2) + '\n';
}

const dataDir = mkdtempSync(join(tmpdir(), 'minqing-openapi-'));
const database = await openDatabase({ dataDir: 'memory://' });
try {
  // Plugins read their tables at start (the grid index, for one): the schema must exist.
  await migrate(database);
  await loadReferenceData(database.db);
  const app = await buildApp({
    config: { ...loadConfig({ DATA_DIR: dataDir }), runBackgroundJobs: false },
    database,
  });
  await app.ready();
  writeFileSync(OPENAPI_PATH, stringifyOpenApi(app.swagger()));
  await app.close();
} finally {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
