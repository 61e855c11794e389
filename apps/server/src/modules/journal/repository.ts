/**
 * The journal's SQL: signing keys, sealing, batch heads, a record's entries, and the bulk reads of
 * verification. Every query here runs the same on PGlite and on PostgreSQL.
 */
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface SigningKeyRow {
  keyId: string;
  algorithm: string;
  /** Raw public key, base64. */
  publicKey: string;
  createdAt: Date;
  retiredAt: Date | null;
}

/** Records a public key so that anyone can check the batches it signs; a key already known is kept as it is. */
export async function registerSigningKey(
  db: Db,
  key: { keyId: string; algorithm: string; publicKey: string },
): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({ key_id: key.keyId, algorithm: key.algorithm, public_key: key.publicKey })
    .onConflict((conflict) => conflict.column('key_id').doNothing())
    .execute();
}

export async function listSigningKeys(db: Db): Promise<SigningKeyRow[]> {
  const rows = await db
    .selectFrom('signing_keys')
    .selectAll()
    .orderBy('created_at')
    .orderBy('key_id')
    .execute();
  return rows.map((row) => ({
    keyId: row.key_id,
    algorithm: row.algorithm,
    publicKey: row.public_key,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  }));
}

// Any fixed number, distinct from the migration lock: one sealer at a time across all processes.
const SEALER_LOCK = 7_404_202;

/**
 * Takes the sealer's lock for the rest of the transaction. A second sealer waits (the first finishes
 * a batch in milliseconds) but not forever: after `timeoutMs` it reports the lock as held elsewhere.
 */
export async function lockSealer(trx: Db, timeoutMs: number): Promise<boolean> {
  await sql`SELECT set_config('lock_timeout', ${`${Math.max(1, Math.round(timeoutMs))}ms`}, true)`.execute(
    trx,
  );
  try {
    await sql`SELECT pg_advisory_xact_lock(${SEALER_LOCK})`.execute(trx);
    await sql`SET LOCAL lock_timeout TO DEFAULT`.execute(trx);
    return true;
  } catch (error) {
    // lock_not_available: the timeout passed. The transaction is aborted; the caller rolls it back.
    if ((error as { code?: unknown }).code === '55P03') return false;
    throw error;
  }
}

export async function streetsWithUnsealedEntries(db: Db, streetId?: string): Promise<string[]> {
  let query = db.selectFrom('journal_entries').select('street_id').distinct().where('batch_id', 'is', null);
  if (streetId) query = query.where('street_id', '=', streetId);
  const rows = await query.execute();
  return rows.map((row) => row.street_id);
}

