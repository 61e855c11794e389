import type { Db } from '../../db/database.ts';
import { insertNotifications, type NewNotification } from './notifications-repository.ts';

export type { NewNotification } from './notifications-repository.ts';

/**
 * Puts notifications in people's inboxes (GET /api/me/notifications). Other capabilities call this
 * in the transaction of the change they announce, so a rolled-back change notifies no one.
 */
export async function notifyUsers(trx: Db, notifications: readonly NewNotification[]): Promise<string[]> {
  return insertNotifications(trx, notifications);
}
