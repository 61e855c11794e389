import type { BatchList, BatchListQuery } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { findUnit } from '../areas/repository.ts';
import { presentBatchHead } from './present.ts';
import { listStreetBatchHeads } from './repository.ts';

/** A street's signed batch heads in chain order, a page at a time; 404 for anything but a street. */
export async function listBatches(db: Db, query: BatchListQuery): Promise<BatchList> {
  const street = await findUnit(db, query.streetId);
  if (!street || street.kind !== 'street') throw errors.notFound({ zh: '街道', en: 'Street' });
  const rows = await listStreetBatchHeads(db, {
    streetId: query.streetId,
    afterSeq: query.after ?? 0,
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit).map(presentBatchHead);
  return { items, nextAfter: rows.length > query.limit ? items[items.length - 1]!.seq : null };
}
