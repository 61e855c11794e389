import type { CategoryDictionary } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { authorizeCategoryAdmin, dictionaryActions } from './policy.ts';
import { presentCategory } from './present.ts';
import { listCategoryRows } from './repository.ts';

/**
 * The category dictionary grouped by major class, for everyone (a resident picks a category when
 * reporting). Deactivated classes are listed only to administrators who ask for them.
 */
export async function listCategories(
  db: Db,
  actor: Actor | null,
  query: { includeInactive: boolean },
): Promise<CategoryDictionary> {
  if (query.includeInactive) authorizeCategoryAdmin(actor);
  const rows = await listCategoryRows(db, query.includeInactive);
  const groups = new Map<string, CategoryDictionary['groups'][number]>();
  for (const row of rows) {
    let group = groups.get(row.major_code);
    if (!group) {
      group = {
        majorCode: row.major_code,
        name: { zh: row.major_name_zh, en: row.major_name_en },
        categories: [],
      };
      groups.set(row.major_code, group);
    }
    group.categories.push(presentCategory(row, actor));
  }
  return { groups: [...groups.values()], allowedActions: dictionaryActions(actor) };
}
