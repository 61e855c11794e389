import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { findUnit } from '../areas/repository.ts';
import { loadAccount, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';
import { grantRole, revokeRoleEverywhere, updateUser } from './repository.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';

/**
 * A resident picks their community (or moves to another): the resident role is held there and only
 * there, and it becomes their home. Choosing the same community again changes nothing.
 */
export async function chooseCommunity(
  ctx: PeopleContext,
  actor: Actor,
  input: { communityId: string },
  client: ClientInfo,
): Promise<Account> {
  if (actor.kind !== 'resident') {
    throw errors.unprocessable('not_a_resident_account', {
      zh: '工作人员的居民身份由管理员授予',
      en: 'A staff account gets the resident role from an administrator',
    });
  }
  const community = await findUnit(ctx.db, input.communityId);
  if (!community || !community.isActive) throw errors.notFound({ zh: '社区', en: 'Community' });
  if (community.kind !== 'community') {
    throw errors.unprocessable('not_a_community', {
      zh: '请选择一个社区或村',
      en: 'Choose a community or village',
    });
  }

  const account = await inTransaction(ctx.db, async (trx) => {
    const current = (await loadAccount(trx, actor.userId, { forUpdate: true }))!;
    const isHere = current.assignments.some((a) => a.role === 'resident' && a.unit.id === community.id);
    if (isHere && current.row.home_unit_id === community.id) return current;
    const previousHome = current.row.home_unit_id;
    await revokeRoleEverywhere(trx, actor.userId, 'resident');
    await grantRole(trx, {
      userId: actor.userId,
      role: 'resident',
      unitId: community.id,
      grantedBy: actor.userId,
    });
    await updateUser(trx, actor.userId, {
      home_unit_id: community.id,
      street_id: community.streetId,
      // A household belongs to the old community; the new one registers it again.
      ...(previousHome && previousHome !== community.id ? { household_id: null } : {}),
    });
    await ctx.sessions.announceChange(trx, actor.userId);
    const updated = (await loadAccount(trx, actor.userId))!;
    await recordSecurityEvent(trx, {
      action: 'community_chosen',
      outcome: 'success',
      actorId: actor.userId,
      subjectId: actor.userId,
      place: await placeOfUser(trx, updated.row),
      details: { communityId: community.id, previousCommunityId: previousHome },
      client,
    });
    return updated;
  });
  ctx.sessions.forget(actor.userId);
  return account;
}
