/**
 * Who may see and change units (docs/decisions/0103-area-permissions.md). Streets, communities and
 * grids are public: the public map shows their names, codes and outlines. Compounds, buildings and
 * households are seen by staff whose roles cover them (a household is personal). Changes are made by
 * administrators for the units below the unit where they hold their role; a system administrator
 * also for that unit itself.
 */
import { PUBLIC_UNIT_KINDS } from '@minqing/contract';
import { errors } from '../../errors.ts';
import {
  covers,
  hasRoleCovering,
  STAFF_ROLES,
  type Actor,
  type Role,
  type RoleGrant,
} from '../../policy/index.ts';
import type { UnitKind } from './repository.ts';

export interface UnitRef {
  id: string;
  kind: UnitKind;
  path: string;
  isActive: boolean;
}

const ADMIN_ROLES: readonly Role[] = ['system_admin', 'street_admin', 'community_admin'];

export function isPublicKind(kind: UnitKind): boolean {
  return PUBLIC_UNIT_KINDS.includes(kind);
}

export function canReadUnit(actor: Actor | null, unit: UnitRef): boolean {
  if (isPublicKind(unit.kind) && unit.isActive) return true;
  return hasRoleCovering(actor, STAFF_ROLES, unit.path);
}

/** The grant that lets `actor` change `unit`, if any. */
export function manageGrant(actor: Actor | null, unit: UnitRef): RoleGrant | undefined {
  return actor?.roles.find(
    (grant) =>
      ADMIN_ROLES.includes(grant.role) &&
      covers(grant, unit.path) &&
      (grant.role === 'system_admin' || grant.unitId !== unit.id),
  );
}

/** The grant that lets `actor` add a unit under `parent` (null: a top-level unit, system administrators only). */
export function createGrant(actor: Actor | null, parent: UnitRef | null): RoleGrant | undefined {
  if (!parent) return actor?.roles.find((grant) => grant.role === 'system_admin');
  return actor?.roles.find((grant) => ADMIN_ROLES.includes(grant.role) && covers(grant, parent.path));
}

export function canSeeInactive(actor: Actor | null, unit: UnitRef): boolean {
  return hasRoleCovering(actor, STAFF_ROLES, unit.path);
}

export function unitActions(actor: Actor | null, unit: UnitRef): string[] {
  const actions: string[] = [];
  if (manageGrant(actor, unit)) actions.push('update', unit.isActive ? 'deactivate' : 'activate');
  if (unit.isActive && unit.kind !== 'household' && createGrant(actor, unit)) {
    actions.push('create_child');
    if (unit.kind === 'community') actions.push('import_grids');
  }
  return actions;
}

/** Reading a unit one may not see answers 404, as if it did not exist: a household's existence is private. */
export function assertCanRead(actor: Actor | null, unit: UnitRef | undefined): asserts unit is UnitRef {
  if (!unit || !canReadUnit(actor, unit)) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
}

export function assertCanManage(actor: Actor | null, unit: UnitRef | undefined): RoleGrant {
  assertCanRead(actor, unit);
  const grant = manageGrant(actor, unit);
  if (!grant) throw actor ? errors.forbidden() : errors.unauthenticated();
  return grant;
}

export function assertCanCreateUnder(actor: Actor | null, parent: UnitRef | null | undefined): RoleGrant {
  if (parent === undefined) throw errors.notFound({ zh: '上级单元', en: 'Parent unit' });
  if (parent) assertCanRead(actor, parent);
  const grant = createGrant(actor, parent);
  if (!grant) throw actor ? errors.forbidden() : errors.unauthenticated();
  return grant;
}

/** Importing grids needs an administrator role somewhere; each feature is then checked against its community. */
export function assertCanImportGrids(actor: Actor | null): RoleGrant {
  const grant = actor?.roles.find((g) => ADMIN_ROLES.includes(g.role));
  if (!grant) throw actor ? errors.forbidden() : errors.unauthenticated();
  return grant;
}

export function canImportGridsInto(actor: Actor | null, community: UnitRef): boolean {
  return createGrant(actor, community) !== undefined;
}
