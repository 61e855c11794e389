import type { Db } from '../../db/database.ts';

export const ORG_KINDS = [
  'party_working_committee',
  'party_committee',
  'party_branch',
  'building_group',
  'party_member_household',
  'mediation_team',
  'volunteer_team',
  'property_company',
  'sanitation_team',
  'department',
  'committee',
  'other',
] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export interface NewOrganisation {
  id?: string;
  parentId?: string | null;
  unitId: string;
  kind: OrgKind;
  name: string;
  code?: string | null;
  attrs?: Record<string, unknown>;
}

export async function insertOrganisation(db: Db, org: NewOrganisation): Promise<string> {
  const id = org.id ?? crypto.randomUUID();
  const parent = org.parentId
    ? await db
        .selectFrom('organisations')
        .select('path')
        .where('id', '=', org.parentId)
        .executeTakeFirstOrThrow()
    : null;
  const unit = await db
    .selectFrom('units')
    .select('street_id')
    .where('id', '=', org.unitId)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('organisations')
    .values({
      id,
      parent_id: org.parentId ?? null,
      unit_id: org.unitId,
      street_id: unit.street_id,
      kind: org.kind,
      name: org.name,
      code: org.code ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      attrs: JSON.stringify(org.attrs ?? {}),
    })
    .execute();
  return id;
}
