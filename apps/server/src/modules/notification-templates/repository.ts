import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface TemplateRow {
  id: string;
  unit_id: string;
  street_id: string;
  key: string;
  text_zh: string | null;
  text_en: string | null;
  version: number;
  updated_by: string | null;
  updated_at: Date;
}

export interface OverrideRow extends TemplateRow {
  unit_name: string;
  unit_path: string;
}

export interface UnitRow {
  id: string;
  name: string;
  kind: string;
  path: string;
  street_id: string | null;
}

export async function findUnit(db: Db, id: string): Promise<UnitRow | undefined> {
  return db
    .selectFrom('units')
    .select(['id', 'name', 'kind', 'path', 'street_id'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * The overrides that apply at a unit: those of the unit and of its ancestors (their paths are
 * prefixes of its path), nearest first. Reset rows (null texts) are left out unless `withReset`.
 */
export async function overridesAlong(
  db: Db,
  unitPath: string,
  keys?: readonly string[],
  options: { withReset?: boolean } = {},
): Promise<OverrideRow[]> {
  return db
    .selectFrom('notification_templates as t')
    .innerJoin('units as u', 'u.id', 't.unit_id')
    .selectAll('t')
    .select(['u.name as unit_name', 'u.path as unit_path'])
    .where(sql<boolean>`${unitPath} LIKE u.path || '%'`)
    .$if(!options.withReset, (qb) => qb.where('t.text_zh', 'is not', null))
    .$if(keys !== undefined, (qb) => qb.where('t.key', 'in', keys as string[]))
    .orderBy(sql`length(u.path)`, 'desc')
    .execute();
}

export async function lockTemplate(db: Db, unitId: string, key: string): Promise<TemplateRow | undefined> {
  return db
    .selectFrom('notification_templates')
    .selectAll()
    .where('unit_id', '=', unitId)
    .where('key', '=', key)
    .forUpdate()
    .executeTakeFirst();
}

export async function writeTemplate(
  db: Db,
  row: Omit<TemplateRow, 'updated_at'> & { updated_at: Date },
  isNew: boolean,
): Promise<TemplateRow> {
  if (isNew) {
    return db.insertInto('notification_templates').values(row).returningAll().executeTakeFirstOrThrow();
  }
  return db
    .updateTable('notification_templates')
    .set({
      text_zh: row.text_zh,
      text_en: row.text_en,
      version: row.version,
      updated_by: row.updated_by,
      updated_at: row.updated_at,
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
}
