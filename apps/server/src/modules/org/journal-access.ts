/**
 * Who may read an organisation's journal (GET /api/journal/records/organisation/:id): whoever may
 * see the organisation — the public for the teams and committees of streets, communities and grids.
 */
import { registerJournalRecordType } from '../journal/record-types.ts';
import { ORG_RECORD_TYPE } from './org-journal.ts';
import { canReadOrg } from './policy.ts';
import { findOrganisation } from './repository.ts';

registerJournalRecordType({
  recordType: ORG_RECORD_TYPE,
  canRead: async (actor, recordId, db) => {
    const org = await findOrganisation(db, recordId);
    return !!org && canReadOrg(actor, org);
  },
});
