import type { ListUsersQuery } from '@minqing/contract';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { MOBILE_PATTERN, normalizePhone } from '../../privacy/mask.ts';
import { assembleAccounts, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';
import { assertCanListAccounts } from './policy.ts';
import { decodeIdCursor, encodeCursor } from './present.ts';
import { findUnitSummaries, searchUsers } from './repository.ts';

/**
 * Accounts inside the caller's scope (where administrators and auditors hold their roles), newest
 * first. `q` matches part of a name or the start of a username, or a complete mobile number through
 * its blind index: numbers are never searched in the clear.
 */
export async function listUsers(
  ctx: PeopleContext,
  actor: Actor,
  query: ListUsersQuery,
): Promise<{ accounts: Account[]; nextCursor: string | null }> {
  const scopePaths = assertCanListAccounts(actor);
  const afterId = decodeIdCursor(query.cursor);
  let unitPath: string | undefined;
  if (query.unitId) {
    const unit = (await findUnitSummaries(ctx.db, [query.unitId])).get(query.unitId);
    if (!unit) throw errors.notFound({ zh: '单位', en: 'Unit' });
    unitPath = unit.path;
  }
  const phone = query.q ? normalizePhone(query.q) : '';
  const isPhone = MOBILE_PATTERN.test(phone);
  const rows = await searchUsers(ctx.db, {
    scopePaths,
    nameOrUsername: isPhone ? undefined : query.q,
    phoneIndex: isPhone ? ctx.cipher.blindIndex(phone) : undefined,
    kind: query.kind,
    role: query.role,
    unitPath,
    isActive: query.isActive,
    afterId,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    accounts: await assembleAccounts(ctx.db, page),
    nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}
