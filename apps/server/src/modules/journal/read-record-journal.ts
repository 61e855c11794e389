import type { InclusionProof, RecordJournal } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { entryLeafHash, inclusionProofFromLevels, merkleLevels } from './merkle.ts';
import { recordJournalActions } from './policy.ts';
import { presentBatchHead, presentEntry } from './present.ts';
import { readBatchHeadsByIds, readBatchMemberHashes, readRecordEntries } from './repository.ts';

/**
 * A record's journal as anyone can recompute it: every entry with its hash, the signed heads of the
 * batches holding them and, per sealed entry, its RFC 6962 inclusion proof built from the batch's
 * members as they are stored now (so a tampered batch yields a proof that fails against its signed
 * root). The caller has been authorised by policy.mayReadRecordJournal.
 */
export async function readRecordJournal(
  db: Db,
  recordType: string,
  recordId: string,
): Promise<RecordJournal> {
  const entries = await readRecordEntries(db, recordType, recordId);
  if (entries.length === 0) throw errors.notFound({ zh: '该记录的日志', en: 'The journal of this record' });
  const batchIds = [...new Set(entries.flatMap((entry) => (entry.batchId === null ? [] : [entry.batchId])))];
  const heads = await readBatchHeadsByIds(db, batchIds);
  const proofs = new Map<number, InclusionProof | null>();
  for (const batchId of batchIds) {
    const members = await readBatchMemberHashes(db, batchId);
    const levels = merkleLevels(members.map(entryLeafHash));
    for (const entry of entries) {
      if (entry.batchId !== batchId) continue;
      const index = entry.leafIndex;
      proofs.set(
        entry.id,
        index !== null && index >= 0 && index < members.length
          ? {
              leafIndex: index,
              treeSize: members.length,
              path: inclusionProofFromLevels(levels, index).map((node) => node.toString('hex')),
            }
          : null,
      );
    }
  }
  return {
    recordType,
    recordId,
    entries: entries.map((entry) => presentEntry(entry, proofs.get(entry.id) ?? null)),
    batches: heads.map(presentBatchHead),
    allowedActions: recordJournalActions(),
  };
}
