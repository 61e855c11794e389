import type { Actor } from '../../policy/index.ts';
import type { Account } from './account.ts';
import { administerAccount } from './administer-account.ts';
import type { PeopleContext } from './context.ts';
import type { ClientInfo } from './security-events.ts';
import { updateUser as updateUserRow } from './repository.ts';

/** An administrator corrects the name an account is shown by. */
export async function updateUser(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  input: { displayName: string },
  client: ClientInfo,
): Promise<Account> {
  return administerAccount(ctx, actor, userId, 'account_updated', client, async (trx, account) => {
    if (account.row.display_name === input.displayName) return 'unchanged';
    await updateUserRow(trx, userId, { display_name: input.displayName });
    return { details: { fields: ['display_name'] } };
  });
}
