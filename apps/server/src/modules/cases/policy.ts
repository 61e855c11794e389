import type { CaseAction, CaseSource, CaseState } from '@minqing/contract';
import { AppError, errors } from '../../errors.ts';
import {
  covers,
  grantsCovering,
  hasRole,
  hasRoleCovering,
  STAFF_ROLES,
  type Actor,
  type Role,
} from '../../policy/index.ts';
import { isActionPossible, possibleActions } from './state-machine.ts';

/**
 * Who may do what with a case (DESIGN.md, "The case workflow"; issue 2 part 5). Every route and
 * use-case of the case module asks here; nothing else decides.
 */

/** The columns of a case that decide access. */
export interface CaseAccess {
  state: CaseState;
  street_id: string;
  community_id: string | null;
  grid_id: string | null;
  unit_path: string;
  source: CaseSource;
  org_id: string | null;
  dispatched_at: Date | null;
  assignee_id: string | null;
  reporter_id: string | null;
  handled_by: string | null;
  escalated_to_unit_id: string | null;
}

/** Accept, reject, dispatch, merge, assign a grid, remind, escalate: the case's community or street. */
const ADMIN_ROLES: readonly Role[] = ['community_admin', 'street_admin'];
/**
 * Who sees every case under their unit. The auditor (审计管理员) audits the system's logs, not the
 * cases: 三权分立 keeps business data away from that role.
 */
const READ_ROLES: readonly Role[] = [...ADMIN_ROLES, 'grid_worker'];

export function isAdminOf(actor: Actor | null, row: CaseAccess): boolean {
  return hasRoleCovering(actor, ADMIN_ROLES, row.unit_path);
}

/** A grid worker whose grid the case lies in (a case outside every grid has no grid worker). */
export function isGridWorkerOf(actor: Actor | null, row: CaseAccess): boolean {
  return row.grid_id !== null && hasRoleCovering(actor, ['grid_worker'], row.unit_path);
}

/**
 * A handler of the organisation the case was dispatched to. Routing names an organisation at intake,
 * but it is only a proposal until an admin dispatches: before that the organisation has no part in it.
 */
export function isHandlerOf(actor: Actor | null, row: CaseAccess): boolean {
  return (
    !!actor &&
    row.org_id !== null &&
    row.dispatched_at !== null &&
    actor.roles.some((g) => g.role === 'handler' && g.orgId === row.org_id)
  );
}

export function isAssignee(actor: Actor | null, row: CaseAccess): boolean {
  return !!actor && row.assignee_id === actor.userId;
}

export function isReporter(actor: Actor | null, row: CaseAccess): boolean {
  return !!actor && row.reporter_id === actor.userId;
}

/**
 * 即报即办: the grid worker who found the problem on patrol in their own grid may take it on
 * themselves — accept it and dispatch it to themselves — and handle it on the spot. The check (核查)
 * still falls to someone else (docs/decisions/0404, 0903).
 */
export function isOnTheSpotHandler(actor: Actor | null, row: CaseAccess): boolean {
  return row.source === 'patrol' && isReporter(actor, row) && isGridWorkerOf(actor, row);
}

export function isStaff(actor: Actor | null): boolean {
  return hasRole(actor, STAFF_ROLES);
}

/**
 * A resident who reported through their own account rates the result themselves; anonymous, patrol,
 * hotline and public reports are followed up by a grid worker's call or visit (or an admin's).
 */
export function reporterRates(row: Pick<CaseAccess, 'source' | 'reporter_id'>): boolean {
  return row.source === 'resident' && row.reporter_id !== null;
}

export function canReadCase(actor: Actor | null, row: CaseAccess): boolean {
  return (
    isReporter(actor, row) ||
    hasRoleCovering(actor, READ_ROLES, row.unit_path) ||
    isHandlerOf(actor, row) ||
    isAssignee(actor, row)
  );
}

/** Full reporter name (and, on request, phone): those who contact the reporter — admins and the grid worker. */
export function canSeeReporter(actor: Actor | null, row: CaseAccess): boolean {
  return isReporter(actor, row) || isAdminOf(actor, row) || isGridWorkerOf(actor, row);
}

export function canRevealReporterContact(actor: Actor | null, row: CaseAccess): boolean {
  return isAdminOf(actor, row) || isGridWorkerOf(actor, row);
}

/** The next unit up the escalation ladder grid → community → street, or null at the top. */
export function escalationTarget(row: CaseAccess): string | null {
  const current = row.escalated_to_unit_id ?? row.grid_id ?? row.community_id ?? row.street_id;
  if (current === row.street_id) return null;
  if (current === row.grid_id) return row.community_id ?? row.street_id;
  return row.street_id;
}

/** May `actor` take `action` on this case as far as roles go? (Whether the state allows it is the state machine's.) */
export function mayAct(actor: Actor | null, action: CaseAction, row: CaseAccess): boolean {
  if (!actor) return false;
  switch (action) {
    case 'accept':
    case 'dispatch':
      return isAdminOf(actor, row) || isOnTheSpotHandler(actor, row);
    case 'reject':
    case 'merge':
    case 'assign-grid':
    case 'remind':
      return isAdminOf(actor, row);
    case 'escalate':
      return isAdminOf(actor, row) && escalationTarget(row) !== null;
    case 'return':
    case 'start':
    case 'submit':
      return isHandlerOf(actor, row) || isAssignee(actor, row);
    case 'verify':
      return (isGridWorkerOf(actor, row) || isAdminOf(actor, row)) && row.handled_by !== actor.userId;
    case 'rate':
      return reporterRates(row) && isReporter(actor, row);
    case 'follow-up':
      return !reporterRates(row) && (isGridWorkerOf(actor, row) || isAdminOf(actor, row));
    case 'note':
      return isStaff(actor) && canReadCase(actor, row);
  }
}

