import type { Notice, NoticeState, PublishNotice, WithdrawNotice } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { noticeErrors } from './errors.ts';
import { journalNoticeEvent } from './notice-journal.ts';
import { authorizeNotice, NOTICE_TRANSITIONS, noticeActions, type NoticeTransition } from './policy.ts';
import { presentNotice } from './present.ts';
import { findNotice, lockNotice, updateNotice, type NoticeRow } from './repository.ts';

/**
 * Publishes a draft (it is public from now on: published_at is set once) or withdraws a published
 * notice (it leaves the public lists; its row and chain stay). The state rule is NOTICE_TRANSITIONS.
 */
async function transitionNotice(
  db: Db,
  actor: Actor | null,
  id: string,
  action: NoticeTransition,
  input: PublishNotice | WithdrawNotice,
): Promise<Notice> {
  const found = await findNotice(db, id);
  const grant = authorizeNotice(actor, found && { path: found.unit_path }, 'write')!;
  const now = new Date();
  return inTransaction(db, async (trx) => {
    const current = (await lockNotice(trx, id))!;
    if (current.version !== input.expectedVersion) throw errors.staleVersion(current.version);
    const state = current.state as NoticeState;
    const rule = NOTICE_TRANSITIONS[action];
    if (!(rule.from as readonly NoticeState[]).includes(state))
      throw noticeErrors.illegalTransition(
        action,
        state,
        noticeActions(actor, { unitPath: found!.unit_path, state }),
      );
    const changes: Partial<NoticeRow> = { state: rule.to, version: current.version + 1, updated_at: now };
    if (action === 'publish') {
      if (current.expires_at && current.expires_at.getTime() <= now.getTime())
        throw noticeErrors.expiryPassed();
      changes.published_at = now;
    } else {
      changes.withdrawn_at = now;
      changes.withdraw_reason = ('reason' in input && input.reason) || null;
    }
    const row = await updateNotice(trx, id, changes);
    await journalNoticeEvent(trx, row, action, changes, { userId: actor!.userId, role: grant.role });
    return presentNotice(actor, (await findNotice(trx, id))!, now);
  });
}

export function publishNotice(
  db: Db,
  actor: Actor | null,
  id: string,
  input: PublishNotice,
): Promise<Notice> {
  return transitionNotice(db, actor, id, 'publish', input);
}

export function withdrawNotice(
  db: Db,
  actor: Actor | null,
  id: string,
  input: WithdrawNotice,
): Promise<Notice> {
  return transitionNotice(db, actor, id, 'withdraw', input);
}
