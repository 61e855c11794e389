import type { CreateNotice, Notice } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { noticeErrors } from './errors.ts';
import { journalNoticeEvent } from './notice-journal.ts';
import { authorizeNotice, NOTICE_UNIT_KINDS, PUBLISH_ROLES, publishGrant } from './policy.ts';
import { presentNotice } from './present.ts';
import { findNotice, findUnit, insertNotice, type NoticeRow } from './repository.ts';

/** Writes a draft notice for a street, community/village or grid; the row and its entry together. */
export async function createNotice(db: Db, actor: Actor | null, input: CreateNotice): Promise<Notice> {
  const unit = await findUnit(db, input.unitId);
  if (!actor) throw errors.unauthenticated();
  // Streets, communities and grids are public, so "not yours" is a 403; anything else stays unknown.
  if (unit && NOTICE_UNIT_KINDS.includes(unit.kind) && !publishGrant(actor, unit.path))
    throw errors.forbidden({ requiredRoles: PUBLISH_ROLES });
  const grant = authorizeNotice(actor, unit, 'write')!;
  if (!NOTICE_UNIT_KINDS.includes(unit!.kind)) throw noticeErrors.unitKind();
  if (!unit!.is_active) throw noticeErrors.unitInactive();
  const now = new Date();
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= now.getTime()) throw noticeErrors.expiryPassed();
  const row: NoticeRow = {
    id: crypto.randomUUID(),
    unit_id: unit!.id,
    street_id: unit!.street_id ?? unit!.id,
    title: input.title,
    body: input.body,
    category: input.category,
    is_pinned: input.isPinned,
    state: 'draft',
    published_at: null,
    expires_at: expiresAt,
    withdrawn_at: null,
    withdraw_reason: null,
    author_id: actor.userId,
    version: 1,
    created_at: now,
    updated_at: now,
  };
  return inTransaction(db, async (trx) => {
    await insertNotice(trx, row);
    await journalNoticeEvent(trx, row, 'create', row, { userId: actor.userId, role: grant.role });
    return presentNotice(actor, (await findNotice(trx, row.id))!, now);
  });
}
