import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseAccess } from '../cases/policy.ts';

/** The journal record types the live stream follows; entries of other records are not fetched. */
export const LIVE_RECORD_TYPES = ['case', 'patrol', 'finance_disclosure'] as const;
export type LiveRecordType = (typeof LIVE_RECORD_TYPES)[number];

/**
 * A case as the live stream and the map need it: the columns that decide who may see it (its current
 * row), where to draw it, and the centres of its grid, community and street for the coarse forms.
 */
export interface FeedCase extends CaseAccess {
  id: string;
  code: string;
  category_code: string;
  priority: string;
  lng: number | null;
  lat: number | null;
  due_at: Date | null;
  closed_at: Date | null;
  reported_at: Date;
  description: string;
  journal_seq: number;
  /** The case's part in the figures of its cohort (docs/kpis.md): the screen's counters keep them. */
  is_handled: boolean;
  is_reworked: boolean;
  is_closed_on_time: boolean;
  rating: string | null;
  grid_name: string | null;
  /** The grid's label point, else the community's, else the street's: where coarse positions go. */
  centre_lng: number | null;
  centre_lat: number | null;
}

/** The columns of a patrol that the live stream shows (never a coordinate: tracks are sensitive). */
export interface FeedPatrol {
  id: string;
  state: string;
  worker_id: string;
  worker_name: string | null;
  unit_path: string;
  street_id: string;
  community_id: string | null;
  grid_id: string;
  grid_name: string | null;
}

/** One journal entry of a followed record type with the record's current row. */
export interface FeedEntry {
  id: number;
  streetId: string;
  recordType: LiveRecordType;
  recordId: string;
  seq: number;
  action: string;
  at: Date;
  /** payload.set.state: the state the entry moved the record to, if it moved it. */
  setState: string | null;
  /** The facts a feed label needs (verify passed, rating, follow-up method) — never free text. */
  passed: boolean | null;
  rating: string | null;
  method: string | null;
  committedAt: Date;
  case: FeedCase | null;
  patrol: FeedPatrol | null;
  /** A finance disclosure's entry (its seal publishes a village's books). */
  disclosure: FeedDisclosure | null;
}

export interface FeedDisclosure {
  id: string;
  book_id: string;
  unit_id: string;
  unit_path: string;
  street_id: string;
  label: string;
}

interface EntryRowRaw {
  id: number;
  street_id: string;
  record_type: string;
  record_id: string;
  seq: number;
  action: string;
  at: Date;
  committed_at: Date;
  set_state: string | null;
  passed: string | null;
  rating: string | null;
  method: string | null;
  fd_id: string | null;
  fd_book_id: string | null;
  fd_unit_id: string | null;
  fd_unit_path: string | null;
  fd_street_id: string | null;
  fd_label: string | null;
  c_id: string | null;
  c_code: string | null;
  c_state: string | null;
  c_street_id: string | null;
  c_community_id: string | null;
  c_grid_id: string | null;
  c_unit_path: string | null;
  c_source: string | null;
  c_org_id: string | null;
  c_dispatched_at: Date | null;
  c_assignee_id: string | null;
  c_reporter_id: string | null;
  c_handled_by: string | null;
  c_escalated_to_unit_id: string | null;
  c_category_code: string | null;
  c_priority: string | null;
  c_lng: number | null;
  c_lat: number | null;
  c_due_at: Date | null;
  c_closed_at: Date | null;
  c_reported_at: Date | null;
  c_description: string | null;
  c_journal_seq: number | null;
  c_is_handled: boolean | null;
  c_is_reworked: boolean | null;
  c_is_closed_on_time: boolean | null;
  c_rating: string | null;
  c_grid_name: string | null;
  c_centre_lng: number | null;
  c_centre_lat: number | null;
  p_id: string | null;
  p_state: string | null;
  p_worker_id: string | null;
  p_worker_name: string | null;
  p_unit_path: string | null;
  p_street_id: string | null;
  p_community_id: string | null;
  p_grid_id: string | null;
  p_grid_name: string | null;
}

/**
 * The case columns the map keeps, as a select list over `cases c` joined with its grid `g`, community
 * `cm` and street `st`. Shared by the live stream's burst query and the map's initial load of a street.
 */
