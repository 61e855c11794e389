/**
 * The record types journaled today, registered with the columns their owners put in `payload.set`
 * (each owner exports its list, so this file follows their changes). Importing this module is what
 * makes `minqing verify` check their projections; an owner may register more (its own `canRead`)
 * from its own module, and the registry merges.
 */
import { ORG_PROJECTED_COLUMNS, ORG_RECORD_TYPE } from '../org/org-journal.ts';
import { UNIT_PROJECTED_COLUMNS, UNIT_RECORD_TYPE } from '../areas/unit-journal.ts';
import { CASE_PROJECTED_COLUMNS, CASE_RECORD_TYPE } from '../cases/case-journal.ts';
import { canReadCase } from '../cases/policy.ts';
import { findCase } from '../cases/repository.ts';
import { accessOf } from '../cases/transition-case.ts';
import { RULE_RECORD_TYPE } from '../routing/rule-journal.ts';
import { RULE_PROJECTED_COLUMNS } from '../routing/present.ts';
import { registerJournalRecordType } from './record-types.ts';
// Patrols and patrol plans register themselves (projections and who may read them).
import '../patrols/patrol-journal.ts';
// Notification templates register themselves too.
import '../notification-templates/template-journal.ts';
// Community notices (社区公告) too.
import '../notices/notice-journal.ts';

registerJournalRecordType({
  recordType: CASE_RECORD_TYPE,
  label: { zh: '事件', en: 'case' },
  // A case is born with its report entry, so a case row without a journal was written by hand.
  projection: {
    table: 'cases',
    columns: CASE_PROJECTED_COLUMNS,
    isEveryRowJournaled: true,
    streetColumn: 'street_id',
  },
  // Whoever may open the case may check its history; the payload carries no phone numbers.
  canRead: async (actor, recordId, db) => {
    const row = await findCase(db, recordId);
    return !!row && canReadCase(actor, accessOf(row));
  },
});

registerJournalRecordType({
  recordType: UNIT_RECORD_TYPE,
  label: { zh: '区域单元', en: 'area unit' },
  // Units seeded before they were journaled start their chain with the whole row on first change.
  projection: { table: 'units', columns: UNIT_PROJECTED_COLUMNS, isEveryRowJournaled: false },
});

registerJournalRecordType({
  recordType: ORG_RECORD_TYPE,
  label: { zh: '组织', en: 'organisation' },
  projection: { table: 'organisations', columns: ORG_PROJECTED_COLUMNS, isEveryRowJournaled: false },
});

registerJournalRecordType({
  recordType: RULE_RECORD_TYPE,
  label: { zh: '派遣规则', en: 'routing rule' },
  projection: { table: 'routing_rules', columns: RULE_PROJECTED_COLUMNS, isEveryRowJournaled: false },
});
