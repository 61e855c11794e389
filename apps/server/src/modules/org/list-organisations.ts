import type { Organisation, OrgListQuery, OrgTreeNode } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import type { UnitRecord } from '../areas/repository.ts';
import { canReadOrg, canSeeOrgDetails } from './policy.ts';
import { presentOrganisation } from './present.ts';
import { listOrganisations as listOrganisationRows, type OrganisationRecord } from './repository.ts';

const MAX_ORGANISATIONS = 2_000;

async function visibleOrganisations(
  db: Db,
  unit: UnitRecord,
  query: Omit<OrgListQuery, 'unitId'>,
  actor: Actor | null,
): Promise<OrganisationRecord[]> {
  const includeInactive =
    query.includeInactive && canSeeOrgDetails(actor, { unit: unit, kind: 'other', isActive: false });
  const rows = await listOrganisationRows(db, {
    ...(query.subtree ? { underUnitPath: unit.path } : { unitId: unit.id }),
    kind: query.kind,
    includeInactive,
    limit: MAX_ORGANISATIONS,
  });
  return rows.filter((org) => canReadOrg(actor, org));
}

/** The organisations attached to a unit (or anywhere below it) that the caller may see. */
export async function listOrganisations(
  db: Db,
  unit: UnitRecord,
  query: Omit<OrgListQuery, 'unitId'>,
  actor: Actor | null,
): Promise<Organisation[]> {
  return (await visibleOrganisations(db, unit, query, actor)).map((org) => presentOrganisation(org, actor));
}

/**
 * The organisation network of a unit and below, nested by parent organisation: 街道党工委 → 社区党委 →
 * 小区党支部 → 楼栋党小组 → 党员中心户, and the teams. An organisation whose parent lies outside the
 * subtree (or out of the caller's sight) is a root.
 */
export async function getOrganisationTree(
  db: Db,
  unit: UnitRecord,
  actor: Actor | null,
): Promise<{ roots: OrgTreeNode[] }> {
  const orgs = await visibleOrganisations(db, unit, { subtree: true, includeInactive: false }, actor);
  const nodes = new Map<string, OrgTreeNode>(
    orgs.map((org) => [
      org.id,
      {
        id: org.id,
        kind: org.kind,
        name: org.name,
        unitId: org.unit.id,
        unitName: org.unit.name,
        isActive: org.isActive,
        children: [],
      },
    ]),
  );
  const roots: OrgTreeNode[] = [];
  // Paths sort parents before children, so every parent node exists when its children arrive.
  for (const org of [...orgs].sort((a, b) => a.path.length - b.path.length || a.name.localeCompare(b.name))) {
    const node = nodes.get(org.id)!;
    const parent = org.parentId ? nodes.get(org.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return { roots };
}
