import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import type { UnitInfo } from '../areas/service.ts';
import {
  findCategoryRouting,
  findOrganisationPlace,
  majorCodeExists,
  type OrganisationPlace,
} from './repository.ts';

/** Cases resolve to a grid, or to their community or street outside every grid: rules live there. */
const ROUTABLE_KINDS = new Set(['street', 'community', 'grid']);

/** The unit a rule applies to: an active street, community or grid (422 otherwise). */
export async function routableUnit(app: App, unitId: string): Promise<UnitInfo> {
  const unit = await app.areas.getUnit(unitId);
  if (!unit || !unit.isActive) {
    throw errors.unprocessable(
      'unit_not_found',
      { zh: '所选区域不存在或已停用', en: 'The unit does not exist or is deactivated' },
      { unitId },
    );
  }
  if (!ROUTABLE_KINDS.has(unit.kind) || !unit.streetId) {
    throw errors.unprocessable(
      'unit_not_routable',
      {
        zh: '分拨规则只能设在街道（乡镇）、社区（村）或网格上',
        en: 'A routing rule applies to a street, a community or a grid',
      },
      { unitId, kind: unit.kind },
    );
  }
  return unit;
}

/** A rule's category must name a class of the dictionary: a minor code, a major code, or '*'. */
export async function checkRuleCategory(db: Db, category: string): Promise<void> {
  if (category === '*') return;
  const known =
    category.length === 4
      ? (await findCategoryRouting(db, category)) !== undefined
      : await majorCodeExists(db, category);
  if (!known) {
    throw errors.unprocessable(
      'unknown_category',
      { zh: `分类 ${category} 不在分类目录中`, en: `Category ${category} is not in the category dictionary` },
      { category },
    );
  }
}

/**
 * The organisation a rule sends cases to: active, and attached on the rule unit's line — at the unit,
 * above it (a street-wide sanitation company) or below it (a grid's property company) — never in
 * another community or street.
 */
export async function ruleOrganisation(db: Db, orgId: string, unit: UnitInfo): Promise<OrganisationPlace> {
  const org = await findOrganisationPlace(db, orgId);
  if (!org || !org.isActive) {
    throw errors.unprocessable(
      'org_not_available',
      { zh: '所选处置单位不存在或已停用', en: 'The organisation does not exist or is deactivated' },
      { orgId },
    );
  }
  if (!unit.path.startsWith(org.unitPath) && !org.unitPath.startsWith(unit.path)) {
    throw errors.unprocessable(
      'org_out_of_area',
      {
        zh: '处置单位不在该区域或其上级区域内',
        en: 'The organisation is attached neither to this unit, above it, nor below it',
      },
      { orgId, unitId: unit.id },
    );
  }
  return org;
}

export function ruleExists(existingRuleId: string) {
  return errors.conflict(
    'rule_exists',
    {
      zh: '该区域的这一分类已有生效的分拨规则，请修改它或先停用它',
      en: 'An active rule for this category already exists at this unit; update it or deactivate it first',
    },
    { existingRuleId },
  );
}
