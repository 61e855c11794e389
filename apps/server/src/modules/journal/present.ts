import type { BatchHead, InclusionProof, JournalEntryWithProof, JournalKey } from '@minqing/contract';
import { publicKeyPem } from '../../crypto/index.ts';
import type { BatchHeadRecord, EntryRow, SigningKeyRow } from './repository.ts';

export function presentBatchHead(row: BatchHeadRecord): BatchHead {
  return {
    id: row.id,
    streetId: row.streetId,
    seq: row.seq,
    size: row.size,
    merkleRoot: row.merkleRoot,
    prevHeadHash: row.prevHeadHash,
    headHash: row.headHash,
    firstEntryId: row.firstEntryId,
    lastEntryId: row.lastEntryId,
    sealedAt: row.sealedAt.toISOString(),
    keyId: row.keyId,
    signature: row.signature,
  };
}

export function presentEntry(row: EntryRow, proof: InclusionProof | null): JournalEntryWithProof {
  return {
    id: row.id,
    streetId: row.streetId,
    recordType: row.recordType,
    recordId: row.recordId,
    seq: row.seq,
    action: row.action,
    actorId: row.actorId,
    actorRole: row.actorRole,
    at: row.at.toISOString(),
    payload: row.payload,
    prevHash: row.prevHash,
    hash: row.hash,
    batchId: row.batchId,
    leafIndex: row.leafIndex,
    proof,
  };
}

export function presentSigningKey(row: SigningKeyRow): JournalKey {
  return {
    keyId: row.keyId,
    algorithm: 'Ed25519',
    publicKey: row.publicKey,
    publicKeyPem: publicKeyPem(row.publicKey),
    createdAt: row.createdAt.toISOString(),
    retiredAt: row.retiredAt?.toISOString() ?? null,
  };
}
