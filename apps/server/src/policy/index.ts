/**
 * The permission primitives every capability's policy.ts is built from. A role is held at a unit and
 * covers that unit's subtree; nothing else grants anything. Routes never decide on their own: they
 * ask their capability's policy, which asks these.
 */
export const ROLES = [
  'resident',
  'grid_worker',
  'handler',
  'community_admin',
  'street_admin',
  'bookkeeper',
  'finance_reviewer',
  'auditor',
  'security_officer',
  'system_admin',
] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  role: Role;
  unitId: string;
  /** '/…/unitId/' — the unit's materialised path; a grant covers every path that starts with it. */
  unitPath: string;
  unitKind: string;
  streetId: string | null;
  orgId: string | null;
}

export interface Actor {
  userId: string;
  kind: 'staff' | 'resident';
  displayName: string;
  roles: RoleGrant[];
}

/** Does this grant cover the unit at `path` (the unit itself or anything below it)? */
export function covers(grant: RoleGrant, path: string): boolean {
  return path.startsWith(grant.unitPath);
}

/** The grants of `actor` among `roles` that cover `path`. */
export function grantsCovering(actor: Actor | null, roles: readonly Role[], path: string): RoleGrant[] {
  if (!actor) return [];
  return actor.roles.filter((grant) => roles.includes(grant.role) && covers(grant, path));
}

export function hasRoleCovering(actor: Actor | null, roles: readonly Role[], path: string): boolean {
  return grantsCovering(actor, roles, path).length > 0;
}

export function hasRole(actor: Actor | null, roles: readonly Role[]): boolean {
  return !!actor && actor.roles.some((grant) => roles.includes(grant.role));
}

/** The unit paths under which `actor` holds any of `roles` — the scope of list queries. */
export function scopePaths(actor: Actor | null, roles: readonly Role[]): string[] {
  if (!actor) return [];
  const paths = actor.roles.filter((grant) => roles.includes(grant.role)).map((grant) => grant.unitPath);
  // Drop paths already covered by a shorter one, so queries get the fewest prefixes.
  return paths.filter((path) => !paths.some((other) => other !== path && path.startsWith(other)));
}

export const STAFF_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'resident');
