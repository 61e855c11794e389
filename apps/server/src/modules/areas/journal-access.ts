/**
 * Who may read a unit's journal (GET /api/journal/records/unit/:id): whoever may see the unit. The
 * changes of streets, communities and grids are public, as their outlines are; a household's history
 * is for staff in scope.
 */
import { registerJournalRecordType } from '../journal/record-types.ts';
import { canReadUnit } from './policy.ts';
import { findUnit } from './repository.ts';
import { UNIT_RECORD_TYPE } from './unit-journal.ts';

registerJournalRecordType({
  recordType: UNIT_RECORD_TYPE,
  canRead: async (actor, recordId, db) => {
    const unit = await findUnit(db, recordId);
    return !!unit && canReadUnit(actor, unit);
  },
});
