import type { Actor } from '../../policy/index.ts';
import type { PeopleContext } from './context.ts';
import { countUnread, listNotifications } from './notifications-repository.ts';
import { decodeIdCursor, encodeCursor, type NotificationRow } from './present.ts';

/** The signed-in person's notifications, newest first, a page at a time, with the number still unread. */
export async function listMyNotifications(
  ctx: PeopleContext,
  actor: Actor,
  query: { unreadOnly?: boolean | undefined; cursor?: string | undefined; limit: number },
): Promise<{ rows: NotificationRow[]; nextCursor: string | null; unreadCount: number }> {
  const afterId = decodeIdCursor(query.cursor);
  const rows = await listNotifications(ctx.db, actor.userId, {
    unreadOnly: query.unreadOnly ?? false,
    afterId,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    rows: page,
    nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null,
    unreadCount: await countUnread(ctx.db, actor.userId),
  };
}
