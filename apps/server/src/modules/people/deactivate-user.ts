import type { Actor } from '../../policy/index.ts';
import type { Account } from './account.ts';
import { administerAccount } from './administer-account.ts';
import type { PeopleContext } from './context.ts';
import { updateUser } from './repository.ts';
import type { ClientInfo } from './security-events.ts';

/**
 * Closes an account: it can no longer sign in and every session ends at once, in every server
 * process. Nothing is deleted — its history, roles and reports stay, and it can be reactivated.
 */
export async function deactivateUser(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  input: { reason: string },
  client: ClientInfo,
): Promise<Account> {
  return administerAccount(ctx, actor, userId, 'account_deactivated', client, async (trx, account) => {
    if (!account.row.is_active) return 'unchanged';
    await updateUser(trx, userId, { is_active: false, deactivated_at: new Date() });
    return { details: { reason: input.reason }, endSessions: true };
  });
}
