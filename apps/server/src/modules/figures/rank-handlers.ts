import type { HandlerRanking, HandlerRankings, HandlerRankingsQuery } from '@minqing/contract';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { hasRoleCovering, type Actor, type Role } from '../../policy/index.ts';
import { resolvePeriod } from './compute-figures.ts';

/** Who may see named people's figures: the admins and auditors over the unit (not the public, not peers). */
const HANDLER_RANKING_ROLES: readonly Role[] = ['community_admin', 'street_admin', 'auditor', 'system_admin'];

export function mayRankHandlers(actor: Actor | null, unitPath: string): boolean {
  return hasRoleCovering(actor, HANDLER_RANKING_ROLES, unitPath);
}

interface Row {
  user_id: string;
  name: string;
  organisations: string[] | null;
  handled: number;
  handled_on_time: number;
  closed: number;
  reworked: number;
  follow_ups: number;
  satisfied: number;
  basically_satisfied: number;
  unsatisfied: number;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * 处置人员排名: per person who recorded the handling (handled_by) of the cases reported in the period
 * under the unit — the same cohort as the figures (docs/kpis.md), so the two pages agree. A case in
 * rework counts again once handled again, for whoever handles it then.
 */
export async function rankHandlers(
  db: Db,
  actor: Actor | null,
  query: HandlerRankingsQuery,
  now = new Date(),
): Promise<HandlerRankings> {
  if (!actor) throw errors.unauthenticated();
  const unit = await db.selectFrom('units').select('path').where('id', '=', query.unitId).executeTakeFirst();
  if (!unit || !mayRankHandlers(actor, unit.path)) {
    // Staff working in or over the unit learn it is not for them; anyone else, that it does not exist.
    const near = (path: string) => unit!.path.startsWith(path) || path.startsWith(unit!.path);
    if (unit && actor.roles.some((grant) => near(grant.unitPath))) throw errors.forbidden();
    throw errors.notFound({ zh: '区域', en: 'Unit' });
  }
  const { fromDay, toDay, from, to } = resolvePeriod(query, now);
  const categoryFilter = query.category
    ? query.category.length === 2
      ? sql`AND c.category_code LIKE ${query.category + '%'}`
      : sql`AND c.category_code = ${query.category}`
    : sql``;
  const result = await sql<Row>`
    SELECT c.handled_by AS user_id, u.display_name AS name,
      array_agg(DISTINCT o.name) FILTER (WHERE o.name IS NOT NULL) AS organisations,
      count(*)::int AS handled,
      (count(*) FILTER (WHERE c.handle_due_at IS NOT NULL AND c.handled_at <= c.handle_due_at))::int AS handled_on_time,
      (count(*) FILTER (WHERE c.state = 'closed'))::int AS closed,
      (count(*) FILTER (WHERE c.rework_count > 0))::int AS reworked,
      (count(*) FILTER (WHERE c.rating IS NOT NULL))::int AS follow_ups,
      (count(*) FILTER (WHERE c.rating = 'satisfied'))::int AS satisfied,
      (count(*) FILTER (WHERE c.rating = 'basically_satisfied'))::int AS basically_satisfied,
      (count(*) FILTER (WHERE c.rating = 'unsatisfied'))::int AS unsatisfied
    FROM cases c
    JOIN users u ON u.id = c.handled_by
    LEFT JOIN organisations o ON o.id = c.org_id
    WHERE c.reported_at >= ${from} AND c.reported_at < ${to}
      AND c.unit_path LIKE ${unit.path + '%'}
      AND c.handled_at IS NOT NULL
      AND c.state NOT IN ('rejected', 'merged') ${categoryFilter}
    GROUP BY c.handled_by, u.display_name`.execute(db);
  const rows: HandlerRanking[] = result.rows
    .map((row) => ({
      userId: row.user_id,
      name: row.name,
      organisations: (row.organisations ?? []).sort(),
      handled: row.handled,
      handledOnTime: row.handled_on_time,
      closed: row.closed,
      reworked: row.reworked,
      followUps: row.follow_ups,
      satisfied: row.satisfied,
      basicallySatisfied: row.basically_satisfied,
      unsatisfied: row.unsatisfied,
      onTimeRate: ratio(row.handled_on_time, row.handled),
      reworkRate: ratio(row.reworked, row.handled),
      satisfactionRate: ratio(row.satisfied + 0.9 * row.basically_satisfied, row.follow_ups),
    }))
    .sort((a, b) => b.handled - a.handled || a.name.localeCompare(b.name, 'zh-CN'));
  return {
    unitId: query.unitId,
    period: { from: fromDay, to: toDay },
    rows,
    generatedAt: now.toISOString(),
  };
}