export const CASE_FEED_COLUMNS = sql`
  c.id AS c_id, c.code AS c_code, c.state AS c_state, c.street_id AS c_street_id,
  c.community_id AS c_community_id, c.grid_id AS c_grid_id, c.unit_path AS c_unit_path,
  c.source AS c_source, c.org_id AS c_org_id, c.dispatched_at AS c_dispatched_at,
  c.assignee_id AS c_assignee_id, c.reporter_id AS c_reporter_id, c.handled_by AS c_handled_by,
  c.escalated_to_unit_id AS c_escalated_to_unit_id, c.category_code AS c_category_code,
  c.priority AS c_priority, c.lng AS c_lng, c.lat AS c_lat, c.due_at AS c_due_at,
  c.closed_at AS c_closed_at, c.reported_at AS c_reported_at,
  left(c.description, 80) AS c_description, c.journal_seq AS c_journal_seq,
  c.handled_at IS NOT NULL AS c_is_handled, c.rework_count > 0 AS c_is_reworked,
  coalesce(c.state = 'closed' AND c.handled_at <= c.handle_due_at, false) AS c_is_closed_on_time,
  c.rating AS c_rating, g.name AS c_grid_name,
  coalesce(g.centroid_lng, cm.centroid_lng, st.centroid_lng) AS c_centre_lng,
  coalesce(g.centroid_lat, cm.centroid_lat, st.centroid_lat) AS c_centre_lat`;

export const CASE_FEED_JOINS = sql`
  LEFT JOIN units g ON g.id = c.grid_id
  LEFT JOIN units cm ON cm.id = c.community_id
  LEFT JOIN units st ON st.id = c.street_id`;

export function toFeedCase(row: Partial<EntryRowRaw>): FeedCase | null {
  if (!row.c_id) return null;
  return {
    id: row.c_id,
    code: row.c_code!,
    state: row.c_state as FeedCase['state'],
    street_id: row.c_street_id!,
    community_id: row.c_community_id ?? null,
    grid_id: row.c_grid_id ?? null,
    unit_path: row.c_unit_path!,
    source: row.c_source as FeedCase['source'],
    org_id: row.c_org_id ?? null,
    dispatched_at: row.c_dispatched_at ?? null,
    assignee_id: row.c_assignee_id ?? null,
    reporter_id: row.c_reporter_id ?? null,
    handled_by: row.c_handled_by ?? null,
    escalated_to_unit_id: row.c_escalated_to_unit_id ?? null,
    category_code: row.c_category_code!,
    priority: row.c_priority!,
    lng: row.c_lng ?? null,
    lat: row.c_lat ?? null,
    due_at: row.c_due_at ?? null,
    closed_at: row.c_closed_at ?? null,
    reported_at: row.c_reported_at!,
    description: row.c_description ?? '',
    journal_seq: row.c_journal_seq ?? 0,
    is_handled: row.c_is_handled ?? false,
    is_reworked: row.c_is_reworked ?? false,
    is_closed_on_time: row.c_is_closed_on_time ?? false,
    rating: row.c_rating ?? null,
    grid_name: row.c_grid_name ?? null,
    centre_lng: row.c_centre_lng ?? null,
    centre_lat: row.c_centre_lat ?? null,
  };
}

function toFeedEntry(row: EntryRowRaw): FeedEntry {
  return {
    id: row.id,
    streetId: row.street_id,
    recordType: row.record_type as LiveRecordType,
    recordId: row.record_id,
    seq: row.seq,
    action: row.action,
    at: row.at,
    committedAt: row.committed_at,
    setState: row.set_state,
    passed: row.passed === null ? null : row.passed === 'true',
    rating: row.rating,
    method: row.method,
    case: row.record_type === 'case' ? toFeedCase(row) : null,
    patrol: row.p_id
      ? {
          id: row.p_id,
          state: row.p_state!,
          worker_id: row.p_worker_id!,
          worker_name: row.p_worker_name,
          unit_path: row.p_unit_path!,
          street_id: row.p_street_id!,
          community_id: row.p_community_id,
          grid_id: row.p_grid_id!,
          grid_name: row.p_grid_name,
        }
      : null,
    disclosure: row.fd_id
      ? {
          id: row.fd_id,
          book_id: row.fd_book_id!,
          unit_id: row.fd_unit_id!,
          unit_path: row.fd_unit_path!,
          street_id: row.fd_street_id!,
          label: row.fd_label!,
        }
      : null,
  };
}

