import type { NoticeState } from '@minqing/contract';
import { errors } from '../../errors.ts';
import {
  grantsCovering,
  hasRoleCovering,
  type Actor,
  type Role,
  type RoleGrant,
} from '../../policy/index.ts';

/**
 * Who writes community notices (社区公告, docs/decisions/0950): the administrators of the unit or of a
 * unit above it — a community admin for the community and its grids, a street admin for the street and
 * everything in it. The auditor reads drafts and withdrawn notices as well. Published notices are
 * public: reading them needs no policy.
 */
export const PUBLISH_ROLES: readonly Role[] = ['community_admin', 'street_admin'];
const READ_ROLES: readonly Role[] = [...PUBLISH_ROLES, 'auditor'];

/** Notices are written for streets, communities/villages and grids, never for a building or household. */
export const NOTICE_UNIT_KINDS: readonly string[] = ['street', 'community', 'grid'];

/** Which action leads from which state (the whole state machine: draft → published → withdrawn). */
export const NOTICE_TRANSITIONS = {
  publish: { from: ['draft'], to: 'published' },
  withdraw: { from: ['published'], to: 'withdrawn' },
} as const satisfies Record<string, { from: readonly NoticeState[]; to: NoticeState }>;
export type NoticeTransition = keyof typeof NOTICE_TRANSITIONS;

/** Edits keep the state; a withdrawn notice is history and is not edited. */
const EDITABLE_STATES: readonly NoticeState[] = ['draft', 'published'];

export function mayReadStaffNotices(actor: Actor | null, unitPath: string): boolean {
  return hasRoleCovering(actor, READ_ROLES, unitPath);
}

export function publishGrant(actor: Actor | null, unitPath: string): RoleGrant | undefined {
  return grantsCovering(actor, PUBLISH_ROLES, unitPath)[0];
}

/**
 * The one access check of every staff use-case. 401 for the public; 404 when the unit is outside the
 * caller's area (a draft's existence is not theirs to learn); 403 when they may read but not write.
 */
export function authorizeNotice(
  actor: Actor | null,
  unit: { path: string } | undefined,
  need: 'read' | 'write',
): RoleGrant | undefined {
  if (!actor) throw errors.unauthenticated();
  if (!unit || !mayReadStaffNotices(actor, unit.path)) throw errors.notFound({ zh: '公告', en: 'Notice' });
  if (need === 'read') return undefined;
  const grant = publishGrant(actor, unit.path);
  if (!grant) throw errors.forbidden({ requiredRoles: PUBLISH_ROLES });
  return grant;
}

/** What the caller may do with a notice now (the console's buttons follow this). */
export function noticeActions(
  actor: Actor | null,
  notice: { unitPath: string; state: NoticeState },
): string[] {
  if (!publishGrant(actor, notice.unitPath)) return [];
  const actions: string[] = [];
  if (EDITABLE_STATES.includes(notice.state)) actions.push('update');
  for (const [action, rule] of Object.entries(NOTICE_TRANSITIONS)) {
    if ((rule.from as readonly NoticeState[]).includes(notice.state)) actions.push(action);
  }
  return actions;
}

export function isEditable(state: NoticeState): boolean {
  return EDITABLE_STATES.includes(state);
}
