import type { Actor } from '../../policy/index.ts';
import type { PeopleContext } from './context.ts';
import { countUnread, listNotifications } from './notifications-repository.ts';
import type { NotificationRow } from './present.ts';

/** The signed-in person's notifications, newest first, with the number still unread. */
export async function listMyNotifications(
  ctx: PeopleContext,
  actor: Actor,
  query: { unreadOnly?: boolean | undefined; afterId?: string | undefined; limit: number },
): Promise<{ rows: NotificationRow[]; hasMore: boolean; unreadCount: number }> {
  const rows = await listNotifications(ctx.db, actor.userId, {
    unreadOnly: query.unreadOnly ?? false,
    afterId: query.afterId,
    limit: query.limit + 1,
  });
  return {
    rows: rows.slice(0, query.limit),
    hasMore: rows.length > query.limit,
    unreadCount: await countUnread(ctx.db, actor.userId),
  };
}
