import type { CaseState } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { NewNotification } from '../people/notify-users.ts';
import { CASE_RECORD_TYPE } from './case-journal.ts';
import { usersWithRole, type CaseRow } from './repository.ts';

/** What the reporter is told, and when (DESIGN.md: accepted, rejected, handled, closed, rework). */
export type ReporterNotice = 'accepted' | 'rejected' | 'handled' | 'closed' | 'rework' | 'merged';

const REPORTER_TITLES: Record<ReporterNotice, (code: string) => { zh: string; en: string }> = {
  accepted: (code) => ({ zh: `您上报的事件 ${code} 已受理`, en: `Your report ${code} was accepted` }),
  rejected: (code) => ({ zh: `您上报的事件 ${code} 不予受理`, en: `Your report ${code} was not accepted` }),
  handled: (code) => ({ zh: `您上报的事件 ${code} 已处置完毕`, en: `Your report ${code} has been handled` }),
  closed: (code) => ({ zh: `您上报的事件 ${code} 已办结`, en: `Your report ${code} is closed` }),
  rework: (code) => ({
    zh: `您上报的事件 ${code} 已重新派遣处置`,
    en: `Your report ${code} was sent back for rework`,
  }),
  merged: (code) => ({
    zh: `您上报的事件 ${code} 与已有事件重复，已合并处理`,
    en: `Your report ${code} duplicates an existing case and was merged into it`,
  }),
};

export function reporterNotice(
  row: Pick<CaseRow, 'id' | 'code' | 'reporter_id'>,
  notice: ReporterNotice,
  at: Date,
): NewNotification[] {
  if (!row.reporter_id) return [];
  return [
    {
      userId: row.reporter_id,
      kind: `case.${notice}`,
      recordType: CASE_RECORD_TYPE,
      recordId: row.id,
      title: REPORTER_TITLES[notice](row.code),
      at,
    },
  ];
}

export function staffNotices(
  userIds: string[],
  row: Pick<CaseRow, 'id'>,
  kind: string,
  title: { zh: string; en: string },
  at: Date,
): NewNotification[] {
  return [...new Set(userIds)].map((userId) => ({
    userId,
    kind,
    recordType: CASE_RECORD_TYPE,
    recordId: row.id,
    title,
    at,
  }));
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
