import type { Actor } from '../../policy/index.ts';
import type { Account } from './account.ts';
import { administerAccount } from './administer-account.ts';
import type { PeopleContext } from './context.ts';
import { updateUser } from './repository.ts';
import type { ClientInfo } from './security-events.ts';

/** Lifts a sign-in lockout before its 30 minutes are up (the owner phoned the administrator). */
export async function unlockUser(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  client: ClientInfo,
): Promise<Account> {
  return administerAccount(ctx, actor, userId, 'account_unlocked', client, async (trx, account) => {
    if (account.row.failed_logins === 0 && account.row.locked_until === null) return 'unchanged';
    await updateUser(trx, userId, { failed_logins: 0, locked_until: null });
    return {};
  });
}
