import type { ListRoutingRulesQuery, RoutingRule } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { authorizeReadRules, readScope } from './policy.ts';
import { presentRule } from './present.ts';
import { listRules } from './repository.ts';

interface Cursor {
  path: string;
  category: string;
  id: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.path, cursor.category, cursor.id])).toString('base64url');
}

function decodeCursor(text: string): Cursor {
  try {
    const [path, category, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof path === 'string' && typeof category === 'string' && typeof id === 'string') {
      return { path, category, id };
    }
  } catch {
    // falls through to the error below
  }
  throw errors.badRequest({
    zh: '分页游标无效，请从第一页重新开始',
    en: 'Invalid cursor; start again from the first page',
  });
}

/**
 * The routing rules the caller may read (admins and auditors, within their units), ordered street
 * first, then community, then grid, then category; optionally only below one unit or for one category.
 */
export async function listRoutingRules(
  app: App,
  actor: Actor | null,
  query: ListRoutingRulesQuery,
): Promise<{ items: RoutingRule[]; nextCursor: string | null }> {
  const reader = authorizeReadRules(actor);
  let underPath: string | undefined;
  if (query.unitId) {
    const unit = await app.areas.getUnit(query.unitId);
    if (!unit) throw errors.notFound({ zh: '区域', en: 'Unit' });
    underPath = unit.path;
  }
  const rows = await listRules(app.db, {
    scopePaths: readScope(reader),
    underPath,
    category: query.category,
    includeInactive: query.includeInactive,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((row) => presentRule(row, reader)),
    nextCursor:
      rows.length > query.limit && last
        ? encodeCursor({ path: last.unit_path, category: last.category, id: last.id })
        : null,
  };
}
