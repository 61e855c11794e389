import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import { CASE_FEED_COLUMNS, CASE_FEED_JOINS, toFeedCase, type FeedCase } from '../live/repository.ts';

/** How many cases one query of a load reads (keyset pages keep each result small). */
const LOAD_PAGE = 20_000;

/** Reads `FeedCase` rows in pages along an index: `where` picks them, `key` orders them (unique). */
async function* pagesOf(
  db: Db,
  where: RawBuilder<unknown>,
  key: { columns: RawBuilder<unknown>; after: (row: FeedCase) => RawBuilder<unknown> },
): AsyncGenerator<FeedCase[]> {
  let after: RawBuilder<unknown> = sql`true`;
  for (;;) {
    const result = await sql<Record<string, unknown>>`
      SELECT ${CASE_FEED_COLUMNS}
        FROM cases c
        ${CASE_FEED_JOINS}
       WHERE ${where} AND ${after}
       ORDER BY ${key.columns}
       LIMIT ${LOAD_PAGE}`.execute(db);
    const rows = result.rows.map((row) => toFeedCase(row)).filter((row): row is FeedCase => row !== null);
    if (rows.length > 0) yield rows;
    if (result.rows.length < LOAD_PAGE) return;
    after = key.after(rows.at(-1)!);
  }
}

const BY_ID = {
  columns: sql`c.id`,
  after: (row: FeedCase) => sql`c.id > ${row.id}`,
};
const BY_CLOSED = {
  columns: sql`c.closed_at, c.id`,
  after: (row: FeedCase) => sql`(c.closed_at, c.id) > (${row.closed_at}, ${row.id})`,
};
const BY_REPORTED = {
  columns: sql`c.reported_at, c.id`,
  after: (row: FeedCase) => sql`(c.reported_at, c.id) > (${row.reported_at}, ${row.id})`,
};

/**
 * Every case the map shows: open ones, and closed ones closed after `closedSince` (MAP_CLOSED_DAYS).
 * Rejected and merged cases are not on the map. Two scans along their own indexes (migration 0120).
 */
export async function* loadMapCases(db: Db, closedSince: Date): AsyncGenerator<FeedCase[]> {
  yield* pagesOf(db, sql`c.state NOT IN ('closed', 'rejected', 'merged')`, BY_ID);
  yield* pagesOf(
    db,
    sql`c.closed_at IS NOT NULL AND c.closed_at >= ${closedSince} AND c.state = 'closed'`,
    BY_CLOSED,
  );
}

/** Every case reported since `since`, and every case closed since then that was reported before. */
export async function* loadCountedCases(db: Db, since: Date): AsyncGenerator<FeedCase[]> {
  yield* pagesOf(db, sql`c.reported_at >= ${since}`, BY_REPORTED);
  yield* pagesOf(
    db,
    sql`c.closed_at IS NOT NULL AND c.closed_at >= ${since} AND c.state = 'closed' AND c.reported_at < ${since}`,
    BY_CLOSED,
  );
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

/** Names of grids by id. */
export async function unitNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
