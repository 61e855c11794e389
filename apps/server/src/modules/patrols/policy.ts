import { errors } from '../../errors.ts';
import {
  hasRole,
  hasRoleCovering,
  scopePaths,
  STAFF_ROLES,
  type Actor,
  type Role,
} from '../../policy/index.ts';

/**
 * Who may do what with patrols and patrol plans (issue 4; DESIGN.md, "Privacy and security"). Every
 * route and use-case of the patrols module asks here; nothing else decides.
 *
 * A patrol's track is sensitive location data (PIPL art. 28): the worker sees their own, and the
 * supervisors of the grid — the community and street admins whose unit covers it — see it for a
 * stated purpose, each read written to the access log. Nobody else sees a coordinate of a patrol:
 * colleagues and the public see that a grid is being patrolled, at the grid's centre.
 */

/** The community and street admins: they plan patrols, follow them and see missed ones. */
export const SUPERVISOR_ROLES: readonly Role[] = ['community_admin', 'street_admin'];
/** Those who may read plans and schedules: the supervisors and the grid workers who walk them. */
const PLAN_READER_ROLES: readonly Role[] = [...SUPERVISOR_ROLES, 'grid_worker'];

/** The columns of a patrol that decide access. */
export interface PatrolAccess {
  worker_id: string;
  unit_path: string;
  state: string;
}

export function isWorker(actor: Actor | null, patrol: Pick<PatrolAccess, 'worker_id'>): boolean {
  return !!actor && actor.userId === patrol.worker_id;
}

export function isSupervisor(actor: Actor | null, unitPath: string): boolean {
  return hasRoleCovering(actor, SUPERVISOR_ROLES, unitPath);
}

/** A grid worker of the grid (a grant at the grid, or at its community, covers it). */
export function mayPatrolGrid(actor: Actor | null, gridPath: string): boolean {
  return hasRoleCovering(actor, ['grid_worker'], gridPath);
}

export function canReadPatrol(actor: Actor | null, patrol: PatrolAccess): boolean {
  return isWorker(actor, patrol) || isSupervisor(actor, patrol.unit_path);
}

/** The track and the exact positions: the same people as the patrol itself. */
export function canReadTrack(actor: Actor | null, patrol: PatrolAccess): boolean {
  return canReadPatrol(actor, patrol);
}

/** A supervisor's read of someone else's track is written to the access log with its purpose. */
export function isTrackReadLogged(actor: Actor | null, patrol: PatrolAccess): boolean {
  return !isWorker(actor, patrol);
}

/** Only the worker adds to their patrol: points, check-ins, findings, the end. */
export function mayRecord(actor: Actor | null, patrol: PatrolAccess): boolean {
  return isWorker(actor, patrol);
}

export function canReadPlans(actor: Actor | null, unitPath: string): boolean {
  return hasRoleCovering(actor, PLAN_READER_ROLES, unitPath);
}

export function mayManagePlans(actor: Actor | null, gridPath: string): boolean {
  return isSupervisor(actor, gridPath);
}

export function mayReadMissed(actor: Actor | null, unitPath: string): boolean {
  return isSupervisor(actor, unitPath);
}

/** The unit paths whose patrols `actor` may list: their own patrols come on top, by worker id. */
export function supervisedPaths(actor: Actor): string[] {
  return scopePaths(actor, SUPERVISOR_ROLES);
}

export function planReaderPaths(actor: Actor): string[] {
  return scopePaths(actor, PLAN_READER_ROLES);
}

export function isStaff(actor: Actor | null): boolean {
  return hasRole(actor, STAFF_ROLES);
}

/** What `actor` may do with a patrol now. */
export function patrolActions(actor: Actor | null, patrol: PatrolAccess): string[] {
  const actions: string[] = [];
  if (mayRecord(actor, patrol)) {
    actions.push('points', 'checkin', 'finding');
    if (patrol.state === 'active') actions.push('end');
  }
  if (canReadTrack(actor, patrol)) actions.push('track');
  return actions;
}

export function planActions(
  actor: Actor | null,
  plan: { unit_path: string; valid_to: string | null },
  today: string,
): string[] {
  return mayManagePlans(actor, plan.unit_path) && (plan.valid_to === null || plan.valid_to >= today)
    ? ['end']
    : [];
}

/**
 * The answer to someone who may not see a patrol: staff learn they lack the right (403); anyone else
 * cannot tell whether it exists (404).
 */
export function cannotSee(actor: Actor | null) {
  return isStaff(actor) ? errors.forbidden() : errors.notFound({ zh: '巡查记录', en: 'Patrol' });
}
