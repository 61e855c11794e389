import type { SavedFilter } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { presentSavedFilter } from './present.ts';
import { listSavedFilters as selectSavedFilters } from './repository.ts';

/** The caller's saved workbench filters, by name. */
export async function listSavedFilters(app: App, actor: Actor): Promise<{ items: SavedFilter[] }> {
  const rows = await selectSavedFilters(app.db, actor.userId);
  return { items: rows.map((row) => presentSavedFilter(row, actor)) };
}