/** What `actor` may do with the case now: possible in its state and allowed to this person. */
export function allowedActions(actor: Actor | null, row: CaseAccess): CaseAction[] {
  if (!actor) return [];
  return possibleActions(row.state).filter((action) => mayAct(actor, action, row));
}

/**
 * The error for someone who may not see a case: staff learn they lack the right (403), while a
 * resident or the public cannot even tell whether the case exists (404).
 */
export function cannotSee(actor: Actor | null) {
  return isStaff(actor) ? errors.forbidden() : errors.notFound({ zh: '事件', en: 'Case' });
}

/**
 * Authorises `action` on a case the caller has already loaded (under lock): 404/403 when the case is
 * not theirs to see, 409 when its state does not allow the action, 403 when their role does not.
 */
export function authorizeAction(actor: Actor | null, action: CaseAction, row: CaseAccess): void {
  if (!canReadCase(actor, row)) throw cannotSee(actor);
  if (!isActionPossible(row.state, action)) {
    throw errors.conflict(
      'illegal_transition',
      {
        zh: `事件当前状态下不能执行该操作`,
        en: `This action is not possible in the case's current state`,
      },
      { currentState: row.state, action, allowedActions: allowedActions(actor, row) },
    );
  }
  if (!mayAct(actor, action, row)) {
    throw errors.forbidden({ action, allowedActions: allowedActions(actor, row) });
  }
}

/** The unit paths and organisations whose cases `actor` may list. */
export function listScope(actor: Actor): { paths: string[]; orgIds: string[]; userId: string } {
  const paths = actor.roles
    .filter((g) => READ_ROLES.includes(g.role))
    .map((g) => g.unitPath)
    .filter((path, i, all) => !all.some((other, j) => j !== i && other !== path && path.startsWith(other)));
  const orgIds = [
    ...new Set(actor.roles.filter((g) => g.role === 'handler' && g.orgId).map((g) => g.orgId!)),
  ];
  return { paths: [...new Set(paths)], orgIds, userId: actor.userId };
}

/**
 * May `actor` report? Signed-in people always may; the public only where public reports are on, and
 * with a phone number so the outcome can reach them. A resident's report uses the account's own
 * contact; only staff (taking a hotline call) enter someone else's. Only staff raise cases on behalf
 * of another capability (diary, council).
 */
export function authorizeReport(
  actor: Actor | null,
  report: { publicReports: boolean; hasContact: boolean; source?: CaseSource | undefined },
): void {
  if (!actor && !report.publicReports) {
    throw new AppError(403, 'public_reports_disabled', {
      zh: '本平台暂未开放匿名上报，请先用手机号登录后再上报',
      en: 'Reports without signing in are switched off here; sign in with your phone number first',
    });
  }
  if (!actor && !report.hasContact) {
    throw errors.unprocessable('contact_required', {
      zh: '未登录上报时须留下手机号，以便反馈处理结果',
      en: 'A report without signing in needs a phone number, so that we can tell you the outcome',
    });
  }
  if (actor && !isStaff(actor) && report.hasContact) {
    throw errors.unprocessable('contact_not_allowed', {
      zh: '居民上报使用本人账号的联系方式，无需另填',
      en: "A resident's report uses the account's own contact details; leave contact out",
    });
  }
  if (report.source && !isStaff(actor)) throw errors.forbidden({ source: report.source });
}

/** Who is reporting, as the case records it. */
export function reportSource(actor: Actor | null, hasContact: boolean, gridPath: string | null): CaseSource {
  if (!actor) return 'public';
  if (isStaff(actor)) {
    if (hasContact) return 'hotline';
    if (gridPath && grantsCovering(actor, ['grid_worker'], gridPath).length > 0) return 'patrol';
    return 'staff';
  }
  return 'resident';
}

/** The role under which `actor` acts on the case, for the journal. */
export function actingRole(actor: Actor | null, row: CaseAccess): string {
  if (!actor) return 'public';
  if (isAdminOf(actor, row)) {
    return grantsCovering(actor, ['community_admin'], row.unit_path).length > 0
      ? 'community_admin'
      : 'street_admin';
  }
  if (isGridWorkerOf(actor, row)) return 'grid_worker';
  if (isHandlerOf(actor, row)) return 'handler';
  if (isReporter(actor, row))
    return actor.kind === 'resident' ? 'resident' : (actor.roles[0]?.role ?? 'staff');
  return actor.roles[0]?.role ?? actor.kind;
}

/** The role under which `actor` reports from `unitPath`, for the journal. */
export function reportingRole(actor: Actor | null, source: CaseSource, unitPath: string): string {
  if (!actor) return 'public';
  if (!isStaff(actor)) return 'resident';
  if (source === 'patrol') return 'grid_worker';
  const covering = actor.roles.find((g) => g.role !== 'resident' && covers(g, unitPath));
  return covering?.role ?? actor.roles.find((g) => g.role !== 'resident')?.role ?? 'staff';
}
