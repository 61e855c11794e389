import canonicalize from 'canonicalize';
import { z } from 'zod';
import { ZId, ZInstant } from './common.ts';

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

export const ZJournalEntry = z.object({
  id: z.number().int(),
  streetId: ZId,
  recordType: z.string(),
  recordId: ZId,
  seq: z.number().int(),
  action: z.string(),
  actorId: ZId.nullable(),
  actorRole: z.string().nullable(),
  at: ZInstant,
  payload: z.unknown(),
  prevHash: z.string().nullable(),
  hash: z.string(),
  batchId: z.number().int().nullable(),
  leafIndex: z.number().int().nullable(),
});
export type JournalEntry = z.infer<typeof ZJournalEntry>;
