/**
 * Writes src/db/schema.generated.ts from the migrated schema, so Kysely's table types can never
 * drift from the SQL migrations. `npm run db:types`; a test fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { renderDbTypes } from '../db/render-db-types.ts';

export const GENERATED_TYPES_PATH = fileURLToPath(new URL('../db/schema.generated.ts', import.meta.url));

const database = await openDatabase({ dataDir: 'memory://' });
try {
  await migrate(database);
  writeFileSync(GENERATED_TYPES_PATH, await renderDbTypes(database));
} finally {
  await database.close();
}
