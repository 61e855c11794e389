import type { CreateOrganisation } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import { findUnit } from '../areas/repository.ts';
import { invalidField } from '../areas/unit-validation.ts';
import { journalOrgChange, ORG_PROJECTED_COLUMNS } from './org-journal.ts';
import { orgParentProblem, orgUnitProblem } from './org-rules.ts';
import {
  findOrganisation,
  findOrganisationByCode,
  insertOrganisation,
  lockOrganisation,
  type OrganisationRecord,
} from './repository.ts';

export interface ActingAs {
  actorId: string | null;
  actorRole: string | null;
}

export function duplicateOrgCode(code: string) {
  return errors.conflict(
    'duplicate_code',
    { zh: `代码 ${code} 已被其他组织使用`, en: `The code ${code} is already used by another organisation` },
    { code },
  );
}

/**
 * Creates an organisation at an area unit: the kind must fit the unit's level (a 楼栋党小组 at a
 * building), the parent organisation must be the level above and sit at or above the unit.
 */
export async function createOrganisation(
  db: Db,
  input: CreateOrganisation,
  acting: ActingAs,
): Promise<OrganisationRecord> {
  return inTransaction(db, async (trx) => {
    const unit = await findUnit(trx, input.unitId);
    if (!unit) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
    if (!unit.isActive) {
      throw errors.unprocessable('unit_inactive', {
        zh: '该区域单元已停用，不能在此新建组织',
        en: 'The unit is deactivated; no organisation can be added to it',
      });
    }
    const unitProblem = orgUnitProblem(input.kind, unit.kind);
    if (unitProblem) throw invalidField('body.kind', unitProblem);
    const parent = input.parentId ? await lockOrganisation(trx, input.parentId) : undefined;
    if (input.parentId && !parent) throw errors.notFound({ zh: '上级组织', en: 'Parent organisation' });
    const parentProblem = orgParentProblem(input.kind, parent?.kind ?? null);
    if (parentProblem) throw invalidField('body.parentId', parentProblem);
    if (parent && !parent.isActive) {
      throw errors.unprocessable('parent_inactive', {
        zh: '上级组织已停用',
        en: 'The parent organisation is deactivated',
      });
    }
    if (parent && !unit.path.startsWith(parent.unit.path)) {
      throw invalidField('body.parentId', {
        zh: `上级组织“${parent.name}”所在的区域不包含“${unit.name}”`,
        en: `the parent organisation "${parent.name}" does not cover "${unit.name}"`,
      });
    }
    if (input.code && (await findOrganisationByCode(trx, input.code))) throw duplicateOrgCode(input.code);
    let id: string;
    try {
      id = await insertOrganisation(trx, {
        unitId: unit.id,
        parentId: parent?.id ?? null,
        kind: input.kind,
        name: input.name,
        code: input.code ?? null,
        attrs: input.attrs ?? {},
      });
    } catch (error) {
      if (isUniqueViolation(error) && input.code) throw duplicateOrgCode(input.code);
      throw error;
    }
    const org = (await findOrganisation(trx, id))!;
    await journalOrgChange(trx, {
      action: 'create',
      org,
      changed: ORG_PROJECTED_COLUMNS,
      ...acting,
      at: new Date(),
    });
    return org;
  });
}
