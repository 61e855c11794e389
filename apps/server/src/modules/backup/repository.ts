/**
 * The SQL of backup and restore, written once for PGlite and PostgreSQL. Restore must run whole
 * migration scripts and thousands of inserts in one transaction, which Kysely's PGlite dialect cannot
 * (its queries are single statements), so this module drives a small session of its own, as
 * db/migrate.ts does.
 */
import { CompiledQuery, sql } from 'kysely';
import type { Database } from '../../db/database.ts';

export interface SqlSession {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs several statements at once (a migration file). */
  script(text: string): Promise<void>;
}

/** Runs `work` in one transaction on either engine. */
export async function inSessionTransaction<T>(
  database: Database,
  work: (session: SqlSession) => Promise<T>,
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
      query: async <R>(text: string, params: unknown[] = []) =>
        (await trx.executeQuery<R>(CompiledQuery.raw(text, params))).rows,
      // Without parameters pg uses the simple protocol, which accepts many statements at once.
      script: async (text) => {
        await sql.raw(text).execute(trx);
      },
    }),
  );
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export interface TableInfo {
  name: string;
  /** Columns to insert (generated columns excluded), in table order. */
  columns: string[];
  /** Whether an identity column is GENERATED ALWAYS (inserting needs OVERRIDING SYSTEM VALUE). */
  hasAlwaysIdentity: boolean;
  /** Tables this one references (other than itself). */
  dependsOn: string[];
  /** Columns referencing the table itself (a unit's parent, a merged case's target). */
  selfReferences: string[];
  /** Whether the table has a single-column primary key named id (needed to link self-references after loading). */
  hasIdKey: boolean;
}

