import type { Actor } from '../../policy/index.ts';
import type { Account } from './account.ts';
import { administerAccount } from './administer-account.ts';
import type { PeopleContext } from './context.ts';
import { updateUser } from './repository.ts';
import type { ClientInfo } from './security-events.ts';

/**
 * Removes the second factor of an account whose owner lost the phone: sign-in asks for the password
 * only until they set up a new one. The account is signed out everywhere, in case the phone is in
 * someone else's hands.
 */
export async function resetUserTotp(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  input: { reason: string },
  client: ClientInfo,
): Promise<Account> {
  return administerAccount(ctx, actor, userId, 'totp_reset', client, async (trx, account) => {
    if (!account.row.totp_enabled_at && !account.row.totp_pending_secret_enc) return 'unchanged';
    await updateUser(trx, userId, {
      totp_secret_enc: null,
      totp_pending_secret_enc: null,
      totp_enabled_at: null,
      totp_last_step: null,
    });
    return { details: { reason: input.reason }, endSessions: true };
  });
}
