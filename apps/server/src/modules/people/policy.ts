import { ROLE_NAMES, type Capability } from '@minqing/contract';
import { AppError, errors } from '../../errors.ts';
import { covers, hasRoleCovering, ROLES, scopePaths, type Actor, type Role } from '../../policy/index.ts';

/**
 * Who may see and administer which accounts and grant which roles (docs/decisions/0201):
 * - system_admin and security_officer administer accounts anywhere below their unit;
 * - street_admin hands out community and front-line roles inside its street, community_admin the
 *   front-line roles inside its community; nobody grants a role above their own or outside their
 *   subtree, and nobody changes their own roles or account through these routes;
 * - auditor reads, never writes;
 * - separation of duties (三权分立): one account never holds roles of two of the duties
 *   administration, audit and security; the bookkeeper never also reviews the books.
 */

const ALL_ROLES: readonly Role[] = ROLES;

/** The roles each administering role may hand out (and revoke) inside its subtree. */
export const GRANTABLE_ROLES: Partial<Record<Role, readonly Role[]>> = {
  system_admin: ALL_ROLES,
  security_officer: ALL_ROLES,
  street_admin: ['community_admin', 'grid_worker', 'handler', 'resident', 'bookkeeper', 'finance_reviewer'],
  community_admin: ['grid_worker', 'handler', 'resident'],
};
const MANAGER_ROLES = Object.keys(GRANTABLE_ROLES) as Role[];
const VIEWER_ROLES: readonly Role[] = [...MANAGER_ROLES, 'auditor'];
/** Roles that may read a full phone number for a stated purpose (contacting a resident, account recovery). */
const REVEAL_ROLES: readonly Role[] = ['street_admin', 'community_admin', 'security_officer'];
const SECURITY_LOG_ROLES: readonly Role[] = ['auditor', 'security_officer'];

const AT_STREET_OR_ABOVE = ['street', 'county', 'city', 'province'] as const;

/** The kinds of unit at which each role makes sense. */
export const ROLE_UNIT_KINDS: Record<Role, readonly string[]> = {
  resident: ['community'],
  grid_worker: ['grid', 'community'],
  handler: ['community', 'street'],
  community_admin: ['community'],
  street_admin: ['street'],
  // 村账乡代管: the township's agency may keep a village's books, so a street-level bookkeeper is allowed.
  bookkeeper: ['community', 'street'],
  finance_reviewer: ['community'],
  auditor: AT_STREET_OR_ABOVE,
  security_officer: AT_STREET_OR_ABOVE,
  system_admin: AT_STREET_OR_ABOVE,
};

/** Each inner list is one duty; an account may hold roles of at most one duty in each set. */
const EXCLUSIVE_DUTIES: readonly (readonly (readonly Role[])[])[] = [
  [['system_admin', 'street_admin', 'community_admin'], ['auditor'], ['security_officer']],
  [['bookkeeper'], ['finance_reviewer']],
];

/** The role already held that `role` may not be combined with, if any. */
export function dutyConflict(heldRoles: readonly Role[], role: Role): Role | undefined {
  for (const duties of EXCLUSIVE_DUTIES) {
    const mine = duties.find((duty) => duty.includes(role));
    if (!mine) continue;
    const clash = heldRoles.find(
      (held) => !mine.includes(held) && duties.some((duty) => duty.includes(held)),
    );
    if (clash) return clash;
  }
  return undefined;
}

/** May the actor hand out (or take back) `role` at the unit whose path is `unitPath`? */
export function canGrant(actor: Actor | null, role: Role, unitPath: string): boolean {
  if (!actor) return false;
  return actor.roles.some(
    (grant) => (GRANTABLE_ROLES[grant.role] ?? []).includes(role) && covers(grant, unitPath),
  );
}

/** An account as the policy sees it: where it is placed and which roles it holds where. */
export interface AccountPlacement {
  userId: string;
  /** Its roles' units, its home and its street. */
  anchorPaths: readonly string[];
  grants: readonly { role: Role; unitPath: string }[];
}

