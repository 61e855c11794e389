import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { NotificationRow } from './present.ts';

export interface NewNotification {
  userId: string;
  kind: string;
  recordType?: string | null;
  recordId?: string | null;
  title: { zh: string; en: string };
  /** When it happened, if not now (the demo seeder replays the past). */
  at?: Date | undefined;
}

export async function insertNotifications(trx: Db, rows: readonly NewNotification[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const values = rows.map((row) => ({
    id: crypto.randomUUID(),
    user_id: row.userId,
    kind: row.kind,
    record_type: row.recordType ?? null,
    record_id: row.recordId ?? null,
    title_zh: row.title.zh,
    title_en: row.title.en,
    created_at: row.at ?? sql<Date>`now()`,
  }));
  await trx.insertInto('notifications').values(values).execute();
  return values.map((value) => value.id);
}

const COLUMNS = [
  'id',
  'kind',
  'record_type',
  'record_id',
  'title_zh',
  'title_en',
  'created_at',
  'read_at',
] as const;

export async function listNotifications(
  db: Db,
  userId: string,
  query: { unreadOnly: boolean; afterId?: string | undefined; limit: number },
): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications as n')
    .select(COLUMNS.map((column) => `n.${column}` as const))
    .where('n.user_id', '=', userId)
    .$if(query.unreadOnly, (qb) => qb.where('n.read_at', 'is', null))
    .$if(query.afterId !== undefined, (qb) =>
      qb.where(
        sql<boolean>`(n.created_at, n.id) < (select c.created_at, c.id from notifications c where c.id = ${query.afterId!} and c.user_id = ${userId})`,
      ),
    )
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(query.limit)
    .execute();
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select(sql<number>`count(*)::int`.as('count'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Marks one of the user's notifications read (once: a second call keeps the first time). */
export async function markRead(db: Db, userId: string, id: string): Promise<NotificationRow | undefined> {
  await db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .execute();
  return db
    .selectFrom('notifications')
    .select([...COLUMNS])
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
}

export async function markAllRead(db: Db, userId: string): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
