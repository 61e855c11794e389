/**
 * Who may read what of the journal. Batch heads, the member hashes of a batch and the signing keys
 * are public: publishing them is what lets anyone check that history was not rewritten (the
 * Certificate Transparency model), and they reveal nothing but hashes. A record's entries carry its
 * events, so the record type's owner decides who reads them.
 */
import type { Db } from '../../db/database.ts';
import { hasRoleCovering, type Actor } from '../../policy/index.ts';
import { findUnit } from '../areas/repository.ts';
import { findJournalRecordType } from './record-types.ts';
import { findRecordStreet } from './repository.ts';

export function mayReadBatchHeads(_actor: Actor | null): boolean {
  return true;
}

/**
 * A record's journal: the record type's registered `canRead` decides; a type without one is open to
 * the admins of the record's street only. False also for an unknown type or record, so that the
 * route answers 404 alike and does not reveal what exists.
 */
export async function mayReadRecordJournal(
  db: Db,
  actor: Actor | null,
  recordType: string,
  recordId: string,
): Promise<boolean> {
  const type = findJournalRecordType(recordType);
  if (!type) return false;
  if (type.canRead) return type.canRead(actor, recordId, db);
  if (!actor) return false;
  const streetId = await findRecordStreet(db, recordType, recordId);
  const street = streetId ? await findUnit(db, streetId) : undefined;
  return !!street && hasRoleCovering(actor, ['street_admin'], street.path);
}

/** What the caller may do with a record's journal they can read: check it. */
export function recordJournalActions(): string[] {
  return ['verify'];
}
