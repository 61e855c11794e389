import type { Db } from '../../db/database.ts';
import { appendEntry } from '../journal/append-entry.ts';
import { registerJournalRecordType } from '../journal/record-types.ts';
import type { TemplateRow } from './repository.ts';

/** The journal's record type of a unit's notification template override. */
export const TEMPLATE_RECORD_TYPE = 'notification_template';

/** Every entry sets the whole row: it is small, and a chain then reads without folding. */
export const TEMPLATE_PROJECTED_COLUMNS = ['unit_id', 'key', 'text_zh', 'text_en', 'version'] as const;

registerJournalRecordType({
  recordType: TEMPLATE_RECORD_TYPE,
  label: { zh: '通知模板', en: 'notification template' },
  projection: {
    table: 'notification_templates',
    columns: TEMPLATE_PROJECTED_COLUMNS,
    // A template row is only ever written by setNotificationTemplate/resetNotificationTemplate.
    isEveryRowJournaled: true,
    streetColumn: 'street_id',
  },
});

export async function journalTemplateEvent(
  trx: Db,
  row: TemplateRow,
  action: 'update' | 'reset',
  actor: { userId: string; role: string },
): Promise<void> {
  await appendEntry(trx, {
    streetId: row.street_id,
    recordType: TEMPLATE_RECORD_TYPE,
    recordId: row.id,
    action,
    actorId: actor.userId,
    actorRole: actor.role,
    at: row.updated_at,
    payload: {
      set: {
        unit_id: row.unit_id,
        key: row.key,
        text_zh: row.text_zh,
        text_en: row.text_en,
        version: row.version,
      },
    },
  });
}
