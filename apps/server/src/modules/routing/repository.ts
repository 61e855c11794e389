import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { RoutingRulesTable } from '../../db/schema.generated.ts';

/** The SQL of the routing module. Nothing else in the module writes a query. */

export type RoutingRuleRow = Selectable<RoutingRulesTable>;

export interface CategoryRouting {
  code: string;
  majorCode: string;
  nameZh: string;
  nameEn: string;
  defaultOrgKind: string | null;
}

export async function findCategoryRouting(db: Db, code: string): Promise<CategoryRouting | undefined> {
  const row = await db
    .selectFrom('case_categories')
    .select(['code', 'major_code', 'name_zh', 'name_en', 'default_org_kind'])
    .where('code', '=', code)
    .executeTakeFirst();
  return (
    row && {
      code: row.code,
      majorCode: row.major_code,
      nameZh: row.name_zh,
      nameEn: row.name_en,
      defaultOrgKind: row.default_org_kind,
    }
  );
}

/** Does any category (active or not) have this major code? A rule for an unknown major class is a typo. */
export async function majorCodeExists(db: Db, majorCode: string): Promise<boolean> {
  const row = await db
    .selectFrom('case_categories')
    .select('code')
    .where('major_code', '=', majorCode)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface CandidateRule {
  ruleId: string;
  category: string;
  unitId: string;
  orgId: string;
  orgName: string;
  orgKind: string;
  orgUnitId: string;
}

/** Active rules at any of `unitIds` for any of `categories` whose organisation is active. */
export async function findCandidateRules(
  db: Db,
  unitIds: string[],
  categories: string[],
): Promise<CandidateRule[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('routing_rules as r')
    .innerJoin('organisations as o', 'o.id', 'r.org_id')
    .select([
      'r.id',
      'r.category',
      'r.unit_id',
      'o.id as org_id',
      'o.name',
      'o.kind',
      'o.unit_id as org_unit_id',
    ])
    .where('r.is_active', '=', true)
    .where('o.is_active', '=', true)
    .where('r.unit_id', 'in', unitIds)
    .where('r.category', 'in', categories)
    .execute();
  return rows.map((row) => ({
    ruleId: row.id,
    category: row.category,
    unitId: row.unit_id,
    orgId: row.org_id,
    orgName: row.name,
    orgKind: row.kind,
    orgUnitId: row.org_unit_id,
  }));
}

export interface OrganisationRef {
  id: string;
  name: string;
  kind: string;
  unitId: string;
}

/** Active organisations of `kind` attached to any of `unitIds`, oldest first (a stable choice among equals). */
export async function findOrganisationsOfKind(
  db: Db,
  unitIds: string[],
  kind: string,
): Promise<OrganisationRef[]> {
  if (unitIds.length === 0) return [];
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind', 'unit_id'])
    .where('is_active', '=', true)
    .where('kind', '=', kind)
    .where('unit_id', 'in', unitIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, kind: row.kind, unitId: row.unit_id }));
}

export interface UnitPlace {
  id: string;
  kind: string;
  code: string;
  name: string;
  path: string;
  streetId: string | null;
  isActive: boolean;
}

export async function findUnits(db: Db, ids: string[]): Promise<Map<string, UnitPlace>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('units')
    .select(['id', 'kind', 'code', 'name', 'path', 'street_id', 'is_active'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        kind: row.kind,
        code: row.code,
        name: row.name,
        path: row.path,
        streetId: row.street_id,
        isActive: row.is_active,
      },
    ]),
  );
}

export interface OrganisationPlace extends OrganisationRef {
  isActive: boolean;
  unitPath: string;
}

export async function findOrganisationPlace(db: Db, id: string): Promise<OrganisationPlace | undefined> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('units as u', 'u.id', 'o.unit_id')
    .select(['o.id', 'o.name', 'o.kind', 'o.unit_id', 'o.is_active', 'u.path'])
    .where('o.id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      name: row.name,
      kind: row.kind,
      unitId: row.unit_id,
      isActive: row.is_active,
      unitPath: row.path,
    }
  );
}

/** A rule with the names people read beside it. */
export interface RuleListRow extends RoutingRuleRow {
  unit_kind: string;
  unit_code: string;
  unit_name: string;
  unit_path: string;
  street_id: string | null;
  org_name: string;
  org_kind: string;
  org_is_active: boolean;
  category_name_zh: string | null;
  category_name_en: string | null;
}