function placedUnder(actor: Actor | null, roles: readonly Role[], account: AccountPlacement): boolean {
  return account.anchorPaths.some((path) => hasRoleCovering(actor, roles, path));
}

export function canViewAccount(actor: Actor | null, account: AccountPlacement): boolean {
  return !!actor && (actor.userId === account.userId || placedUnder(actor, VIEWER_ROLES, account));
}

/**
 * Administering an account (rename, deactivate, reset, grant) needs an administering role over where
 * it is placed and the power to grant every role it holds: a community admin cannot lock out the
 * street admin who happens to live in the community. Never one's own account.
 */
export function canManageAccount(actor: Actor | null, account: AccountPlacement): boolean {
  if (!actor || actor.userId === account.userId) return false;
  return (
    placedUnder(actor, MANAGER_ROLES, account) &&
    account.grants.every((grant) => canGrant(actor, grant.role, grant.unitPath))
  );
}

export function canRevealPhone(actor: Actor | null, account: AccountPlacement): boolean {
  return !!actor && actor.userId !== account.userId && placedUnder(actor, REVEAL_ROLES, account);
}

/** The unit prefixes inside which the actor may list accounts. */
export function accountScope(actor: Actor | null): string[] {
  return scopePaths(actor, VIEWER_ROLES);
}

export function securityLogScope(actor: Actor | null): { paths: string[]; includeUnplaced: boolean } {
  const paths = scopePaths(actor, SECURITY_LOG_ROLES);
  // Failed sign-ins under unknown names belong to no unit: readers at the top of a tree see them.
  const includeUnplaced =
    !!actor &&
    actor.roles.some(
      (grant) => SECURITY_LOG_ROLES.includes(grant.role) && grant.unitPath.split('/').length === 3,
    );
  return { paths, includeUnplaced };
}

export interface AccountState {
  kind: 'staff' | 'resident';
  isActive: boolean;
  isLocked: boolean;
  totpEnabled: boolean;
  hasPhone: boolean;
}

/** What the caller may do with an account now: the console shows these buttons and no others. */
export function accountActions(
  actor: Actor | null,
  account: AccountPlacement,
  state: AccountState,
): string[] {
  const actions: string[] = [];
  if (canManageAccount(actor, account)) {
    actions.push('update', state.isActive ? 'deactivate' : 'reactivate');
    if (state.isActive) actions.push('grant-role');
    if (state.isLocked) actions.push('unlock');
    if (state.kind === 'staff') actions.push('reset-password');
    if (state.totpEnabled) actions.push('reset-totp');
    if (state.kind === 'resident' && state.isActive) actions.push('merge');
  }
  if (state.hasPhone && canRevealPhone(actor, account)) actions.push('reveal-phone');
  return actions;
}

export function roleAssignmentActions(
  actor: Actor | null,
  account: AccountPlacement,
  assignment: { role: Role; unitPath: string },
): string[] {
  return canManageAccount(actor, account) && canGrant(actor, assignment.role, assignment.unitPath)
    ? ['revoke']
    : [];
}

// ---------------------------------------------------------------------------------------------
// Assertions the use-cases call once, before they change anything

export function assertCanView(actor: Actor | null, account: AccountPlacement | undefined): asserts account {
  // Accounts outside the caller's scope answer 404: their existence is not the caller's business.
  if (!account || !canViewAccount(actor, account)) throw errors.notFound({ zh: '用户', en: 'User' });
}

export function assertCanManage(actor: Actor | null, account: AccountPlacement): void {
  if (actor?.userId === account.userId) {
    throw errors.unprocessable('own_account', {
      zh: '不能通过账号管理修改自己的账号或角色',
      en: 'You cannot administer your own account or roles',
    });
  }
  if (!canManageAccount(actor, account)) throw errors.forbidden();
}

