import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface NoticeRow {
  id: string;
  unit_id: string;
  street_id: string;
  title: string;
  body: string;
  category: string;
  is_pinned: boolean;
  state: string;
  published_at: Date | null;
  expires_at: Date | null;
  withdrawn_at: Date | null;
  withdraw_reason: string | null;
  author_id: string;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** A notice with the names the pages show and the unit's path (for the policy). */
export interface NoticeView extends NoticeRow {
  unit_name: string;
  unit_kind: string;
  unit_path: string;
  author_name: string;
}

export interface NoticeUnit {
  id: string;
  name: string;
  kind: string;
  path: string;
  street_id: string | null;
  is_active: boolean;
}

export async function findUnit(db: Db, id: string): Promise<NoticeUnit | undefined> {
  return db
    .selectFrom('units')
    .select(['id', 'name', 'kind', 'path', 'street_id', 'is_active'])
    .where('id', '=', id)
    .executeTakeFirst();
}

function viewQuery(db: Db) {
  return db
    .selectFrom('community_notices as n')
    .innerJoin('units as u', 'u.id', 'n.unit_id')
    .innerJoin('users as a', 'a.id', 'n.author_id')
    .selectAll('n')
    .select([
      'u.name as unit_name',
      'u.kind as unit_kind',
      'u.path as unit_path',
      'a.display_name as author_name',
    ]);
}

export async function findNotice(db: Db, id: string): Promise<NoticeView | undefined> {
  return viewQuery(db).where('n.id', '=', id).executeTakeFirst();
}

/** The row, locked for the rest of the transaction (edits and transitions serialise per notice). */
export async function lockNotice(db: Db, id: string): Promise<NoticeRow | undefined> {
  return db.selectFrom('community_notices').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertNotice(db: Db, row: NoticeRow): Promise<void> {
  await db.insertInto('community_notices').values(row).execute();
}

export async function updateNotice(db: Db, id: string, changes: Partial<NoticeRow>): Promise<NoticeRow> {
  return db
    .updateTable('community_notices')
    .set(changes)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * The published notices a unit's people read: those of the unit and of every unit above it (their
 * paths are prefixes of its path), not expired at `now`; pinned first, then urgent, then newest.
 */
export async function listPublicNotices(
  db: Db,
  unitPath: string,
  now: Date,
  limit: number,
): Promise<NoticeView[]> {
  return viewQuery(db)
    .where('n.state', '=', 'published')
    .where(sql<boolean>`${unitPath} LIKE u.path || '%'`)
    .where((eb) => eb.or([eb('n.expires_at', 'is', null), eb('n.expires_at', '>', now)]))
    .orderBy('n.is_pinned', 'desc')
    .orderBy(sql`n.category = 'urgent'`, 'desc')
    .orderBy('n.published_at', 'desc')
    .limit(limit)
    .execute();
}

/** Every notice (drafts, withdrawn) of the units under any of `paths`, most recently changed first. */
export async function listStaffNotices(
  db: Db,
  paths: readonly string[],
  options: { state?: string | undefined; limit: number },
): Promise<NoticeView[]> {
  if (paths.length === 0) return [];
  return viewQuery(db)
    .where((eb) => eb.or(paths.map((path) => eb('u.path', 'like', `${path}%`))))
    .$if(options.state !== undefined, (qb) => qb.where('n.state', '=', options.state!))
    .orderBy('n.is_pinned', 'desc')
    .orderBy('n.updated_at', 'desc')
    .limit(options.limit)
    .execute();
}

/** The streets, communities and grids under any of `paths` (where the caller may write notices). */
export async function unitsUnder(
  db: Db,
  paths: readonly string[],
  kinds: readonly string[],
): Promise<NoticeUnit[]> {
  if (paths.length === 0) return [];
  return db
    .selectFrom('units')
    .select(['id', 'name', 'kind', 'path', 'street_id', 'is_active'])
    .where('is_active', '=', true)
    .where('kind', 'in', [...kinds])
    .where((eb) => eb.or(paths.map((path) => eb('path', 'like', `${path}%`))))
    .orderBy('path')
    .limit(500)
    .execute();
}
