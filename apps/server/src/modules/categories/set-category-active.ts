import type { Category } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { forgetCategories } from './category-caches.ts';
import { authorizeCategoryAdmin } from './policy.ts';
import { presentCategory } from './present.ts';
import { lockCategory, updateCategory } from './repository.ts';
import { categoryNotFound } from './update-category.ts';

/**
 * Deactivates a minor class (no new reports may use it; existing cases, figures and routing rules
 * keep it) or activates it again. Classes are never deleted: cases refer to them.
 */
export async function setCategoryActive(
  db: Db,
  actor: Actor | null,
  code: string,
  expectedVersion: number,
  isActive: boolean,
): Promise<Category> {
  const admin = authorizeCategoryAdmin(actor);
  const row = await inTransaction(db, async (trx) => {
    const current = await lockCategory(trx, code);
    if (!current) throw categoryNotFound(code);
    if (current.version !== expectedVersion) throw errors.staleVersion(current.version);
    if (current.is_active === isActive) {
      throw errors.conflict(
        isActive ? 'category_already_active' : 'category_already_inactive',
        isActive
          ? { zh: '该分类已在使用中', en: 'The category is already active' }
          : { zh: '该分类已停用', en: 'The category is already deactivated' },
        { allowedActions: isActive ? ['update', 'deactivate'] : ['activate'] },
      );
    }
    return updateCategory(trx, code, { is_active: isActive });
  });
  forgetCategories(db);
  return presentCategory(row, admin);
}
