import type { RoleGrantInput } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import type { Actor, Role } from '../../policy/index.ts';
import { findUnit } from '../areas/repository.ts';
import { assertCanGrant, assertNoDutyConflict, assertRoleFitsUnit } from './policy.ts';
import { findOrganisation } from './repository.ts';

export interface CheckedGrant {
  role: Role;
  unit: { id: string; path: string; kind: string; streetId: string | null };
  orgId: string | null;
}

/**
 * Everything a new role assignment must satisfy before it is written: the unit exists and is active,
 * the actor may grant the role there, the role fits the unit's kind, a handler names an active
 * organisation on the unit's line (the unit, above or below it), and no duty clashes with `heldRoles`.
 */
export async function checkGrant(
  db: Db,
  actor: Actor,
  input: RoleGrantInput,
  heldRoles: readonly Role[],
): Promise<CheckedGrant> {
  const unit = await findUnit(db, input.unitId);
  if (!unit || !unit.isActive) throw errors.notFound({ zh: '单位', en: 'Unit' });
  const role = input.role;
  assertCanGrant(actor, role, unit);
  assertRoleFitsUnit(role, unit);
  assertNoDutyConflict(heldRoles, role);
  let orgId: string | null = null;
  if (role === 'handler') {
    if (!input.orgId) {
      throw errors.unprocessable('org_required', {
        zh: '处置人员须指定所属的处置单位（队伍、物业、部门）',
        en: 'A handler needs the organisation they act for (a team, company or department)',
      });
    }
    const org = await findOrganisation(db, input.orgId);
    if (!org || !org.isActive) throw errors.notFound({ zh: '组织', en: 'Organisation' });
    if (!org.unitPath.startsWith(unit.path) && !unit.path.startsWith(org.unitPath)) {
      throw errors.unprocessable('org_outside_unit', {
        zh: '该组织不属于此单位',
        en: 'The organisation does not belong to this unit',
      });
    }
    orgId = org.id;
  } else if (input.orgId) {
    throw errors.unprocessable('org_not_applicable', {
      zh: '只有处置人员角色需要指定组织',
      en: 'Only the handler role takes an organisation',
    });
  }
  return { role, unit: { id: unit.id, path: unit.path, kind: unit.kind, streetId: unit.streetId }, orgId };
}
