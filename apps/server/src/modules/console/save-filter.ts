import type { CreateSavedFilter, SavedFilter } from '@minqing/contract';
import type { App } from '../../app.ts';
import { isUniqueViolation } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { presentSavedFilter } from './present.ts';
import { insertSavedFilter, listSavedFilters } from './repository.ts';

/** A person keeps at most this many filters: a menu, not an archive. */
export const MAX_SAVED_FILTERS = 30;

/** Saves the current workbench filters under a name, for the caller only. */
export async function saveFilter(app: App, actor: Actor, input: CreateSavedFilter): Promise<SavedFilter> {
  const existing = await listSavedFilters(app.db, actor.userId);
  if (existing.length >= MAX_SAVED_FILTERS) {
    throw errors.unprocessable('too_many_saved_filters', {
      zh: `最多保存 ${MAX_SAVED_FILTERS} 个筛选条件，请先删除不用的`,
      en: `At most ${MAX_SAVED_FILTERS} saved filters; delete one you no longer use first`,
    });
  }
  try {
    const row = await insertSavedFilter(app.db, {
      id: crypto.randomUUID(),
      userId: actor.userId,
      name: input.name,
      query: input.query,
    });
    return presentSavedFilter(row, actor);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw errors.conflict(
        'saved_filter_name_taken',
        { zh: `已有名为“${input.name}”的筛选条件`, en: `A saved filter named “${input.name}” exists` },
        { name: input.name },
      );
    }
    throw error;
  }
}
