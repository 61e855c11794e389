import type { LocalizedText } from '../../errors.ts';

/** What verification can find wrong; each problem names the entry, batch or row precisely. */
export type JournalProblemCode =
  /** An entry's content no longer gives its stored hash. */
  | 'entry_hash_mismatch'
  /** A row of journal_entries that cannot even be parsed. */
  | 'entry_unreadable'
  /** A record's chain skips a seq, starts late or runs backwards: an entry was deleted or reordered. */
  | 'chain_seq_gap'
  /** An entry does not name its predecessor's hash. */
  | 'chain_prev_mismatch'
  /** A batch has fewer or more members than its head says. */
  | 'batch_member_missing'
  /** An entry's batch or leaf index is inconsistent (wrong position, wrong street, missing batch). */
  | 'batch_member_misplaced'
  /** A batch's members do not give its Merkle root. */
  | 'batch_root_mismatch'
  /** A row of journal_batches that cannot even be parsed. */
  | 'batch_unreadable'
  | 'batch_head_hash_mismatch'
  | 'batch_signature_invalid'
  | 'batch_key_unknown'
  /** A street's batches do not form one chain (seq gap, or a head not linking its predecessor). */
  | 'batch_chain_broken'
  /** A current-state row differs from what its journal says (folding payload.set). */
  | 'projection_mismatch'
  /** A record has journal entries but its row is gone. */
  | 'projection_row_missing'
  /** A row that must come from the journal has no entries at all (forged by hand). */
  | 'projection_row_unjournaled';

export interface JournalProblem {
  code: JournalProblemCode;
  recordType?: string | undefined;
  recordId?: string | undefined;
  seq?: number | undefined;
  entryId?: number | undefined;
  batchId?: number | undefined;
  streetId?: string | undefined;
  /** For a projection: the column that differs. */
  column?: string | undefined;
  /** What the journal (or the head) says. */
  expected?: unknown;
  /** What the database holds. */
  actual?: unknown;
  message: LocalizedText;
}
