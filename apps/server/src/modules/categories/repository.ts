import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseCategoriesTable } from '../../db/schema.generated.ts';

/** The SQL of the categories module. Nothing else in the module writes a query. */

export type CategoryRow = Selectable<CaseCategoriesTable>;

export async function listCategoryRows(db: Db, includeInactive: boolean): Promise<CategoryRow[]> {
  let query = db.selectFrom('case_categories').selectAll();
  if (!includeInactive) query = query.where('is_active', '=', true);
  return query.orderBy('major_code').orderBy('sort').orderBy('code').execute();
}

export async function findCategory(db: Db, code: string): Promise<CategoryRow | undefined> {
  return db.selectFrom('case_categories').selectAll().where('code', '=', code).executeTakeFirst();
}

/** Locks a category until the transaction ends: edits of one class serialise here. */
export async function lockCategory(trx: Db, code: string): Promise<CategoryRow | undefined> {
  return trx
    .selectFrom('case_categories')
    .selectAll()
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
}

/** The names of a major class, from any of its minor classes. */
export async function findMajorNames(
  db: Db,
  majorCode: string,
): Promise<{ zh: string; en: string } | undefined> {
  const row = await db
    .selectFrom('case_categories')
    .select(['major_name_zh', 'major_name_en'])
    .where('major_code', '=', majorCode)
    .orderBy('code')
    .limit(1)
    .executeTakeFirst();
  return row && { zh: row.major_name_zh, en: row.major_name_en };
}

/** Inserts a class; undefined when the code already exists (the caller answers 409). */
export async function insertCategory(
  trx: Db,
  row: Insertable<CaseCategoriesTable>,
): Promise<CategoryRow | undefined> {
  return trx
    .insertInto('case_categories')
    .values(row)
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateCategory(
  trx: Db,
  code: string,
  changes: Updateable<CaseCategoriesTable>,
): Promise<CategoryRow> {
  return trx
    .updateTable('case_categories')
    .set({ ...changes, updated_at: sql<Date>`now()`, version: sql<number>`version + 1` })
    .where('code', '=', code)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Renames a major class on every minor class it has (the name is stored with each, as the standard's tables do). */
export async function renameMajor(
  trx: Db,
  majorCode: string,
  names: { zh: string; en: string },
  exceptCode: string,
): Promise<void> {
  await trx
    .updateTable('case_categories')
    .set({
      major_name_zh: names.zh,
      major_name_en: names.en,
      updated_at: sql<Date>`now()`,
      version: sql<number>`version + 1`,
    })
    .where('major_code', '=', majorCode)
    .where('code', '<>', exceptCode)
    .where((eb) => eb.or([eb('major_name_zh', '<>', names.zh), eb('major_name_en', '<>', names.en)]))
    .execute();
}
