/**
 * Who may see and change organisations (docs/decisions/0104-organisation-network.md). Organisations
 * attached to streets, communities and grids are public by name and kind (residents need to know who
 * handles what); members and served households, and organisations below the grid, are for staff whose
 * roles cover the unit. Community and street administrators (and system administrators) manage the
 * organisations of their subtree, their own unit included.
 */
import { errors } from '../../errors.ts';
import {
  covers,
  hasRoleCovering,
  STAFF_ROLES,
  type Actor,
  type Role,
  type RoleGrant,
} from '../../policy/index.ts';
import { isPublicKind } from '../areas/policy.ts';
import type { UnitKind } from '../areas/repository.ts';
import type { OrgKind } from './repository.ts';

export interface OrgRef {
  kind: OrgKind;
  isActive: boolean;
  unit: { id: string; kind: UnitKind; path: string };
}

const ORG_ADMIN_ROLES: readonly Role[] = ['system_admin', 'street_admin', 'community_admin'];

export function canSeeOrgDetails(actor: Actor | null, org: OrgRef): boolean {
  return hasRoleCovering(actor, STAFF_ROLES, org.unit.path);
}

export function canReadOrg(actor: Actor | null, org: OrgRef): boolean {
  if (org.isActive && isPublicKind(org.unit.kind)) return true;
  return canSeeOrgDetails(actor, org);
}

/** The grant that lets `actor` manage organisations attached to the unit at `unitPath`. */
export function orgManageGrant(actor: Actor | null, unitPath: string): RoleGrant | undefined {
  return actor?.roles.find((grant) => ORG_ADMIN_ROLES.includes(grant.role) && covers(grant, unitPath));
}

export function orgActions(actor: Actor | null, org: OrgRef): string[] {
  if (!orgManageGrant(actor, org.unit.path)) return [];
  const actions = ['update', org.isActive ? 'deactivate' : 'activate', 'manage_members'];
  if (org.isActive && org.kind !== 'party_member_household') actions.push('create_child');
  if (org.kind === 'party_member_household') actions.push('link_households');
  return actions;
}

export function assertCanReadOrg(actor: Actor | null, org: OrgRef | undefined): asserts org is OrgRef {
  if (!org || !canReadOrg(actor, org)) throw errors.notFound({ zh: '组织', en: 'Organisation' });
}

export function assertCanManageOrg(actor: Actor | null, org: OrgRef | undefined): RoleGrant {
  assertCanReadOrg(actor, org);
  const grant = orgManageGrant(actor, org.unit.path);
  if (!grant) throw actor ? errors.forbidden() : errors.unauthenticated();
  return grant;
}

/** Creating needs the right over the unit the new organisation attaches to. */
export function assertCanManageUnitOrgs(actor: Actor | null, unitPath: string): RoleGrant {
  const grant = orgManageGrant(actor, unitPath);
  if (!grant) throw actor ? errors.forbidden() : errors.unauthenticated();
  return grant;
}
