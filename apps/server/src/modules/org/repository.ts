import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { escapeLike, type UnitKind } from '../areas/repository.ts';

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

/** An organisation with the unit it is attached to (path and kind decide who may see and change it). */
export interface OrganisationRecord {
  id: string;
  parentId: string | null;
  kind: OrgKind;
  name: string;
  code: string | null;
  path: string;
  streetId: string | null;
  attrs: Record<string, unknown>;
  isActive: boolean;
  version: number;
  unit: { id: string; kind: UnitKind; code: string; name: string; path: string; isActive: boolean };
}

function selectOrganisations(db: Db) {
  return db
    .selectFrom('organisations as o')
    .innerJoin('units as u', 'u.id', 'o.unit_id')
    .select([
      'o.id',
      'o.parent_id',
      'o.kind',
      'o.name',
      'o.code',
      'o.path',
      'o.street_id',
      'o.attrs',
      'o.is_active',
      'o.version',
      'u.id as unit_id',
      'u.kind as unit_kind',
      'u.code as unit_code',
      'u.name as unit_name',
      'u.path as unit_path',
      'u.is_active as unit_is_active',
    ]);
}

type OrganisationSelection = Awaited<
  ReturnType<ReturnType<typeof selectOrganisations>['executeTakeFirstOrThrow']>
>;

function toOrganisationRecord(row: OrganisationSelection): OrganisationRecord {
  return {
    id: row.id,
    parentId: row.parent_id,
    kind: row.kind as OrgKind,
    name: row.name,
    code: row.code,
    path: row.path,
    streetId: row.street_id,
    attrs: (row.attrs ?? {}) as Record<string, unknown>,
    isActive: row.is_active,
    version: row.version,
    unit: {
      id: row.unit_id,
      kind: row.unit_kind as UnitKind,
      code: row.unit_code,
      name: row.unit_name,
      path: row.unit_path,
      isActive: row.unit_is_active,
    },
  };
}

export async function findOrganisation(db: Db, id: string): Promise<OrganisationRecord | undefined> {
  const row = await selectOrganisations(db).where('o.id', '=', id).executeTakeFirst();
  return row ? toOrganisationRecord(row) : undefined;
}

/** Locks the organisation's row until the transaction ends: edits of one organisation serialise. */
export async function lockOrganisation(trx: Db, id: string): Promise<OrganisationRecord | undefined> {
  await trx.selectFrom('organisations').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return findOrganisation(trx, id);
}

export async function findOrganisationByCode(db: Db, code: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('organisations').select('id').where('code', '=', code).executeTakeFirst();
}

export interface OrganisationQuery {
  unitId?: string | undefined;
  /** Organisations attached anywhere in this unit subtree. */
  underUnitPath?: string | undefined;
  kind?: OrgKind | undefined;
  includeInactive: boolean;
  limit: number;
}

export async function listOrganisations(db: Db, query: OrganisationQuery): Promise<OrganisationRecord[]> {
  let select = selectOrganisations(db)
    .orderBy('u.depth')
    .orderBy('u.code')
    .orderBy('o.path')
    .limit(query.limit);
  if (query.unitId) select = select.where('o.unit_id', '=', query.unitId);
  if (query.underUnitPath) select = select.where('u.path', 'like', `${escapeLike(query.underUnitPath)}%`);
  if (query.kind) select = select.where('o.kind', '=', query.kind);
  if (!query.includeInactive) select = select.where('o.is_active', '=', true);
  return (await select.execute()).map(toOrganisationRecord);
}

export interface OrganisationChanges {
  name?: string;
  code?: string | null;
  attrs?: Record<string, unknown>;
  isActive?: boolean;
}

export async function updateOrganisationRow(
  trx: Db,
  id: string,
  changes: OrganisationChanges,
  at: Date,
): Promise<void> {
  await trx
    .updateTable('organisations')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.code !== undefined ? { code: changes.code } : {}),
      ...(changes.attrs !== undefined ? { attrs: JSON.stringify(changes.attrs) } : {}),
      ...(changes.isActive !== undefined ? { is_active: changes.isActive } : {}),
      updated_at: at,
      version: sql<number>`version + 1`,
    })
    .where('id', '=', id)
    .execute();
}

export async function countActiveChildOrganisations(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('organisations')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('parent_id', '=', id)
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface MemberRecord {
  userId: string;
  displayName: string;
  title: string | null;
  joinedAt: Date;
}

export async function listMembers(db: Db, orgId: string): Promise<MemberRecord[]> {
  const rows = await db
    .selectFrom('organisation_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.display_name', 'm.title', 'm.joined_at'])
    .where('m.org_id', '=', orgId)
    .orderBy('m.joined_at')
    .orderBy('m.user_id')
    .execute();
  return rows.map((row) => ({
    userId: row.user_id,
    displayName: row.display_name,
    title: row.title,
    joinedAt: row.joined_at,
  }));
}

/** Whether a user account exists and is active (members are people with accounts). */
export async function isActiveUser(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', userId)
    .where('is_active', '=', true)
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds a member, or changes the title of one already there. */
export async function upsertMember(
  trx: Db,
  orgId: string,
  userId: string,
  title: string | null,
): Promise<void> {
  await trx
    .insertInto('organisation_members')
    .values({ org_id: orgId, user_id: userId, title })
    .onConflict((oc) => oc.columns(['org_id', 'user_id']).doUpdateSet({ title }))
    .execute();
}

export async function deleteMember(trx: Db, orgId: string, userId: string): Promise<boolean> {
  const result = await trx
    .deleteFrom('organisation_members')
    .where('org_id', '=', orgId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listServedHouseholds(
  db: Db,
  orgId: string,
): Promise<{ id: string; kind: UnitKind; code: string; name: string }[]> {
  const rows = await db
    .selectFrom('organisation_households as h')
    .innerJoin('units as u', 'u.id', 'h.household_id')
    .select(['u.id', 'u.kind', 'u.code', 'u.name'])
    .where('h.org_id', '=', orgId)
    .orderBy('u.code')
    .execute();
  return rows.map((row) => ({ ...row, kind: row.kind as UnitKind }));
}

export async function replaceServedHouseholds(
  trx: Db,
  orgId: string,
  streetId: string | null,
  householdIds: readonly string[],
): Promise<void> {
  await trx.deleteFrom('organisation_households').where('org_id', '=', orgId).execute();
  if (householdIds.length === 0) return;
  await trx
    .insertInto('organisation_households')
    .values(
      householdIds.map((householdId) => ({ org_id: orgId, household_id: householdId, street_id: streetId })),
    )
    .execute();
}
