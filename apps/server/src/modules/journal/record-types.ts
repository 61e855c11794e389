/**
 * The registry of journaled record types. A capability that journals a record type registers here
 * what the journal needs to know about it:
 *
 * - its projection: the current-state table and the columns its entries' `payload.set` maintain
 *   (docs/architecture.md, "Journal"), so that `minqing verify` can fold the sets over each record's
 *   entries and compare the result with the row;
 * - who may read a record's journal (`canRead`), for GET /api/journal/records/:type/:id.
 *
 * Registering again merges: a capability can add its `canRead` to a type whose projection is already
 * known, or adjust its columns.
 */
import type { Db } from '../../db/database.ts';
import type { LocalizedText } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';

export interface JournalProjection {
  /** The current-state table; its `id` (uuid) is the record id. */
  table: string;
  /** The columns that entries' `payload.set` maintain; verification compares exactly these. */
  columns: readonly string[];
  /**
   * True when every row must have been created through the journal (a case is born with its report
   * entry): a row without entries is then a forgery. False for tables whose rows may predate their
   * chain (units seeded before journaling); those are checked only where a chain exists.
   */
  isEveryRowJournaled: boolean;
  /** The table's street column, to scope the search for unjournaled rows to one street. */
  streetColumn?: string | undefined;
  /** What a listed column holds while no entry has set it, when that is not null. */
  defaults?: Readonly<Record<string, unknown>> | undefined;
}

/** May `actor` (null: the public) read the journal of the record? Answering false hides that it exists. */
export type CanReadRecordJournal = (actor: Actor | null, recordId: string, db: Db) => Promise<boolean>;

export interface JournalRecordType {
  recordType: string;
  label: LocalizedText;
  projection?: JournalProjection | undefined;
  canRead?: CanReadRecordJournal | undefined;
}

const registry = new Map<string, JournalRecordType>();

/** Registers a record type, or merges new facts (canRead, projection) into one already registered. */
export function registerJournalRecordType(
  definition: Partial<JournalRecordType> & Pick<JournalRecordType, 'recordType'>,
): void {
  const existing = registry.get(definition.recordType);
  const merged = { ...existing, ...definition } as Partial<JournalRecordType>;
  registry.set(definition.recordType, {
    recordType: definition.recordType,
    label: merged.label ?? { zh: definition.recordType, en: definition.recordType },
    projection: merged.projection,
    canRead: merged.canRead,
  });
}

/** Removes a registration (tests that register a type of their own). */
export function unregisterJournalRecordType(recordType: string): void {
  registry.delete(recordType);
}

export function findJournalRecordType(recordType: string): JournalRecordType | undefined {
  return registry.get(recordType);
}

export function journalRecordTypes(): JournalRecordType[] {
  return [...registry.values()];
}
