import type { Category, UpdateCategory } from '@minqing/contract';
import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseCategoriesTable } from '../../db/schema.generated.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { forgetCategories } from './category-caches.ts';
import { authorizeCategoryAdmin } from './policy.ts';
import { presentCategory, storedTimeLimits } from './present.ts';
import { lockCategory, renameMajor, updateCategory as updateCategoryRow } from './repository.ts';

export const categoryNotFound = (code: string) =>
  errors.notFound({ zh: `分类 ${code}`, en: `Category ${code}` });

/**
 * Edits a minor class: names, standards, time limits, default organisation kind, sensitivity, icon,
 * order. The code never changes (cases and figures refer to it). New time limits apply to stages that
 * start afterwards: a running deadline was promised when its stage began. Renaming the major class
 * renames it on all its minor classes. Optimistic: another current version answers 409.
 */
export async function updateCategory(
  db: Db,
  actor: Actor | null,
  code: string,
  input: UpdateCategory,
): Promise<Category> {
  const admin = authorizeCategoryAdmin(actor);
  const row = await inTransaction(db, async (trx) => {
    const current = await lockCategory(trx, code);
    if (!current) throw categoryNotFound(code);
    if (current.version !== input.expectedVersion) throw errors.staleVersion(current.version);
    const changes: Updateable<CaseCategoriesTable> = {};
    if (input.nameZh !== undefined) changes.name_zh = input.nameZh;
    if (input.nameEn !== undefined) changes.name_en = input.nameEn;
    if (input.acceptanceStandard !== undefined) changes.acceptance_standard = input.acceptanceStandard;
    if (input.closureStandard !== undefined) changes.closure_standard = input.closureStandard;
    if (input.timeLimits !== undefined)
      changes.time_limits = JSON.stringify(storedTimeLimits(input.timeLimits));
    if (input.defaultOrgKind !== undefined) changes.default_org_kind = input.defaultOrgKind;
    if (input.isSensitive !== undefined) changes.is_sensitive = input.isSensitive;
    if (input.icon !== undefined) changes.icon = input.icon;
    if (input.sort !== undefined) changes.sort = input.sort;
    if (input.majorNameZh !== undefined || input.majorNameEn !== undefined) {
      const majorName = {
        zh: input.majorNameZh ?? current.major_name_zh,
        en: input.majorNameEn ?? current.major_name_en,
      };
      changes.major_name_zh = majorName.zh;
      changes.major_name_en = majorName.en;
      await renameMajor(trx, current.major_code, majorName, code);
    }
    return updateCategoryRow(trx, code, changes);
  });
  forgetCategories(db);
  return presentCategory(row, admin);
}
