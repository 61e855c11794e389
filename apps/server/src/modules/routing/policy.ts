import { errors } from '../../errors.ts';
import {
  grantsCovering,
  hasRole,
  hasRoleCovering,
  scopePaths,
  type Actor,
  type Role,
} from '../../policy/index.ts';

/**
 * Who may read and change routing rules. A rule belongs to the unit it applies to: the admins whose
 * grant covers that unit manage it (a community admin their community's rules, a street admin the
 * whole street's); auditors read.
 */
export const ROUTING_ADMIN_ROLES: readonly Role[] = ['community_admin', 'street_admin', 'system_admin'];
const READ_ROLES: readonly Role[] = [...ROUTING_ADMIN_ROLES, 'auditor'];

export function mayManageRulesAt(actor: Actor | null, unitPath: string): boolean {
  return hasRoleCovering(actor, ROUTING_ADMIN_ROLES, unitPath);
}

export function mayReadRulesAt(actor: Actor | null, unitPath: string): boolean {
  return hasRoleCovering(actor, READ_ROLES, unitPath);
}

/** The unit paths whose rules `actor` may list. */
export function readScope(actor: Actor | null): string[] {
  return scopePaths(actor, READ_ROLES);
}

export function authorizeReadRules(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthenticated();
  if (!hasRole(actor, READ_ROLES)) throw errors.forbidden({ requiredRoles: READ_ROLES });
  return actor;
}

export function authorizeManageRulesAt(actor: Actor | null, unitPath: string): Actor {
  if (!actor) throw errors.unauthenticated();
  if (!mayManageRulesAt(actor, unitPath)) throw errors.forbidden({ requiredRoles: ROUTING_ADMIN_ROLES });
  return actor;
}

/** 401 for the public, 404 for a rule that does not exist, 403 for a rule outside the caller's units. */
export function authorizeManageRule<T extends { unit_path: string }>(
  actor: Actor | null,
  rule: T | undefined,
): { admin: Actor; rule: T } {
  if (!actor) throw errors.unauthenticated();
  if (!rule) throw errors.notFound({ zh: '分拨规则', en: 'Routing rule' });
  return { admin: authorizeManageRulesAt(actor, rule.unit_path), rule };
}

/** The "test this location" tool is for those who set rules up. */
export function authorizeRouteTest(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthenticated();
  if (!hasRole(actor, ROUTING_ADMIN_ROLES)) throw errors.forbidden({ requiredRoles: ROUTING_ADMIN_ROLES });
  return actor;
}

/** The role under which `actor` changes a rule at `unitPath`, for the journal. */
export function actingRole(actor: Actor, unitPath: string): string {
  const grants = grantsCovering(actor, ROUTING_ADMIN_ROLES, unitPath);
  // The most local grant describes the act best: a community admin acting in their community.
  grants.sort((a, b) => b.unitPath.length - a.unitPath.length);
  return grants[0]?.role ?? 'unknown';
}

export function ruleActions(actor: Actor | null, rule: { unit_path: string; is_active: boolean }): string[] {
  if (!mayManageRulesAt(actor, rule.unit_path)) return [];
  return rule.is_active ? ['update', 'deactivate'] : ['activate'];
}
