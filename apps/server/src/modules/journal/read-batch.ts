import type { BatchDetail } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { presentBatchHead } from './present.ts';
import { findBatchHead, readBatchMemberHashes } from './repository.ts';

/** A batch's signed head and its members' entry hashes in leaf order, from which anyone rebuilds the root. */
export async function readBatch(db: Db, id: number): Promise<BatchDetail> {
  const head = await findBatchHead(db, id);
  if (!head) throw errors.notFound({ zh: '日志批次', en: 'Journal batch' });
  return { head: presentBatchHead(head), entryHashes: await readBatchMemberHashes(db, id) };
}
