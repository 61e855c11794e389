import canonicalize from 'canonicalize';
import { z } from 'zod';
import { ZAllowedActions, ZId, ZInstant } from './common.ts';

/**
 * The fields of a journal entry that its hash covers. The canonical form is RFC 8785 (JCS) JSON of
 * this object, so any implementation — the server, `minqing verify`, a browser — gets the same bytes.
 */
export interface JournalEntryContent {
  streetId: string;
  recordType: string;
  recordId: string;
  seq: number;
  action: string;
  actorId: string | null;
  actorRole: string | null;
  /** ISO-8601 with milliseconds, UTC ('2026-11-29T06:00:00.000Z'). */
  at: string;
  payload: unknown;
  prevHash: string | null;
}

export const JOURNAL_FORMAT_VERSION = 1;

export function canonicalEntry(entry: JournalEntryContent): string {
  const text = canonicalize({
    v: JOURNAL_FORMAT_VERSION,
    street: entry.streetId,
    type: entry.recordType,
    record: entry.recordId,
    seq: entry.seq,
    action: entry.action,
    actor: entry.actorId,
    role: entry.actorRole,
    at: entry.at,
    payload: entry.payload,
    prev: entry.prevHash,
  });
  if (text === undefined) throw new Error('journal entry cannot be canonicalized');
  return text;
}

/** What a batch head's signature covers; its SHA-256 is the head hash that the next batch links to. */
export interface BatchHeadContent {
  streetId: string;
  seq: number;
  size: number;
  merkleRoot: string;
  prevHeadHash: string | null;
  firstEntryId: number;
  lastEntryId: number;
  sealedAt: string;
  keyId: string;
}

export function canonicalBatchHead(head: BatchHeadContent): string {
  const text = canonicalize({
    v: JOURNAL_FORMAT_VERSION,
    street: head.streetId,
    seq: head.seq,
    size: head.size,
    root: head.merkleRoot,
    prev: head.prevHeadHash,
    first: head.firstEntryId,
    last: head.lastEntryId,
    sealedAt: head.sealedAt,
    key: head.keyId,
  });
  if (text === undefined) throw new Error('batch head cannot be canonicalized');
  return text;
}

/**
 * A SHA-256 digest as 64 lowercase hex digits. Responses do not enforce the shape: a tampered row
 * must still be shown as it is stored, so that the verifier (not the server) can say what is wrong.
 */
export const ZHash = z.string().describe('SHA-256, 64 lowercase hex digits');

/** A journal entry as stored: its hashed content, its hash and where the sealer put it. */
export const ZJournalEntry = z
  .object({
    id: z.number().int().describe('Entry id (the global append order)'),
    streetId: ZId.describe('The street the record belongs to'),
    recordType: z.string().describe("The record's type, e.g. 'case'"),
    recordId: ZId,
    seq: z.number().int().describe("Position in the record's chain, from 1"),
    action: z.string().describe('What happened, e.g. report, accept, dispatch'),
    actorId: ZId.nullable().describe('Who did it; null for the system'),
    actorRole: z.string().nullable().describe('The role under which they acted'),
    at: ZInstant,
    payload: z.unknown().describe('The event; payload.set holds the current-state columns it changed'),
    prevHash: ZHash.nullable().describe("Hash of the record's previous entry; null for the first"),
    hash: ZHash.describe('SHA-256 of canonicalEntry(content)'),
    batchId: z.number().int().nullable().describe('The batch that sealed the entry; null until sealed'),
    leafIndex: z.number().int().nullable().describe('Position in the batch'),
  })
  .describe('A journal entry');
export type JournalEntry = z.infer<typeof ZJournalEntry>;

/**
 * An RFC 6962 (Certificate Transparency) inclusion proof: the sibling hashes from the leaf up to the
 * root of the batch's Merkle tree. The leaf is SHA-256(0x00 ‖ entry hash bytes), an inner node
 * SHA-256(0x01 ‖ left ‖ right).
 */
export const ZInclusionProof = z
  .object({
    leafIndex: z.number().int().describe("The entry's position in its batch (0-based)"),
    treeSize: z.number().int().describe('How many entries the batch holds'),
    path: z.array(ZHash).describe('Sibling hashes, leaf to root'),
  })
  .describe('Merkle inclusion proof of an entry in its batch (RFC 6962 §2.1.1)');
export type InclusionProof = z.infer<typeof ZInclusionProof>;