export async function readUnsealedEntries(
  trx: Db,
  streetId: string,
  limit: number,
): Promise<{ id: number; hash: string }[]> {
  return trx
    .selectFrom('journal_entries')
    .select(['id', 'hash'])
    .where('street_id', '=', streetId)
    .where('batch_id', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function lastBatchOfStreet(
  trx: Db,
  streetId: string,
): Promise<{ seq: number; headHash: string } | undefined> {
  const row = await trx
    .selectFrom('journal_batches')
    .select(['seq', 'head_hash'])
    .where('street_id', '=', streetId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: row.seq, headHash: row.head_hash } : undefined;
}

/** The database's clock to the millisecond: the same clock that stamped the entries' committed_at. */
export async function databaseNow(trx: Db): Promise<Date> {
  const result = await sql<{
    now: Date;
  }>`SELECT date_trunc('milliseconds', clock_timestamp()) AS now`.execute(trx);
  return new Date(result.rows[0]!.now);
}

export interface NewBatch {
  streetId: string;
  seq: number;
  size: number;
  merkleRoot: string;
  prevHeadHash: string | null;
  headHash: string;
  firstEntryId: number;
  lastEntryId: number;
  sealedAt: Date;
  keyId: string;
  signature: string;
}

export async function insertBatch(trx: Db, batch: NewBatch): Promise<number> {
  const row = await trx
    .insertInto('journal_batches')
    .values({
      street_id: batch.streetId,
      seq: batch.seq,
      size: batch.size,
      merkle_root: batch.merkleRoot,
      prev_head_hash: batch.prevHeadHash,
      head_hash: batch.headHash,
      first_entry_id: batch.firstEntryId,
      last_entry_id: batch.lastEntryId,
      sealed_at: batch.sealedAt,
      key_id: batch.keyId,
      signature: batch.signature,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Gives each entry its batch and leaf index (its position in `entryIds`), the one change the
 * append-only trigger allows, and only while the entry has no batch yet. Returns how many changed.
 */
export async function markEntriesSealed(
  trx: Db,
  batchId: number,
  entryIds: readonly number[],
): Promise<number> {
  // One JSON parameter instead of thousands of placeholders: the same statement on both engines.
  const result = await sql`
    UPDATE journal_entries AS e
       SET batch_id = ${batchId}, leaf_index = (m.ordinality - 1)::int
      FROM jsonb_array_elements_text(${JSON.stringify(entryIds)}::jsonb) WITH ORDINALITY AS m(id, ordinality)
     WHERE e.id = m.id::bigint AND e.batch_id IS NULL`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

export interface SealingDelayRow {
  p50: number | null;
  p95: number | null;
  max: number | null;
  sealedCount: number;
}

/**
 * Percentiles of sealed_at − committed_at, in milliseconds, over entries sealed since `since`. Goes
 * through the batches (few) and their members (indexed by batch), never a scan of the whole journal.
 */
export async function sealingDelayStats(
  db: Db,
  { streetId, since }: { streetId?: string | undefined; since: Date },
): Promise<SealingDelayRow> {
  const result = await sql<{
    p50: number | null;
    p95: number | null;
    max: number | null;
    sealed_count: number;
  }>`
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d)::float8 AS p50,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY d)::float8 AS p95,
           max(d)::float8 AS max,
           count(*)::int8 AS sealed_count
      FROM (SELECT GREATEST(0, extract(epoch FROM b.sealed_at - e.committed_at) * 1000) AS d
              FROM journal_batches b
              JOIN journal_entries e ON e.batch_id = b.id
             WHERE b.sealed_at >= ${since}
               ${streetId ? sql`AND b.street_id = ${streetId}` : sql``}) AS delays`.execute(db);
  const row = result.rows[0]!;
  return { p50: row.p50, p95: row.p95, max: row.max, sealedCount: Number(row.sealed_count) };
}

export async function unsealedStats(
  db: Db,
  streetId?: string,
): Promise<{ count: number; oldestCommittedAt: Date | null }> {
  let query = db
    .selectFrom('journal_entries')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('committed_at').as('oldest')])
    .where('batch_id', 'is', null);
  if (streetId) query = query.where('street_id', '=', streetId);
  const row = await query.executeTakeFirstOrThrow();
  return { count: Number(row.count), oldestCommittedAt: row.oldest ? new Date(row.oldest) : null };
}

// ---------------------------------------------------------------------------------------------
// Verification: bulk reads that hand the CPU-heavy work to check-entries.ts.

/**
 * One line per entry in the layout of ENTRY_LINE_FIELDS (check-entries.ts). The database renders the
 * whole page as one text value: per-row and per-field decoding in the driver (and PGlite's wire
 * protocol in WebAssembly) would otherwise cost more than hashing. Nullable fields become '' only
 * where '' cannot be a value (uuids, numbers, hashes); the free-text names go through JSON.
 */
const ENTRY_LINE = sql<string>`concat_ws(E'\t', id, coalesce(batch_id::text, ''), coalesce(leaf_index::text, ''),
  street_id, record_id, seq, coalesce(actor_id::text, ''), extract(epoch FROM at) * 1000,
  coalesce(prev_hash, ''), hash, json_build_array(record_type, action, actor_role), payload)`;

export async function countEntries(db: Db, streetId?: string): Promise<number> {
  let query = db.selectFrom('journal_entries').select((eb) => eb.fn.countAll<number>().as('count'));
  if (streetId) query = query.where('street_id', '=', streetId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface BatchHeadRecord {
  id: number;
  streetId: string;
  seq: number;
  size: number;
  merkleRoot: string;
  prevHeadHash: string | null;
  headHash: string;
  firstEntryId: number;
  lastEntryId: number;
  sealedAt: Date;
  keyId: string;
  signature: string;
}

function toBatchHead(row: {
  id: number;
  street_id: string;
  seq: number;
  size: number;
  merkle_root: string;
  prev_head_hash: string | null;
  head_hash: string;
  first_entry_id: number;
  last_entry_id: number;
  sealed_at: Date;
  key_id: string;
  signature: string;
}): BatchHeadRecord {
  return {
    id: row.id,
    streetId: row.street_id,
    seq: row.seq,
    size: row.size,
    merkleRoot: row.merkle_root,
    prevHeadHash: row.prev_head_hash,
    headHash: row.head_hash,
    firstEntryId: row.first_entry_id,
    lastEntryId: row.last_entry_id,
    sealedAt: row.sealed_at,
    keyId: row.key_id,
    signature: row.signature,
  };
}

/**
 * A page of batch heads in id order after `afterId` (each street's seq order), as head lines
 * (HEAD_LINE_FIELDS): at most `maxBatches`, and only as many as hold about `maxEntries` entries
 * (always at least one).
 */
export async function readBatchHeadLines(
  db: Db,
  options: { streetId?: string | undefined; afterId: number; maxBatches: number; maxEntries: number },
): Promise<{ text: string; count: number; lastId: number }> {
  const result = await sql<{ page: string | null; count: number; last_id: number | null }>`
    SELECT string_agg(line, E'\n') AS page, count(*)::int8 AS count, max(id) AS last_id
      FROM (SELECT id, concat_ws(E'\t', id, street_id, seq, size, merkle_root, coalesce(prev_head_hash, ''),
                     head_hash, first_entry_id, last_entry_id, extract(epoch FROM sealed_at) * 1000,
                     json_build_array(key_id, signature)) AS line
              FROM (SELECT *, sum(size) OVER (ORDER BY id) AS running
                      FROM (SELECT * FROM journal_batches
                             WHERE id > ${options.afterId}
                               ${options.streetId ? sql`AND street_id = ${options.streetId}` : sql``}
                             ORDER BY id LIMIT ${options.maxBatches}) AS page) AS counted
             WHERE running - size < ${options.maxEntries}
             ORDER BY id) AS lines`.execute(db);
  const row = result.rows[0]!;
  return { text: row.page ?? '', count: Number(row.count), lastId: Number(row.last_id ?? options.afterId) };
}

/**
 * The entries naming a batch id in (afterBatchId, lastBatchId], in batch and leaf order, as entry
 * lines. A range rather than a list, so that entries naming a batch that does not exist are read
 * (and named) too; with a street scope, only that street's entries.
 */
export async function readSealedEntryLines(
  db: Db,
  options: { afterBatchId: number; lastBatchId: number; streetId?: string | undefined },
): Promise<string> {
  const result = await sql<{ page: string | null }>`
    SELECT string_agg(line, E'\n') AS page
      FROM (SELECT ${ENTRY_LINE} AS line FROM journal_entries
             WHERE batch_id > ${options.afterBatchId} AND batch_id <= ${options.lastBatchId}
               ${options.streetId ? sql`AND street_id = ${options.streetId}` : sql``}
             ORDER BY batch_id, leaf_index) AS lines`.execute(db);
  return result.rows[0]?.page ?? '';
}

/** A street's unsealed entries after `afterId`, in id order, as entry lines (through the partial index). */
export async function readUnsealedEntryLines(
  db: Db,
  { streetId, afterId, limit }: { streetId: string; afterId: number; limit: number },
): Promise<{ text: string; count: number; lastId: number }> {
  const result = await sql<{ page: string | null; count: number; last_id: number | null }>`
    SELECT string_agg(line, E'\n') AS page, count(*)::int8 AS count, max(id) AS last_id
      FROM (SELECT id, ${ENTRY_LINE} AS line FROM journal_entries
             WHERE street_id = ${streetId} AND batch_id IS NULL AND id > ${afterId}
             ORDER BY id LIMIT ${limit}) AS lines`.execute(db);
  const row = result.rows[0]!;
  return { text: row.page ?? '', count: Number(row.count), lastId: Number(row.last_id ?? afterId) };
}

/**
 * Entries whose batch is missing or belongs to another street: they escape the batch-ordered read,
 * so verification names them from here when the counts do not add up.
 */
export async function findStrayEntries(
  db: Db,
  { streetId, limit }: { streetId?: string | undefined; limit: number },
): Promise<
  { id: number; recordType: string; recordId: string; seq: number; streetId: string; batchId: number }[]
> {
  let query = db
    .selectFrom('journal_entries as e')
    .leftJoin('journal_batches as b', 'b.id', 'e.batch_id')
    .select(['e.id', 'e.record_type', 'e.record_id', 'e.seq', 'e.street_id', 'e.batch_id'])
    .where('e.batch_id', 'is not', null)
    .where((eb) => eb.or([eb('b.id', 'is', null), eb('b.street_id', '!=', eb.ref('e.street_id'))]))
    .orderBy('e.id')
    .limit(limit);
  if (streetId) query = query.where('e.street_id', '=', streetId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    recordType: row.record_type,
    recordId: row.record_id,
    seq: row.seq,
    streetId: row.street_id,
    batchId: row.batch_id!,
  }));
}

/** The SQL types of a table's columns (information_schema data_type), for comparing projections. */
export async function tableColumnTypes(db: Db, table: string): Promise<Map<string, string>> {
  const result = await sql<{ column_name: string; data_type: string }>`
    SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = ${table}`.execute(db);
  return new Map(result.rows.map((row) => [row.column_name, row.data_type]));
}

/**
 * Rows of a projection table by id, as JSON arrays [id, ...columns] (one text value per chunk, for
 * the same reason as the entry lines). Table and column names come from the record-type registry
 * (code), never from a request.
 */
export async function readProjectionRows(
  db: Db,
  { table, columns, ids }: { table: string; columns: readonly string[]; ids: readonly string[] },
): Promise<unknown[][]> {
  if (ids.length === 0) return [];
  const values = sql.join([sql.ref('id'), ...columns.map((column) => sql.ref(column))]);
  const result = await sql<{ rows: string | null }>`
    SELECT json_agg(json_build_array(${values}))::text AS rows
      FROM ${sql.table(table)} WHERE id IN (${sql.join(ids)})`.execute(db);
  const text = result.rows[0]?.rows;
  return text ? (JSON.parse(text) as unknown[][]) : [];
}

/** Rows (of a table whose every row must come from the journal) that have no journal entry at all. */
export async function findUnjournaledRows(
  db: Db,
  options: {
    table: string;
    recordType: string;
    streetColumn: string;
    streetId?: string | undefined;
    limit: number;
  },
): Promise<string[]> {
  const result = await sql<{ id: string }>`
    SELECT t.id FROM ${sql.table(options.table)} AS t
     WHERE NOT EXISTS (SELECT 1 FROM journal_entries j WHERE j.record_type = ${options.recordType} AND j.record_id = t.id)
       ${options.streetId ? sql`AND ${sql.ref(`t.${options.streetColumn}`)} = ${options.streetId}` : sql``}
     ORDER BY t.id LIMIT ${options.limit}`.execute(db);
  return result.rows.map((row) => row.id);
}

// ---------------------------------------------------------------------------------------------
// The public API: a record's entries, batch heads, batch members.

export interface EntryRow {
  id: number;
  streetId: string;
  recordType: string;
  recordId: string;
  seq: number;
  action: string;
  actorId: string | null;
  actorRole: string | null;
  at: Date;
  payload: unknown;
  prevHash: string | null;
  hash: string;
  batchId: number | null;
  leafIndex: number | null;
}

/** A record's entries in chain order (the unique (record_type, record_id, seq) index). */
export async function readRecordEntries(db: Db, recordType: string, recordId: string): Promise<EntryRow[]> {
  const rows = await db
    .selectFrom('journal_entries')
    .selectAll()
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    streetId: row.street_id,
    recordType: row.record_type,
    recordId: row.record_id,
    seq: row.seq,
    action: row.action,
    actorId: row.actor_id,
    actorRole: row.actor_role,
    at: row.at,
    payload: row.payload,
    prevHash: row.prev_hash,
    hash: row.hash,
    batchId: row.batch_id,
    leafIndex: row.leaf_index,
  }));
}

export async function readBatchHeadsByIds(db: Db, ids: readonly number[]): Promise<BatchHeadRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('journal_batches')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  return rows.map(toBatchHead);
}

export async function findBatchHead(db: Db, id: number): Promise<BatchHeadRecord | undefined> {
  const row = await db.selectFrom('journal_batches').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toBatchHead(row) : undefined;
}

/** A street's batch heads in chain order after seq `afterSeq` (the (street_id, seq) unique index). */
export async function listStreetBatchHeads(
  db: Db,
  { streetId, afterSeq, limit }: { streetId: string; afterSeq: number; limit: number },
): Promise<BatchHeadRecord[]> {
  const rows = await db
    .selectFrom('journal_batches')
    .selectAll()
    .where('street_id', '=', streetId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toBatchHead);
}

/** The hashes of a batch's members in leaf order (the (batch_id, leaf_index) index). */
export async function readBatchMemberHashes(db: Db, batchId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('journal_entries')
    .select('hash')
    .where('batch_id', '=', batchId)
    .orderBy('leaf_index')
    .execute();
  return rows.map((row) => row.hash);
}

/** The street of a record, from its first journal entry. */
export async function findRecordStreet(
  db: Db,
  recordType: string,
  recordId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('journal_entries')
    .select('street_id')
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .orderBy('seq')
    .limit(1)
    .executeTakeFirst();
  return row?.street_id;
}
