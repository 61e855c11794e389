import {
  NOTICE_CATEGORY_NAMES,
  NOTICE_STATE_NAMES,
  type Notice,
  type NoticeCategory,
  type NoticeState,
  type PublicNotice,
} from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import { noticeActions } from './policy.ts';
import type { NoticeView } from './repository.ts';

function isExpired(row: NoticeView, now: Date): boolean {
  return row.expires_at !== null && row.expires_at.getTime() <= now.getTime();
}

/** The public form: the unit speaks, no author's name. Only for published notices. */
export function presentPublicNotice(row: NoticeView, now: Date): PublicNotice {
  const category = row.category as NoticeCategory;
  return {
    id: row.id,
    unit: { id: row.unit_id, name: row.unit_name, kind: row.unit_kind },
    title: row.title,
    body: row.body,
    category,
    categoryName: NOTICE_CATEGORY_NAMES[category],
    isPinned: row.is_pinned,
    publishedAt: row.published_at!.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    isExpired: isExpired(row, now),
  };
}

export function presentNotice(actor: Actor | null, row: NoticeView, now: Date): Notice {
  const category = row.category as NoticeCategory;
  const state = row.state as NoticeState;
  return {
    id: row.id,
    unit: { id: row.unit_id, name: row.unit_name, kind: row.unit_kind },
    title: row.title,
    body: row.body,
    category,
    categoryName: NOTICE_CATEGORY_NAMES[category],
    isPinned: row.is_pinned,
    state,
    stateName: NOTICE_STATE_NAMES[state],
    publishedAt: row.published_at?.toISOString() ?? null,
    expiresAt: row.expires_at?.toISOString() ?? null,
    isExpired: isExpired(row, now),
    withdrawnAt: row.withdrawn_at?.toISOString() ?? null,
    withdrawReason: row.withdraw_reason,
    author: { id: row.author_id, name: row.author_name },
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    allowedActions: noticeActions(actor, { unitPath: row.unit_path, state }),
  };
}
