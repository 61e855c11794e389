import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import type { PeopleContext } from './context.ts';
import { markAllRead, markRead } from './notifications-repository.ts';
import type { NotificationRow } from './present.ts';

/** Marks one of the caller's notifications read; someone else's answers 404, as if it did not exist. */
export async function markNotificationRead(
  ctx: PeopleContext,
  actor: Actor,
  id: string,
): Promise<NotificationRow> {
  const row = await markRead(ctx.db, actor.userId, id);
  if (!row) throw errors.notFound({ zh: '通知', en: 'Notification' });
  return row;
}

/** Marks every unread notification of the caller read. */
export async function markAllNotificationsRead(ctx: PeopleContext, actor: Actor): Promise<number> {
  return markAllRead(ctx.db, actor.userId);
}
