/**
 * The sealer (DESIGN.md, "The journal"): gathers each street's unsealed entries into RFC 6962 Merkle
 * batches, one chain of batches per street as in Certificate Transparency, and signs every batch
 * head with the instance's Ed25519 key. One process seals at a time, by advisory lock.
 */
import { canonicalBatchHead, type BatchHeadContent } from '@minqing/contract';
import { sha256Hex, signText, type SigningKey } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { entryMerkleRootHex } from './merkle.ts';
import {
  databaseNow,
  insertBatch,
  lastBatchOfStreet,
  lockSealer,
  markEntriesSealed,
  readUnsealedEntries,
  registerSigningKey,
  sealingDelayStats,
  streetsWithUnsealedEntries,
  unsealedStats,
} from './repository.ts';

/**
 * The most entries one batch takes. A backlog drains in several batches, each its own short
 * transaction, so that sealing never holds the lock (or PGlite's only connection) for long.
 */
export const MAX_BATCH_SIZE = 5000;

export interface SealerContext {
  db: Db;
  signingKey: SigningKey;
}

export interface SealedBatch {
  id: number;
  streetId: string;
  seq: number;
  size: number;
  merkleRoot: string;
  headHash: string;
}

export interface SealReport {
  batches: SealedBatch[];
  /** True when another process held the sealer's lock too long; it is sealing, so this run stood aside. */
  isLockedElsewhere: boolean;
}

export interface SealOptions {
  /** Seal only this street's entries (tests; the background job seals every street). */
  streetId?: string | undefined;
  maxBatchSize?: number | undefined;
  /** How long to wait for another sealer's lock before standing aside. */
  lockTimeoutMs?: number | undefined;
}

/** Long enough for another sealer to finish a batch, short enough not to pile up background runs. */
const LOCK_TIMEOUT_MS = 5_000;

/** Thrown inside the transaction to roll it back when the lock could not be had. */
class LockedElsewhere extends Error {}

/** The signing key's public half, as signing_keys stores it. */
export function publicSigningKey(key: SigningKey) {
  return { keyId: key.keyId, algorithm: key.algorithm, publicKey: key.publicKeyRaw };
}

/**
 * Seals every entry committed so far: per street, in id order, batches of at most `maxBatchSize`,
 * each linked to the street's previous batch head and signed. Safe to run from several processes at
 * once: the advisory lock inside each sealing transaction makes them take turns, and a sealer that
 * waits longer than `lockTimeoutMs` stands aside.
 */
export async function sealOnce(context: SealerContext, options: SealOptions = {}): Promise<SealReport> {
  const maxBatchSize = options.maxBatchSize ?? MAX_BATCH_SIZE;
  const lockTimeoutMs = options.lockTimeoutMs ?? LOCK_TIMEOUT_MS;
  await registerSigningKey(context.db, publicSigningKey(context.signingKey));
  const batches: SealedBatch[] = [];
  for (const streetId of await streetsWithUnsealedEntries(context.db, options.streetId)) {
    for (;;) {
      let outcome: SealedBatch | null;
      try {
        outcome = await inTransaction(context.db, (trx) =>
          sealNextBatch(trx, context.signingKey, streetId, maxBatchSize, lockTimeoutMs),
        );
      } catch (error) {
        if (error instanceof LockedElsewhere) return { batches, isLockedElsewhere: true };
        throw error;
      }
      if (!outcome) break;
      batches.push(outcome);
      if (outcome.size < maxBatchSize) break;
    }
  }
  return { batches, isLockedElsewhere: false };
}

async function sealNextBatch(
  trx: Db,
  key: SigningKey,
  streetId: string,
  maxBatchSize: number,
  lockTimeoutMs: number,
): Promise<SealedBatch | null> {
  if (!(await lockSealer(trx, lockTimeoutMs))) throw new LockedElsewhere();
  // Read under the lock: whatever another sealer committed before releasing it is visible now.
  const members = await readUnsealedEntries(trx, streetId, maxBatchSize);
  if (members.length === 0) return null;
  const previous = await lastBatchOfStreet(trx, streetId);
  const head: BatchHeadContent = {
    streetId,
    seq: (previous?.seq ?? 0) + 1,
    size: members.length,
    merkleRoot: entryMerkleRootHex(members.map((member) => member.hash)),
    prevHeadHash: previous?.headHash ?? null,
    firstEntryId: members[0]!.id,
    lastEntryId: members[members.length - 1]!.id,
    sealedAt: (await databaseNow(trx)).toISOString(),
    keyId: key.keyId,
  };
  const text = canonicalBatchHead(head);
  const headHash = sha256Hex(text);
  const id = await insertBatch(trx, {
    ...head,
    sealedAt: new Date(head.sealedAt),
    headHash,
    signature: signText(key, text),
  });
  const marked = await markEntriesSealed(
    trx,
    id,
    members.map((member) => member.id),
  );
  if (marked !== members.length) {
    // Only a second sealer without the lock could have taken them; refuse rather than fork the chain.
    throw new Error(`sealing batch ${id}: ${marked} of ${members.length} entries could be marked`);
  }
  return { id, streetId, seq: head.seq, size: head.size, merkleRoot: head.merkleRoot, headHash };
}

export interface SealingDelay {
  /** Median of sealed_at − committed_at over entries sealed since `since`, in milliseconds. */
  p50: number | null;
  p95: number | null;
  max: number | null;
  sealedCount: number;
  /** Entries waiting for the sealer now. */
  unsealedCount: number;
  /** How long the oldest waiting entry has waited, in milliseconds (0 when none waits). */
  oldestUnsealedAgeMs: number;
}

/**
 * How long entries wait before they are sealed: a figure the dashboards show (DESIGN.md: "an entry is
 * sealed within seconds"). A stopped sealer shows as a growing oldestUnsealedAgeMs.
 */
export async function sealingDelay(
  db: Db,
  options: { streetId?: string | undefined; since: Date },
): Promise<SealingDelay> {
  const stats = await sealingDelayStats(db, options);
  const unsealed = await unsealedStats(db, options.streetId);
  const now = await databaseNow(db);
  const round = (value: number | null) => (value === null ? null : Math.round(value));
  return {
    p50: round(stats.p50),
    p95: round(stats.p95),
    max: round(stats.max),
    sealedCount: stats.sealedCount,
    unsealedCount: unsealed.count,
    oldestUnsealedAgeMs: unsealed.oldestCommittedAt
      ? Math.max(0, now.getTime() - unsealed.oldestCommittedAt.getTime())
      : 0,
  };
}