/** A sealed batch head as published: what its signature covers plus the signature itself. */
export const ZBatchHead = z
  .object({
    id: z.number().int().describe('Batch id'),
    streetId: ZId.describe('The street whose chain of batches this batch extends'),
    seq: z.number().int().describe("Position in the street's chain of batches, from 1"),
    size: z.number().int().describe('Number of entries (Merkle leaves)'),
    merkleRoot: ZHash.describe("Root of the RFC 6962 Merkle tree over the entries' hashes in leaf order"),
    prevHeadHash: ZHash.nullable().describe("Head hash of the street's previous batch; null for the first"),
    headHash: ZHash.describe('SHA-256 of the canonical head (canonicalBatchHead)'),
    firstEntryId: z.number().int().describe('Id of the first entry (leaf 0)'),
    lastEntryId: z.number().int().describe('Id of the last entry'),
    sealedAt: ZInstant,
    keyId: z.string().describe('Which signing key signed (see /.well-known/minqing/journal-keys.json)'),
    signature: z.string().describe('Ed25519 signature of the canonical head, base64'),
  })
  .describe('Signed head of a journal batch');
export type BatchHead = z.infer<typeof ZBatchHead>;

/** The content of a batch head that its hash and signature cover. */
export function batchHeadContent(head: BatchHead): BatchHeadContent {
  return {
    streetId: head.streetId,
    seq: head.seq,
    size: head.size,
    merkleRoot: head.merkleRoot,
    prevHeadHash: head.prevHeadHash,
    firstEntryId: head.firstEntryId,
    lastEntryId: head.lastEntryId,
    sealedAt: head.sealedAt,
    keyId: head.keyId,
  };
}

/** The content of a journal entry that its hash covers. */
export function journalEntryContent(entry: JournalEntry): JournalEntryContent {
  return {
    streetId: entry.streetId,
    recordType: entry.recordType,
    recordId: entry.recordId,
    seq: entry.seq,
    action: entry.action,
    actorId: entry.actorId,
    actorRole: entry.actorRole,
    at: entry.at,
    payload: entry.payload,
    prevHash: entry.prevHash,
  };
}

export const ZRecordType = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, {
    error: '记录类型应为小写字母开头的短名称 / record type must be a short lower-case name',
  })
  .describe("A journaled record type, e.g. 'case'");

/** GET /api/journal/records/:recordType/:recordId */
export const ZRecordJournalParams = z.strictObject({
  recordType: ZRecordType,
  recordId: ZId,
});

export const ZJournalEntryWithProof = ZJournalEntry.extend({
  proof: ZInclusionProof.nullable().describe('Null until the sealer has put the entry into a batch'),
});
export type JournalEntryWithProof = z.infer<typeof ZJournalEntryWithProof>;

/**
 * One record's journal: every entry in chain order with its hash, the signed heads of the batches
 * that hold them, and an inclusion proof per sealed entry — enough for anyone to recompute it all.
 */
export const ZRecordJournal = z
  .object({
    recordType: z.string(),
    recordId: ZId,
    entries: z.array(ZJournalEntryWithProof),
    batches: z.array(ZBatchHead).describe('The heads of the batches the entries are sealed in'),
    allowedActions: ZAllowedActions,
  })
  .describe("A record's journal with everything needed to verify it");
export type RecordJournal = z.infer<typeof ZRecordJournal>;

/** GET /api/journal/batches — a street's signed batch heads, oldest first. */
export const ZBatchListQuery = z.strictObject({
  streetId: ZId.describe('The street (街道/乡镇) whose chain of batches to list'),
  after: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Only batches with a larger seq (pass the previous page’s nextAfter)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type BatchListQuery = z.infer<typeof ZBatchListQuery>;

export const ZBatchList = z.object({
  items: z.array(ZBatchHead),
  nextAfter: z.number().int().nullable().describe('Pass as `after` for the next page; null at the end'),
});
export type BatchList = z.infer<typeof ZBatchList>;

export const ZBatchIdParams = z.strictObject({
  id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).describe('Batch id'),
});

/** GET /api/journal/batches/:id — the head and the member entry hashes in leaf order. */
export const ZBatchDetail = z.object({
  head: ZBatchHead,
  entryHashes: z
    .array(ZHash)
    .describe('Hashes of the member entries in leaf order; their Merkle root is the head’s'),
});
export type BatchDetail = z.infer<typeof ZBatchDetail>;

/** A public key that signs batch heads. */
export const ZJournalKey = z.object({
  keyId: z.string(),
  algorithm: z.literal('Ed25519'),
  publicKey: z.string().describe('Raw 32-byte public key, base64 (what Web Crypto imports as "raw")'),
  publicKeyPem: z.string().describe('The same key as SubjectPublicKeyInfo PEM'),
  createdAt: ZInstant,
  retiredAt: ZInstant.nullable().describe('After this instant the key signs nothing more'),
});
export type JournalKey = z.infer<typeof ZJournalKey>;

/** GET /.well-known/minqing/journal-keys.json */
export const ZJournalKeys = z.object({ keys: z.array(ZJournalKey) });
export type JournalKeys = z.infer<typeof ZJournalKeys>;
