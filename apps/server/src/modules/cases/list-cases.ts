import type { CasePage, ListCasesQuery } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { CategoryStore } from './category-store.ts';
import { workingCalendar } from './collaborators.ts';
import { listScope } from './policy.ts';
import { presentCase } from './present.ts';
import { listCases as selectCases, type CaseListFilter } from './repository.ts';
import { SUPERVISED_STATES } from './state-machine.ts';

const NEAR_DEADLINE_MS = 24 * 3600_000;

/**
 * The cases the caller may see — staff: under the units of their roles; handlers: their
 * organisation's and their own; residents: their own reports — filtered, newest report first, one
 * keyset page at a time.
 */
export async function listCases(app: App, actor: Actor, query: ListCasesQuery): Promise<CasePage> {
  const now = new Date();
  const filter = await caseListFilter(app, actor, query, now);
  if (!filter) return { items: [], nextCursor: null };
  const rows = await selectCases(app.db, {
    ...filter,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const [calendar, categories] = await Promise.all([workingCalendar(app), CategoryStore.of(app.db).all()]);
  const last = page.at(-1);
  return {
    items: page.map((row) => presentCase(row, { actor, calendar, categories, now })),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.reported_at, last.id) : null,
  };
}

/**
 * The repository filter for a list query as `actor` sees it at `now` (without the page): the console
 * counts its queues with the same filter. Null when the query names a unit that does not exist.
 */
export async function caseListFilter(
  app: App,
  actor: Actor,
  query: Omit<ListCasesQuery, 'cursor' | 'limit'>,
  now: Date,
): Promise<Omit<CaseListFilter, 'limit' | 'after'> | null> {
  const unitPath = query.unitId ? (await app.areas.getUnit(query.unitId))?.path : undefined;
  if (query.unitId && !unitPath) return null;
  return {
    scope: listScope(actor),
    states: query.state,
    categoryPrefix: query.category,
    unitPath,
    sources: query.source,
    overdueAt: query.overdue ? now : undefined,
    dueBetween: query.nearDeadline ? [now, new Date(now.getTime() + NEAR_DEADLINE_MS)] : undefined,
    openStates: SUPERVISED_STATES,
    reportedFrom: query.reportedFrom ? new Date(query.reportedFrom) : undefined,
    reportedTo: query.reportedTo ? new Date(query.reportedTo) : undefined,
    mine: query.mine,
    escalatedTo: query.escalatedToMe ? adminUnitIds(actor) : undefined,
    text: query.q,
  };
}

/** The units where `actor` is an administrator: where escalations (督办) to them arrive. */
export function adminUnitIds(actor: Actor): string[] {
  return [
    ...new Set(
      actor.roles
        .filter((grant) => grant.role === 'community_admin' || grant.role === 'street_admin')
        .map((grant) => grant.unitId),
    ),
  ];
}

export function encodeCursor(reportedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([reportedAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { reportedAt: Date; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    const reportedAt = new Date(String(at));
    if (typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id) && !Number.isNaN(reportedAt.getTime())) {
      return { reportedAt, id };
    }
  } catch {
    // fall through to the error below
  }
  throw errors.badRequest({
    zh: '分页游标无效，请从第一页重新开始',
    en: 'Invalid cursor; start again from the first page',
  });
}