/** The entries with their records' current rows, in one query (one burst of notifications). */
function selectEntries(where: RawBuilder<unknown>, limit: number, order: 'asc' | 'desc' = 'asc') {
  const types = sql.join(LIVE_RECORD_TYPES.map((type) => sql.lit(type)));
  return sql<EntryRowRaw>`
    SELECT e.id, e.street_id, e.record_type, e.record_id, e.seq, e.action, e.at, e.committed_at,
           e.payload->'set'->>'state' AS set_state, e.payload->>'passed' AS passed,
           e.payload->>'rating' AS rating, e.payload->>'method' AS method,
           ${CASE_FEED_COLUMNS},
           p.id AS p_id, p.state AS p_state, p.worker_id AS p_worker_id, w.display_name AS p_worker_name,
           p.unit_path AS p_unit_path, p.street_id AS p_street_id, p.community_id AS p_community_id,
           p.grid_id AS p_grid_id, pg.name AS p_grid_name,
           fd.id AS fd_id, fd.book_id AS fd_book_id, fb.unit_id AS fd_unit_id, fd.unit_path AS fd_unit_path,
           fd.street_id AS fd_street_id, fd.label AS fd_label
      FROM journal_entries e
      LEFT JOIN cases c ON e.record_type = 'case' AND c.id = e.record_id
      ${CASE_FEED_JOINS}
      LEFT JOIN patrols p ON e.record_type = 'patrol' AND p.id = e.record_id
      LEFT JOIN units pg ON pg.id = p.grid_id
      LEFT JOIN users w ON w.id = p.worker_id
      LEFT JOIN finance_disclosures fd ON e.record_type = 'finance_disclosure' AND fd.id = e.record_id
      LEFT JOIN finance_books fb ON fb.id = fd.book_id
     WHERE e.record_type IN (${types}) AND ${where}
     ORDER BY e.id ${order === 'asc' ? sql`ASC` : sql`DESC`}
     LIMIT ${limit}`;
}

export async function readEntriesByIds(db: Db, ids: readonly number[]): Promise<FeedEntry[]> {
  if (ids.length === 0) return [];
  const result = await selectEntries(sql`e.id IN (${sql.join(ids)})`, ids.length).execute(db);
  return result.rows.map(toFeedEntry);
}

/** Entries with id > afterId (oldest first), at most `limit`. */
export async function readEntriesAfter(db: Db, afterId: number, limit: number): Promise<FeedEntry[]> {
  const result = await selectEntries(sql`e.id > ${afterId}`, limit).execute(db);
  return result.rows.map(toFeedEntry);
}

/**
 * The latest case entries under a unit (newest first), for the big screen's rolling feed. Limited to
 * the unit's street, whose entries the (street_id, record_type, id) index walks backwards.
 */
export async function readLatestCaseEntries(
  db: Db,
  options: { streetId: string; unitPath: string; limit: number },
): Promise<FeedEntry[]> {
  const where = sql`e.street_id = ${options.streetId} AND e.record_type = 'case'
    AND c.unit_path LIKE ${options.unitPath + '%'}`;
  const result = await selectEntries(where, options.limit, 'desc').execute(db);
  return result.rows.map(toFeedEntry);
}

/** The highest journal entry id (0 for an empty journal). */
export async function journalHead(db: Db): Promise<number> {
  const result = await sql<{ head: number | null }>`SELECT max(id) AS head FROM journal_entries`.execute(db);
  return Number(result.rows[0]?.head ?? 0);
}

/**
 * Where a replay after `lastId` must start so that entries committed out of id order are not missed:
 * below the first entry inserted up to `overlapSeconds` before entry `lastId` was. Entries take their
 * id when inserted, and a transaction that inserted one before `lastId` but committed after the client
 * last heard is younger than that window (docs/decisions/0660). An unknown id replays from itself.
 */
export async function replayStart(db: Db, lastId: number, overlapSeconds: number): Promise<number> {
  const result = await sql<{ start: number | null }>`
    SELECT min(e.id) - 1 AS start
      FROM journal_entries e, (SELECT committed_at FROM journal_entries WHERE id = ${lastId}) AS last
     WHERE e.committed_at >= last.committed_at - make_interval(secs => ${overlapSeconds})
       AND e.id <= ${lastId}`.execute(db);
  const start = result.rows[0]?.start;
  return start === null || start === undefined ? lastId : Math.min(Number(start), lastId);
}
