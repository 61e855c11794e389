import type { Category, CreateCategory } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { forgetCategories } from './category-caches.ts';
import { authorizeCategoryAdmin } from './policy.ts';
import { presentCategory, storedTimeLimits } from './present.ts';
import { findMajorNames, insertCategory } from './repository.ts';

/**
 * Adds a minor class to the dictionary. Its major class is the first two digits of its code: a new
 * major class needs its names; an existing one keeps its own (different names answer 422 — rename
 * the major class by updating it). An existing code answers 409.
 */
export async function createCategory(db: Db, actor: Actor | null, input: CreateCategory): Promise<Category> {
  const admin = authorizeCategoryAdmin(actor);
  const majorCode = input.code.slice(0, 2);
  const row = await inTransaction(db, async (trx) => {
    const existingMajor = await findMajorNames(trx, majorCode);
    let majorName: { zh: string; en: string };
    if (existingMajor) {
      if (
        (input.majorNameZh !== undefined && input.majorNameZh !== existingMajor.zh) ||
        (input.majorNameEn !== undefined && input.majorNameEn !== existingMajor.en)
      ) {
        throw errors.unprocessable(
          'major_name_mismatch',
          {
            zh: `大类 ${majorCode} 已名为“${existingMajor.zh}”；如需改名，请修改大类名称`,
            en: `Major class ${majorCode} is already named "${existingMajor.en}"; rename it by updating a category`,
          },
          { majorCode, majorName: existingMajor },
        );
      }
      majorName = existingMajor;
    } else {
      if (input.majorNameZh === undefined || input.majorNameEn === undefined) {
        throw errors.unprocessable(
          'major_name_required',
          {
            zh: `大类 ${majorCode} 是新大类，请填写大类的中英文名称`,
            en: `Major class ${majorCode} is new: give its Chinese and English names`,
          },
          { majorCode },
        );
      }
      majorName = { zh: input.majorNameZh, en: input.majorNameEn };
    }
    const inserted = await insertCategory(trx, {
      code: input.code,
      major_code: majorCode,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      major_name_zh: majorName.zh,
      major_name_en: majorName.en,
      acceptance_standard: input.acceptanceStandard,
      closure_standard: input.closureStandard,
      time_limits: JSON.stringify(storedTimeLimits(input.timeLimits)),
      default_org_kind: input.defaultOrgKind,
      is_sensitive: input.isSensitive,
      icon: input.icon,
      sort: input.sort,
    });
    if (!inserted) {
      throw errors.conflict(
        'category_exists',
        { zh: `分类代码 ${input.code} 已存在`, en: `Category ${input.code} already exists` },
        { code: input.code },
      );
    }
    return inserted;
  });
  forgetCategories(db);
  return presentCategory(row, admin);
}
