import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import type { Database } from './database.ts';

import { MIGRATIONS_DIR } from '../paths.ts';

export { MIGRATIONS_DIR };

export interface MigrationFile {
  version: string;
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): MigrationFile[] {
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      return {
        version: file.slice(0, 4),
        name: file.slice(5, -4),
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      };
    });
}

// Any fixed number: several processes starting together must not apply the same file twice.
const MIGRATION_LOCK = 7_404_201;

/** Runs a query inside the migration's transaction; `script` runs many statements at once. */
interface ScriptSession {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  script(text: string): Promise<void>;
}

/**
 * Applies every numbered .sql file not yet recorded, each in its own transaction together with its
 * record in schema_migrations. A recorded file whose text changed is refused: migrations are history.
 */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())`.execute(database.db);
  const applied: string[] = [];
  for (const migration of readMigrations(dir)) {
    const done = await inTransaction(database, async (session) => {
      await session.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const [row] = await session.query<{ checksum: string }>(
        'SELECT checksum FROM schema_migrations WHERE version = $1',
        [migration.version],
      );
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.version}_${migration.name} was changed after it was applied; add a new migration instead`,
          );
        }
        return false;
      }
      await session.script(migration.sql);
      await session.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      return true;
    });
    if (done) applied.push(`${migration.version}_${migration.name}`);
  }
  return applied;
}

async function inTransaction<T>(
  database: Database,
  work: (session: ScriptSession) => Promise<T>,
): Promise<T> {
  const { pglite } = database;
  if (pglite) {
    return pglite.transaction(async (tx) =>
      work({
        query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
        script: async (text) => {
          await tx.exec(text);
        },
      }),
    );
  }
  return database.db.transaction().execute(async (trx) =>
    work({
      query: async <R>(text: string, params: unknown[] = []) => {
        const result = await trx.executeQuery<R>(CompiledQuery.raw(text, params));
        return result.rows;
      },
      // No parameters: pg uses the simple protocol, which accepts many statements in one call.
      script: async (text) => {
        await sql.raw(text).execute(trx);
      },
    }),
  );
}
