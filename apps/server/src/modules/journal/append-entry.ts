import { canonicalEntry, type JournalEntryContent } from '@minqing/contract';
import { sha256Hex } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';

/** What a capability says happened to one of its records. */
export interface JournalEvent {
  streetId: string;
  recordType: string;
  recordId: string;
  action: string;
  actorId: string | null;
  actorRole: string | null;
  payload: unknown;
  at?: Date;
}

export interface PreparedEntry {
  content: JournalEntryContent;
  at: Date;
  hash: string;
}

/** The head of a record's chain: the last entry's seq and hash, or { seq: 0, hash: null } for a new record. */
export interface ChainHead {
  seq: number;
  hash: string | null;
}

export const NEW_RECORD: ChainHead = { seq: 0, hash: null };

/** Builds the entry that follows `head` in the record's chain and computes its hash. */
export function prepareEntry(event: JournalEvent, head: ChainHead): PreparedEntry {
  const at = new Date(event.at ?? Date.now());
  const content: JournalEntryContent = {
    // PostgreSQL gives uuids back in lower case; the hash must cover what a verifier will read.
    streetId: event.streetId.toLowerCase(),
    recordType: event.recordType,
    recordId: event.recordId.toLowerCase(),
    seq: head.seq + 1,
    action: event.action,
    actorId: event.actorId?.toLowerCase() ?? null,
    actorRole: event.actorRole,
    at: at.toISOString(),
    // Round-trip through JSON so the hash covers exactly what jsonb will give back (no undefined, no Dates).
    payload: JSON.parse(JSON.stringify(event.payload ?? {})) as unknown,
    prevHash: head.hash,
  };
  return { content, at, hash: sha256Hex(canonicalEntry(content)) };
}

/**
 * Appends entries in the caller's transaction, so the journal and the current-state tables commit
 * together or not at all. The unique (record_type, record_id, seq) constraint refuses a forked chain.
 */
export async function insertEntries(trx: Db, entries: PreparedEntry[]): Promise<number[]> {
  if (entries.length === 0) return [];
  const rows = await trx
    .insertInto('journal_entries')
    .values(
      entries.map(({ content, at, hash }) => ({
        street_id: content.streetId,
        record_type: content.recordType,
        record_id: content.recordId,
        seq: content.seq,
        action: content.action,
        actor_id: content.actorId,
        actor_role: content.actorRole,
        at,
        payload: JSON.stringify(content.payload),
        prev_hash: content.prevHash,
        hash,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Reads the head of a record's chain. Call it while holding the record's row lock. */
export async function readChainHead(trx: Db, recordType: string, recordId: string): Promise<ChainHead> {
  const row = await trx
    .selectFrom('journal_entries')
    .select(['seq', 'hash'])
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: row.seq, hash: row.hash } : NEW_RECORD;
}

/** Appends one event to its record's chain (reads the head, hashes, inserts). */
export async function appendEntry(
  trx: Db,
  event: JournalEvent,
  head?: ChainHead,
): Promise<PreparedEntry & { id: number }> {
  const prepared = prepareEntry(event, head ?? (await readChainHead(trx, event.recordType, event.recordId)));
  const [id] = await insertEntries(trx, [prepared]);
  return { ...prepared, id: id! };
}
