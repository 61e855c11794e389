import type { CaseState, NotificationTemplateKey } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { caseNoticeTitle } from '../notification-templates/render-notice.ts';
import type { NewNotification } from '../people/notify-users.ts';
import { CASE_RECORD_TYPE } from './case-journal.ts';
import { usersWithRole, type CaseRow } from './repository.ts';

/** What the reporter is told, and when (DESIGN.md: accepted, rejected, handled, closed, rework). */
export type ReporterNotice = 'accepted' | 'rejected' | 'handled' | 'closed' | 'rework' | 'merged';

/**
 * The reporter's notice, worded by the notification template in force where the case is (通知模板,
 * modules/notification-templates): the community's override, else the street's, else the default.
 */
export async function reporterNotice(
  trx: Db,
  row: CaseRow,
  notice: ReporterNotice,
  at: Date,
): Promise<NewNotification[]> {
  if (!row.reporter_id) return [];
  const { kind, title } = await caseNoticeTitle(trx, row, `reporter.${notice}`);
  return [{ userId: row.reporter_id, kind, recordType: CASE_RECORD_TYPE, recordId: row.id, title, at }];
}

/** A notice to staff about a case, worded by its template (none when nobody is to be told). */
export async function staffNotices(
  trx: Db,
  userIds: string[],
  row: CaseRow,
  template: Exclude<NotificationTemplateKey, `reporter.${string}`>,
  at: Date,
): Promise<NewNotification[]> {
  const to = [...new Set(userIds)];
  if (to.length === 0) return [];
  const { kind, title } = await caseNoticeTitle(trx, row, template);
  return to.map((userId) => ({ userId, kind, recordType: CASE_RECORD_TYPE, recordId: row.id, title, at }));
}

/**
 * The people answerable for the stage a case is in: the community (or street, outside every
 * community) admins before dispatch, the organisation's handlers and the assignee while it is being
 * handled, the grid's workers for the on-site check.
 */
export async function stageOwners(db: Db, row: CaseRow): Promise<string[]> {
  const state = row.state as CaseState;
  const admins = () =>
    row.community_id
      ? usersWithRole(db, 'community_admin', { unitIds: [row.community_id] })
      : usersWithRole(db, 'street_admin', { unitIds: [row.street_id] });
  if (state === 'reported' || state === 'accepted') return admins();
  if (state === 'dispatched' || state === 'in_progress') {
    const handlers = row.org_id ? await usersWithRole(db, 'handler', { orgId: row.org_id }) : [];
    return row.assignee_id ? [...handlers, row.assignee_id] : handlers;
  }
  if (state === 'handled') {
    return row.grid_id ? usersWithRole(db, 'grid_worker', { unitIds: [row.grid_id] }) : admins();
  }
  return [];
}

/** The admins of the unit a case is escalated to (督办): a community's or a street's. */
export async function unitAdmins(db: Db, row: CaseRow, unitId: string): Promise<string[]> {
  return usersWithRole(db, unitId === row.street_id ? 'street_admin' : 'community_admin', {
    unitIds: [unitId],
  });
}
