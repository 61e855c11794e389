import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { CASE_FEED_COLUMNS, CASE_FEED_JOINS, toFeedCase, type FeedCase } from '../live/repository.ts';

/** How many cases one query of the map index's load reads (keyset pages keep each result small). */
const LOAD_PAGE = 20_000;

/**
 * Every case the map shows: open ones, and closed ones closed after `closedSince` (MAP_CLOSED_DAYS).
 * Rejected and merged cases are not on the map. Read in pages by id.
 */
export async function* loadMapCases(db: Db, closedSince: Date): AsyncGenerator<FeedCase[]> {
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const result = await sql<Record<string, unknown>>`
      SELECT ${CASE_FEED_COLUMNS}
        FROM cases c
        ${CASE_FEED_JOINS}
       WHERE (c.state NOT IN ('closed', 'rejected', 'merged')
              OR (c.closed_at IS NOT NULL AND c.closed_at >= ${closedSince} AND c.state = 'closed'))
         AND c.id > ${after}
       ORDER BY c.id
       LIMIT ${LOAD_PAGE}`.execute(db);
    const rows = result.rows.map((row) => toFeedCase(row)).filter((row): row is FeedCase => row !== null);
    if (rows.length > 0) yield rows;
    if (result.rows.length < LOAD_PAGE) return;
    after = rows.at(-1)!.id;
  }
}

export interface GridRow {
  id: string;
  code: string;
  name: string;
  parent_id: string | null;
  centroid_lng: number | null;
  centroid_lat: number | null;
  geometry: unknown;
}

/** The active grids at or under a unit's path. */
export async function listGridsUnder(db: Db, path: string, withGeometry: boolean): Promise<GridRow[]> {
  const geometry = withGeometry ? sql`geometry` : sql`NULL::jsonb`;
  const result = await sql<GridRow>`
    SELECT id, code, name, parent_id, centroid_lng, centroid_lat, ${geometry} AS geometry
      FROM units
     WHERE kind = 'grid' AND is_active AND path LIKE ${path + '%'}
     ORDER BY code`.execute(db);
  return result.rows;
}

export interface BaseFigures {
  grids: number;
  gridWorkers: number;
  households: number;
  residents: number;
  partyMembers: number;
}

/**
 * The base figures (基础数据) under a unit: active grids, grid workers holding a grid role there,
 * households with their members and party members as the household register records them.
 */
export async function baseFigures(db: Db, path: string): Promise<BaseFigures> {
  const like = path + '%';
  const units = await sql<{
    grids: string | number;
    households: string | number;
    residents: string | number | null;
    party_members: string | number | null;
  }>`
    SELECT count(*) FILTER (WHERE kind = 'grid') AS grids,
           count(*) FILTER (WHERE kind = 'household') AS households,
           sum(CASE WHEN kind = 'household' AND jsonb_typeof(attrs->'members') = 'number'
                    THEN (attrs->>'members')::numeric ELSE 0 END) AS residents,
           sum(CASE WHEN kind = 'household' AND jsonb_typeof(attrs->'partyMembers') = 'number'
                    THEN (attrs->>'partyMembers')::numeric ELSE 0 END) AS party_members
      FROM units
     WHERE path LIKE ${like} AND is_active AND kind IN ('grid', 'household')`.execute(db);
  const workers = await sql<{ n: string | number }>`
    SELECT count(DISTINCT ra.user_id) AS n
      FROM role_assignments ra
      JOIN units u ON u.id = ra.unit_id
      JOIN users w ON w.id = ra.user_id
     WHERE ra.role = 'grid_worker' AND ra.revoked_at IS NULL AND w.is_active
       AND u.path LIKE ${like}`.execute(db);
  const row = units.rows[0];
  return {
    grids: Number(row?.grids ?? 0),
    gridWorkers: Number(workers.rows[0]?.n ?? 0),
    households: Number(row?.households ?? 0),
    residents: Number(row?.residents ?? 0),
    partyMembers: Number(row?.party_members ?? 0),
  };
}

export interface PeriodCounts {
  receivedToday: number;
  receivedMonth: number;
  closedToday: number;
  closedMonth: number;
}

/** Cases reported and closed since midnight and since the first of the month, under a unit. */
export async function periodCounts(
  db: Db,
  options: { path: string; today: Date; month: Date },
): Promise<PeriodCounts> {
  const like = options.path + '%';
  const reported = await sql<{ today: string | number; month: string | number }>`
    SELECT count(*) FILTER (WHERE reported_at >= ${options.today}) AS today, count(*) AS month
      FROM cases
     WHERE unit_path LIKE ${like} AND reported_at >= ${options.month}`.execute(db);
  const closed = await sql<{ today: string | number; month: string | number }>`
    SELECT count(*) FILTER (WHERE closed_at >= ${options.today}) AS today, count(*) AS month
      FROM cases
     WHERE closed_at >= ${options.month} AND state = 'closed' AND unit_path LIKE ${like}`.execute(db);
  return {
    receivedToday: Number(reported.rows[0]?.today ?? 0),
    receivedMonth: Number(reported.rows[0]?.month ?? 0),
    closedToday: Number(closed.rows[0]?.today ?? 0),
    closedMonth: Number(closed.rows[0]?.month ?? 0),
  };
}

/** Cases reported since `since` under a unit, by source and by category (minor code). */
export async function monthBreakdown(
  db: Db,
  options: { path: string; since: Date },
): Promise<{ sources: Map<string, number>; categories: { code: string; count: number }[] }> {
  const like = options.path + '%';
  const result = await sql<{ source: string | null; category_code: string | null; n: string | number }>`
    SELECT source, category_code, count(*) AS n
      FROM cases
     WHERE unit_path LIKE ${like} AND reported_at >= ${options.since}
     GROUP BY GROUPING SETS ((source), (category_code))`.execute(db);
  const sources = new Map<string, number>();
  const categories: { code: string; count: number }[] = [];
  for (const row of result.rows) {
    if (row.source !== null) sources.set(row.source, Number(row.n));
    else if (row.category_code !== null) categories.push({ code: row.category_code, count: Number(row.n) });
  }
  categories.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return { sources, categories };
}

/** Names of grids by id. */
export async function unitNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
