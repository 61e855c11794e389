import type { Db } from '../../db/database.ts';
import { CategoryStore } from '../cases/category-store.ts';
import { routeCache } from '../routing/resolve-route.ts';

/**
 * Drops the caches that hold categories: the case module's dictionary (time limits at intake) and
 * routing answers (a category's default organisation kind). Other processes hear of the change
 * through NOTIFY minqing_routing (a trigger on case_categories).
 */
export function forgetCategories(db: Db): void {
  CategoryStore.of(db).invalidate();
  routeCache.invalidate();
}
