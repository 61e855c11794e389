import type { Db } from '../../db/database.ts';
import { appendEntry } from '../journal/append-entry.ts';
import { registerJournalRecordType } from '../journal/record-types.ts';
import { mayReadStaffNotices } from './policy.ts';
import { findNotice, type NoticeRow } from './repository.ts';

/**
 * Community notices in the journal: every creation, edit, publication and withdrawal is an entry in
 * the notice's own chain, so what the committee announced — and when it took it back — can be checked
 * later. A withdrawn notice leaves the public lists; its chain stays.
 */
export const NOTICE_RECORD_TYPE = 'community_notice';

export const NOTICE_PROJECTED_COLUMNS = [
  'unit_id',
  'street_id',
  'title',
  'body',
  'category',
  'is_pinned',
  'state',
  'published_at',
  'expires_at',
  'withdrawn_at',
  'withdraw_reason',
  'author_id',
  'version',
] as const;

export type NoticeJournalAction = 'create' | 'update' | 'publish' | 'withdraw';

registerJournalRecordType({
  recordType: NOTICE_RECORD_TYPE,
  label: { zh: '社区公告', en: 'community notice' },
  projection: {
    table: 'community_notices',
    columns: NOTICE_PROJECTED_COLUMNS,
    // Notices are only ever written by the notices use-cases, each with its entry.
    isEveryRowJournaled: true,
    streetColumn: 'street_id',
    defaults: { is_pinned: false },
  },
  // A notice that was ever published is public history; a draft's only its writers' and the auditor's.
  canRead: async (actor, recordId, db) => {
    const notice = await findNotice(db, recordId);
    if (!notice) return false;
    return notice.published_at !== null || mayReadStaffNotices(actor, notice.unit_path);
  },
});

type JsonValue = string | number | boolean | null;

/** Appends the entry of one change; `changes` are the columns it set (all of them on creation). */
export async function journalNoticeEvent(
  trx: Db,
  row: NoticeRow,
  action: NoticeJournalAction,
  changes: Partial<NoticeRow>,
  actor: { userId: string; role: string },
): Promise<void> {
  const set: Record<string, JsonValue> = {};
  for (const column of NOTICE_PROJECTED_COLUMNS) {
    const value = changes[column];
    if (value === undefined) continue;
    set[column] = value instanceof Date ? value.toISOString() : value;
  }
  await appendEntry(trx, {
    streetId: row.street_id,
    recordType: NOTICE_RECORD_TYPE,
    recordId: row.id,
    action,
    actorId: actor.userId,
    actorRole: actor.role,
    at: row.updated_at,
    payload: { set },
  });
}