/** The actor may hand out (or take back) `role` at the unit: its role ranks high enough and reaches there. */
export function assertCanGrant(actor: Actor | null, role: Role, unit: { path: string }): void {
  if (!canGrant(actor, role, unit.path)) {
    throw new AppError(
      403,
      'forbidden',
      {
        zh: `您不能在该单位授予或收回“${ROLE_NAMES[role].zh}”角色`,
        en: `You cannot grant or revoke the ${ROLE_NAMES[role].en} role at that unit`,
      },
      { role },
    );
  }
}

/** The role makes sense at a unit of this kind (a community admin at a community, …). */
export function assertRoleFitsUnit(role: Role, unit: { kind: string }): void {
  if (!ROLE_UNIT_KINDS[role].includes(unit.kind)) {
    throw errors.unprocessable(
      'role_unit_kind',
      {
        zh: `“${ROLE_NAMES[role].zh}”角色不能设在此类单位`,
        en: `The ${ROLE_NAMES[role].en} role cannot be held at a unit of this kind`,
      },
      { allowedKinds: ROLE_UNIT_KINDS[role], unitKind: unit.kind },
    );
  }
}

/** Separation of duties: refuses a role that clashes with one the account holds (or is being given). */
export function assertNoDutyConflict(heldRoles: readonly Role[], role: Role): void {
  const clash = dutyConflict(heldRoles, role);
  if (!clash) return;
  throw errors.unprocessable(
    'separation_of_duties',
    {
      zh: `三权分立：已担任“${ROLE_NAMES[clash].zh}”的账号不能再担任“${ROLE_NAMES[role].zh}”`,
      en: `Separation of duties: an account that is ${ROLE_NAMES[clash].en} cannot also be ${ROLE_NAMES[role].en}`,
    },
    { role, conflictsWith: clash },
  );
}

export function assertCanListAccounts(actor: Actor | null): string[] {
  if (!actor) throw errors.unauthenticated();
  const paths = accountScope(actor);
  if (paths.length === 0) throw errors.forbidden();
  return paths;
}

export function assertCanReveal(actor: Actor | null, account: AccountPlacement): void {
  if (!canRevealPhone(actor, account)) throw errors.forbidden();
}

// ---------------------------------------------------------------------------------------------
// Capabilities for the web apps' menus

const ROLE_CAPABILITIES: Record<Role, readonly Capability[]> = {
  resident: ['case.report', 'case.view_own', 'journal.verify'],
  grid_worker: [
    'case.report',
    'case.view_area',
    'case.patrol',
    'case.handle',
    'case.verify',
    'case.follow_up',
    'journal.verify',
  ],
  handler: ['case.report', 'case.handle', 'journal.verify'],
  community_admin: [
    'case.report',
    'case.view_area',
    'case.accept',
    'case.dispatch',
    'case.verify',
    'case.follow_up',
    'routing.manage',
    'figures.view',
    'finance.publish',
    'notice.publish',
    'user.view',
    'user.manage',
    'journal.verify',
  ],
  street_admin: [
    'case.report',
    'case.view_area',
    'case.accept',
    'case.dispatch',
    'case.verify',
    'case.follow_up',
    'case.supervise',
    'routing.manage',
    'area.manage',
    'figures.view',
    'finance.publish',
    'notice.publish',
    'user.view',
    'user.manage',
    'journal.verify',
  ],
  bookkeeper: ['finance.keep_books', 'journal.verify'],
  finance_reviewer: ['finance.review', 'journal.verify'],
  auditor: ['case.view_area', 'figures.view', 'user.view', 'security_log.view', 'journal.verify'],
  security_officer: ['user.view', 'user.manage', 'security_log.view', 'journal.verify'],
  system_admin: [
    'area.manage',
    'routing.manage',
    'figures.view',
    'user.view',
    'user.manage',
    'journal.verify',
  ],
};

/** Coarse abilities from the actor's roles (menus); each object's allowedActions remains the authority. */
export function capabilitiesOf(actor: Actor): Capability[] {
  const set = new Set<Capability>(actor.kind === 'resident' ? ROLE_CAPABILITIES.resident : []);
  for (const grant of actor.roles)
    for (const capability of ROLE_CAPABILITIES[grant.role]) set.add(capability);
  return [...set].sort();
}
