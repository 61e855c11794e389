import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { maySeeSavedFilter } from './policy.ts';
import { deleteSavedFilter as removeSavedFilter, findSavedFilter } from './repository.ts';

/** Deletes one of the caller's saved filters; someone else's answers 404 as if it did not exist. */
export async function deleteSavedFilter(app: App, actor: Actor, id: string): Promise<void> {
  const row = await findSavedFilter(app.db, id);
  if (!row || !maySeeSavedFilter(actor, row)) {
    throw errors.notFound({ zh: '筛选条件', en: 'Saved filter' });
  }
  await removeSavedFilter(app.db, id);
}
