import type { Actor } from '../../policy/index.ts';
import type { Account } from './account.ts';
import { administerAccount } from './administer-account.ts';
import type { PeopleContext } from './context.ts';
import { updateUser } from './repository.ts';
import type { ClientInfo } from './security-events.ts';

/** Opens a deactivated account again, with its roles as they were and a clean sign-in record. */
export async function reactivateUser(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  input: { reason: string },
  client: ClientInfo,
): Promise<Account> {
  return administerAccount(ctx, actor, userId, 'account_reactivated', client, async (trx, account) => {
    if (account.row.is_active) return 'unchanged';
    await updateUser(trx, userId, {
      is_active: true,
      deactivated_at: null,
      failed_logins: 0,
      locked_until: null,
    });
    return { details: { reason: input.reason } };
  });
}
