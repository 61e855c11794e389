import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import { EMPTY_COUNTS, type CaseCounts } from './formulas.ts';

export type FigureGroup = 'none' | 'street' | 'community' | 'grid' | 'category' | 'major' | 'org';

const PUBLIC_REPORT_SOURCES = ['resident', 'public', 'hotline', 'open311'];

const GROUP_COLUMN: Record<FigureGroup, RawBuilder<unknown>> = {
  none: sql`NULL::text`,
  street: sql`c.street_id::text`,
  community: sql`c.community_id::text`,
  grid: sql`c.grid_id::text`,
  category: sql`c.category_code`,
  major: sql`left(c.category_code, 2)`,
  org: sql`c.org_id::text`,
};

interface CountRow {
  key: string | null;
  due: string | number;
  accepted: string | number;
  accepted_on_time: string | number;
  accepted_public: string | number;
  handled: string | number;
  handled_on_time: string | number;
  closed: string | number;
  closed_on_time: string | number;
  reworked: string | number;
  overdue_open: string | number;
  follow_ups: string | number;
  satisfied: string | number;
  basically_satisfied: string | number;
  unsatisfied: string | number;
  handling_minutes_sum: string | number | null;
  handling_minutes_count: string | number;
}

export interface CountQuery {
  /** materialised path prefix of the unit whose subtree is counted; null for everything */
  unitPath: string | null;
  from: Date;
  to: Date;
  groupBy: FigureGroup;
  category?: string | undefined;
  now: Date;
}

/**
 * Counts the cohort of cases reported in [from, to) under a unit, per group, in one scan. The cohort
 * definition and each count are documented in docs/kpis.md.
 */
export async function countCases(
  db: Db,
  query: CountQuery,
): Promise<{ key: string | null; counts: CaseCounts }[]> {
  const group = GROUP_COLUMN[query.groupBy];
  const unitFilter = query.unitPath ? sql`AND c.unit_path LIKE ${query.unitPath + '%'}` : sql``;
  const categoryFilter = query.category
    ? query.category.length === 2
      ? sql`AND c.category_code LIKE ${query.category + '%'}`
      : sql`AND c.category_code = ${query.category}`
    : sql``;
  const live = sql`c.state NOT IN ('rejected', 'merged')`;
  const result = await sql<CountRow>`
    SELECT ${group} AS key,
      count(*) FILTER (WHERE ${live}) AS due,
      count(*) FILTER (WHERE c.accepted_at IS NOT NULL) AS accepted,
      count(*) FILTER (WHERE c.accepted_at IS NOT NULL AND c.accept_due_at IS NOT NULL AND c.accepted_at <= c.accept_due_at) AS accepted_on_time,
      count(*) FILTER (WHERE c.accepted_at IS NOT NULL AND c.source IN (${sql.join(PUBLIC_REPORT_SOURCES)})) AS accepted_public,
      count(*) FILTER (WHERE c.handled_at IS NOT NULL AND ${live}) AS handled,
      count(*) FILTER (WHERE c.handled_at IS NOT NULL AND ${live} AND c.handle_due_at IS NOT NULL AND c.handled_at <= c.handle_due_at) AS handled_on_time,
      count(*) FILTER (WHERE c.state = 'closed') AS closed,
      count(*) FILTER (WHERE c.state = 'closed' AND c.handle_due_at IS NOT NULL AND c.handled_at <= c.handle_due_at) AS closed_on_time,
      count(*) FILTER (WHERE c.rework_count > 0 AND ${live}) AS reworked,
      count(*) FILTER (WHERE c.state NOT IN ('closed', 'rejected', 'merged') AND c.due_at < ${query.now}) AS overdue_open,
      count(*) FILTER (WHERE c.rating IS NOT NULL) AS follow_ups,
      count(*) FILTER (WHERE c.rating = 'satisfied') AS satisfied,
      count(*) FILTER (WHERE c.rating = 'basically_satisfied') AS basically_satisfied,
      count(*) FILTER (WHERE c.rating = 'unsatisfied') AS unsatisfied,
      sum(extract(epoch FROM c.handled_at - c.reported_at) / 60) FILTER (WHERE c.handled_at IS NOT NULL AND ${live}) AS handling_minutes_sum,
      count(*) FILTER (WHERE c.handled_at IS NOT NULL AND ${live}) AS handling_minutes_count
    FROM cases c
    WHERE c.reported_at >= ${query.from} AND c.reported_at < ${query.to} ${unitFilter} ${categoryFilter}
    GROUP BY 1`.execute(db);
  return result.rows.map((row) => ({
    key: row.key,
    counts: {
      ...EMPTY_COUNTS,
      due: Number(row.due),
      accepted: Number(row.accepted),
      acceptedOnTime: Number(row.accepted_on_time),
      acceptedPublicReports: Number(row.accepted_public),
      handled: Number(row.handled),
      handledOnTime: Number(row.handled_on_time),
      closed: Number(row.closed),
      closedOnTime: Number(row.closed_on_time),
      reworked: Number(row.reworked),
      overdueOpen: Number(row.overdue_open),
      followUps: Number(row.follow_ups),
      satisfied: Number(row.satisfied),
      basicallySatisfied: Number(row.basically_satisfied),
      unsatisfied: Number(row.unsatisfied),
      handlingMinutesSum: Number(row.handling_minutes_sum ?? 0),
      handlingMinutesCount: Number(row.handling_minutes_count),
    },
  }));
}

/** Display names for group keys: units, categories or organisations. */
export async function groupNames(
  db: Db,
  groupBy: FigureGroup,
  keys: string[],
): Promise<Map<string, { zh: string; en: string }>> {
  const names = new Map<string, { zh: string; en: string }>();
  if (keys.length === 0 || groupBy === 'none') return names;
  if (groupBy === 'street' || groupBy === 'community' || groupBy === 'grid') {
    const rows = await db
      .selectFrom('units')
      .select(['id', 'name', 'code'])
      .where('id', 'in', keys)
      .execute();
    for (const row of rows) names.set(row.id, { zh: row.name, en: `${row.name} (${row.code})` });
  } else if (groupBy === 'org') {
    const rows = await db
      .selectFrom('organisations')
      .select(['id', 'name'])
      .where('id', 'in', keys)
      .execute();
    for (const row of rows) names.set(row.id, { zh: row.name, en: row.name });
  } else if (groupBy === 'category') {
    const rows = await db
      .selectFrom('case_categories')
      .select(['code', 'name_zh', 'name_en'])
      .where('code', 'in', keys)
      .execute();
    for (const row of rows) names.set(row.code, { zh: row.name_zh, en: row.name_en });
  } else {
    const rows = await db
      .selectFrom('case_categories')
      .select(['major_code', 'major_name_zh', 'major_name_en'])
      .distinct()
      .where('major_code', 'in', keys)
      .execute();
    for (const row of rows) names.set(row.major_code, { zh: row.major_name_zh, en: row.major_name_en });
  }
  return names;
}

export async function unitPathOf(db: Db, unitId: string): Promise<string | null> {
  const row = await db.selectFrom('units').select('path').where('id', '=', unitId).executeTakeFirst();
  return row?.path ?? null;
}
