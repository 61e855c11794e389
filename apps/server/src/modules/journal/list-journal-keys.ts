import type { JournalKeys } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { presentSigningKey } from './present.ts';
import { listSigningKeys } from './repository.ts';

/** Every key that has signed batch heads on this instance, retired ones included (old batches need them). */
export async function listJournalKeys(db: Db): Promise<JournalKeys> {
  return { keys: (await listSigningKeys(db)).map(presentSigningKey) };
}
