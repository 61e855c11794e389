import type { Notice, NoticeState, UpdateNotice } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { noticeErrors } from './errors.ts';
import { journalNoticeEvent } from './notice-journal.ts';
import { authorizeNotice, isEditable, noticeActions } from './policy.ts';
import { presentNotice } from './present.ts';
import { findNotice, lockNotice, updateNotice as writeNotice, type NoticeRow } from './repository.ts';

/**
 * Edits a draft or a published notice (title, text, category, pin, expiry). A published notice stays
 * published: the edit is an entry of its chain, so the earlier wording can still be read back.
 */
export async function updateNotice(
  db: Db,
  actor: Actor | null,
  id: string,
  input: UpdateNotice,
): Promise<Notice> {
  const found = await findNotice(db, id);
  const grant = authorizeNotice(actor, found && { path: found.unit_path }, 'write')!;
  const now = new Date();
  return inTransaction(db, async (trx) => {
    const current = (await lockNotice(trx, id))!;
    if (current.version !== input.expectedVersion) throw errors.staleVersion(current.version);
    const state = current.state as NoticeState;
    if (!isEditable(state))
      throw noticeErrors.notEditable(state, noticeActions(actor, { unitPath: found!.unit_path, state }));
    const changes: Partial<NoticeRow> = {};
    if (input.title !== undefined && input.title !== current.title) changes.title = input.title;
    if (input.body !== undefined && input.body !== current.body) changes.body = input.body;
    if (input.category !== undefined && input.category !== current.category)
      changes.category = input.category;
    if (input.isPinned !== undefined && input.isPinned !== current.is_pinned)
      changes.is_pinned = input.isPinned;
    if (input.expiresAt !== undefined) {
      const expiresAt = input.expiresAt === null ? null : new Date(input.expiresAt);
      if (expiresAt && expiresAt.getTime() <= now.getTime()) throw noticeErrors.expiryPassed();
      if ((expiresAt?.getTime() ?? null) !== (current.expires_at?.getTime() ?? null))
        changes.expires_at = expiresAt;
    }
    // Nothing changed: no new version, no entry.
    if (Object.keys(changes).length === 0) return presentNotice(actor, found!, now);
    changes.version = current.version + 1;
    changes.updated_at = now;
    const row = await writeNotice(trx, id, changes);
    await journalNoticeEvent(trx, row, 'update', changes, { userId: actor!.userId, role: grant.role });
    return presentNotice(actor, (await findNotice(trx, id))!, now);
  });
}