/** The tables of the current schema (schema_migrations aside), with what loading them needs to know. */
export async function describeTables(session: SqlSession): Promise<TableInfo[]> {
  const tables = await session.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
      ORDER BY table_name`,
  );
  const columns = await session.query<{
    table_name: string;
    column_name: string;
    is_generated: string;
    identity_generation: string | null;
  }>(
    `SELECT table_name, column_name, is_generated, identity_generation FROM information_schema.columns
      WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  );
  const references = await session.query<{ child: string; parent: string; columns: string[] }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
      GROUP BY c.oid, c.conrelid, c.confrelid`,
  );
  const keys = await session.query<{ table_name: string; columns: string[] }>(
    `SELECT c.conrelid::regclass::text AS table_name, array_agg(a.attname::text) AS columns
       FROM pg_constraint c
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.contype = 'p' AND c.connamespace = current_schema()::regnamespace
      GROUP BY c.oid, c.conrelid`,
  );
  return tables.map(({ name }) => {
    const own = columns.filter((column) => column.table_name === name);
    const outgoing = references.filter((reference) => unquote(reference.child) === name);
    const key = keys.find((k) => unquote(k.table_name) === name)?.columns ?? [];
    return {
      name,
      columns: own.filter((column) => column.is_generated !== 'ALWAYS').map((column) => column.column_name),
      hasAlwaysIdentity: own.some((column) => column.identity_generation === 'ALWAYS'),
      dependsOn: [...new Set(outgoing.map((r) => unquote(r.parent)).filter((parent) => parent !== name))],
      selfReferences: outgoing.filter((r) => unquote(r.parent) === name).flatMap((r) => pgArray(r.columns)),
      hasIdKey: pgArray(key).length === 1 && pgArray(key)[0] === 'id',
    };
  });
}

/** regclass text is quoted only when it must be. */
function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}

/** Arrays of names come back as arrays from pg and PGlite alike, or as '{a,b}' text from older drivers. */
function pgArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);
}

/** Parents before children, so that every foreign key finds its row; a cycle is an error. */
export function loadOrder(tables: TableInfo[]): TableInfo[] {
  const byName = new Map(tables.map((table) => [table.name, table]));
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: TableInfo, path: string[]) => {
    if (state.get(table.name) === 'done') return;
    if (state.get(table.name) === 'visiting') {
      throw new Error(`foreign keys form a cycle: ${[...path, table.name].join(' → ')}`);
    }
    state.set(table.name, 'visiting');
    for (const parent of table.dependsOn) {
      const dependency = byName.get(parent);
      if (dependency) visit(dependency, [...path, table.name]);
    }
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

export async function appliedMigrations(
  session: SqlSession,
): Promise<{ version: string; name: string; checksum: string }[]> {
  const exists = await session.query<{ exists: boolean }>(
    `SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`,
  );
  if (!exists[0]?.exists) return [];
  return session.query(`SELECT version, name, checksum FROM schema_migrations ORDER BY version`);
}

export interface SequenceState {
  name: string;
  /** null: the sequence was never used. */
  lastValue: number | null;
}

export async function readSequences(session: SqlSession): Promise<SequenceState[]> {
  const rows = await session.query<{ name: string; last_value: number | string | null }>(
    `SELECT sequencename AS name, last_value FROM pg_sequences WHERE schemaname = current_schema() ORDER BY sequencename`,
  );
  return rows.map((row) => ({
    name: row.name,
    lastValue: row.last_value === null ? null : Number(row.last_value),
  }));
}

export async function restoreSequence(session: SqlSession, sequence: SequenceState): Promise<void> {
  if (sequence.lastValue === null) return;
  await session.query(`SELECT setval($1::regclass, $2::int8, true)`, [
    quoteIdent(sequence.name),
    sequence.lastValue,
  ]);
}

/**
 * Streams a table's rows as JSON text through a cursor (the snapshot of the enclosing transaction),
 * a page at a time.
 */
export async function* readTableRows(
  session: SqlSession,
  table: string,
  pageSize = 2000,
): AsyncGenerator<string[]> {
  const cursor = `backup_${table.replace(/\W/g, '_')}`;
  await session.query(
    `DECLARE ${quoteIdent(cursor)} NO SCROLL CURSOR FOR SELECT row_to_json(t)::text AS row FROM ${quoteIdent(table)} t`,
  );
  try {
    for (;;) {
      const rows = await session.query<{ row: string }>(`FETCH ${pageSize} FROM ${quoteIdent(cursor)}`);
      if (rows.length === 0) break;
      yield rows.map((row) => row.row);
    }
  } finally {
    await session.query(`CLOSE ${quoteIdent(cursor)}`);
  }
}

/** Inserts rows given as JSON objects (as row_to_json wrote them); returns how many went in. */
export async function insertRows(
  session: SqlSession,
  table: TableInfo,
  rows: string[],
  nulled: readonly string[] = [],
): Promise<number> {
  const columns = table.columns.map(quoteIdent);
  const values = table.columns.map((column) =>
    nulled.includes(column) ? 'NULL' : `r.${quoteIdent(column)}`,
  );
  const result = await session.query<{ count: number | string }>(
    `WITH inserted AS (
       INSERT INTO ${quoteIdent(table.name)} (${columns.join(', ')})
       ${table.hasAlwaysIdentity ? 'OVERRIDING SYSTEM VALUE' : ''}
       SELECT ${values.join(', ')} FROM json_populate_recordset(NULL::${quoteIdent(table.name)}, $1::json) AS r
       RETURNING 1)
     SELECT count(*) AS count FROM inserted`,
    [`[${rows.join(',')}]`],
  );
  return Number(result[0]?.count ?? 0);
}

/** Second pass for self-references: sets the given columns of already inserted rows, by id. */
export async function linkSelfReferences(
  session: SqlSession,
  table: TableInfo,
  rows: string[],
  columns: readonly string[],
): Promise<void> {
  const assignments = columns.map((column) => `${quoteIdent(column)} = r.${quoteIdent(column)}`).join(', ');
  const anySet = columns.map((column) => `r.${quoteIdent(column)} IS NOT NULL`).join(' OR ');
  await session.query(
    `UPDATE ${quoteIdent(table.name)} AS t SET ${assignments}
       FROM json_populate_recordset(NULL::${quoteIdent(table.name)}, $1::json) AS r
      WHERE t.id = r.id AND (${anySet})`,
    [`[${rows.join(',')}]`],
  );
}

/** Tables the instance fills by itself (reference data, its signing key): their rows do not make a database "in use". */
export const INSTANCE_TABLES = new Set([
  'case_categories',
  'calendar_days',
  'calendar_years',
  'signing_keys',
]);

/** The tables that hold rows someone put there; empty means nobody's data would be overwritten. */
export async function tablesWithData(session: SqlSession): Promise<string[]> {
  const tables = await session.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
      ORDER BY table_name`,
  );
  const used: string[] = [];
  for (const { name } of tables) {
    if (INSTANCE_TABLES.has(name)) continue;
    const rows = await session.query(`SELECT 1 FROM ${quoteIdent(name)} LIMIT 1`);
    if (rows.length > 0) used.push(name);
  }
  return used;
}

/** Empties the schema: every table, function and sequence of the current schema goes. */
export async function dropSchema(session: SqlSession): Promise<void> {
  await session.script(`DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;`);
}

export async function setTriggers(
  session: SqlSession,
  tables: readonly string[],
  enabled: boolean,
): Promise<void> {
  for (const table of tables) {
    await session.query(`ALTER TABLE ${quoteIdent(table)} ${enabled ? 'ENABLE' : 'DISABLE'} TRIGGER USER`);
  }
}

export async function recordMigration(
  session: SqlSession,
  migration: { version: string; name: string; checksum: string },
): Promise<void> {
  await session.query(`INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`, [
    migration.version,
    migration.name,
    migration.checksum,
  ]);
}

export async function createMigrationsTable(session: SqlSession): Promise<void> {
  await session.script(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now())`);
}

/** Reads and runs the SQL of one transaction's worth of work: the caller's snapshot for a backup. */
export async function beginSnapshot(session: SqlSession): Promise<void> {
  // One consistent picture of every table, however long the dump takes; PGlite's single connection
  // gives the same by holding the database for the transaction.
  await session.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
}