function ruleListQuery(db: Db) {
  return db
    .selectFrom('routing_rules as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('organisations as o', 'o.id', 'r.org_id')
    .selectAll('r')
    .select([
      'u.kind as unit_kind',
      'u.code as unit_code',
      'u.name as unit_name',
      'u.path as unit_path',
      'u.street_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.is_active as org_is_active',
      // a minor code names its category; a major code names its class; '*' names nothing
      (eb) =>
        eb
          .selectFrom('case_categories as c')
          .select(
            sql<string>`CASE WHEN length(r.category) = 4 THEN c.name_zh ELSE c.major_name_zh END`.as('n'),
          )
          .where((w) =>
            w.or([w('c.code', '=', w.ref('r.category')), w('c.major_code', '=', w.ref('r.category'))]),
          )
          .orderBy('c.code')
          .limit(1)
          .as('category_name_zh'),
      (eb) =>
        eb
          .selectFrom('case_categories as c')
          .select(
            sql<string>`CASE WHEN length(r.category) = 4 THEN c.name_en ELSE c.major_name_en END`.as('n'),
          )
          .where((w) =>
            w.or([w('c.code', '=', w.ref('r.category')), w('c.major_code', '=', w.ref('r.category'))]),
          )
          .orderBy('c.code')
          .limit(1)
          .as('category_name_en'),
    ]);
}

export interface RuleListFilter {
  /** Rules at units under any of these paths (the caller's scope). */
  scopePaths: string[];
  /** Rules at this unit's subtree (a path), or on the line above it when `alsoAbove` is set. */
  underPath?: string | undefined;
  category?: string | undefined;
  includeInactive: boolean;
  after?: { path: string; category: string; id: string } | undefined;
  limit: number;
}

/** Rules in scope, ordered by unit (street before community before grid), then category. */
export async function listRules(db: Db, filter: RuleListFilter): Promise<RuleListRow[]> {
  if (filter.scopePaths.length === 0) return [];
  let query = ruleListQuery(db).where((eb) =>
    eb.or(filter.scopePaths.map((path) => eb('u.path', 'like', `${escapeLike(path)}%`))),
  );
  if (filter.underPath) query = query.where('u.path', 'like', `${escapeLike(filter.underPath)}%`);
  if (filter.category) query = query.where('r.category', '=', filter.category);
  if (!filter.includeInactive) query = query.where('r.is_active', '=', true);
  if (filter.after) {
    const { path, category, id } = filter.after;
    query = query.where((eb) =>
      eb(eb.refTuple('u.path', 'r.category', 'r.id'), '>', eb.tuple(path, category, id)),
    );
  }
  const rows = await query
    .orderBy('u.path')
    .orderBy('r.category')
    .orderBy('r.id')
    .limit(filter.limit)
    .execute();
  return rows;
}

export async function findRule(db: Db, id: string): Promise<RuleListRow | undefined> {
  const row = await ruleListQuery(db).where('r.id', '=', id).executeTakeFirst();
  return row;
}

/** Locks a rule until the transaction ends: edits of one rule serialise here. */
export async function lockRule(trx: Db, id: string): Promise<RoutingRuleRow | undefined> {
  return trx.selectFrom('routing_rules').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findActiveRuleAt(
  db: Db,
  unitId: string,
  category: string,
  exceptId?: string,
): Promise<string | undefined> {
  let query = db
    .selectFrom('routing_rules')
    .select('id')
    .where('unit_id', '=', unitId)
    .where('category', '=', category)
    .where('is_active', '=', true);
  if (exceptId) query = query.where('id', '<>', exceptId);
  const row = await query.executeTakeFirst();
  return row?.id;
}

export async function insertRule(
  trx: Db,
  rule: {
    id: string;
    category: string;
    unitId: string;
    orgId: string;
    note: string | null;
    createdBy: string;
  },
): Promise<RoutingRuleRow> {
  return trx
    .insertInto('routing_rules')
    .values({
      id: rule.id,
      category: rule.category,
      unit_id: rule.unitId,
      org_id: rule.orgId,
      note: rule.note,
      created_by: rule.createdBy,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateRule(
  trx: Db,
  id: string,
  changes: { category?: string; org_id?: string; note?: string | null; is_active?: boolean },
): Promise<RoutingRuleRow> {
  return trx
    .updateTable('routing_rules')
    .set({ ...changes, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
