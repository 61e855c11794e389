import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Actor } from '../../policy/index.ts';
import { loadAccount, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';
import { assertCanManage, assertCanView } from './policy.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo, type SecurityAction } from './security-events.ts';

export interface AccountChange {
  /** Written to the security log with the event. */
  details?: Record<string, unknown>;
  /** Sign the account out everywhere (deactivation, a password or second-factor reset). */
  endSessions?: boolean;
}

/**
 * The frame of every administrator's change to an account: lock the account's row, check the caller
 * may see it (404) and administer it (403), apply the change, end its sessions if asked, tell every
 * server process to forget its cached sessions, and log the event — all in one transaction.
 * `apply` returns 'unchanged' when there was nothing to do (no event is logged then).
 */
export async function administerAccount(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  action: SecurityAction,
  client: ClientInfo,
  apply: (trx: Db, account: Account) => Promise<AccountChange | 'unchanged'>,
): Promise<Account> {
  const account = await inTransaction(ctx.db, async (trx) => {
    const current = await loadAccount(trx, userId, { forUpdate: true });
    assertCanView(actor, current?.placement);
    assertCanManage(actor, current.placement);
    const change = await apply(trx, current);
    if (change === 'unchanged') return current;
    const ended = change.endSessions ? await ctx.sessions.revokeAllOf(trx, userId) : 0;
    await ctx.sessions.announceChange(trx, userId);
    await recordSecurityEvent(trx, {
      action,
      outcome: 'success',
      actorId: actor.userId,
      subjectId: userId,
      place: await placeOfUser(trx, current.row),
      details: { ...change.details, ...(change.endSessions ? { sessionsEnded: ended } : {}) },
      client,
    });
    return (await loadAccount(trx, userId))!;
  });
  ctx.sessions.forget(userId);
  return account;
}
