import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import type { Account } from './account.ts';
import { administerAccount } from './administer-account.ts';
import type { PeopleContext } from './context.ts';
import { assertPasswordRules, hashPassword } from './passwords.ts';
import { updateUser } from './repository.ts';
import type { ClientInfo } from './security-events.ts';

/**
 * Gives a staff account a temporary password (forgotten password): it must meet the rules, the owner
 * must change it at the next sign-in, the lockout is lifted and every session of the account ends.
 */
export async function resetUserPassword(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  input: { newPassword: string },
  client: ClientInfo,
): Promise<Account> {
  return administerAccount(ctx, actor, userId, 'password_reset', client, async (trx, account) => {
    if (account.row.kind !== 'staff') {
      throw errors.unprocessable('no_password', {
        zh: '居民账号使用手机验证码登录，没有密码',
        en: 'Resident accounts sign in with a text-message code and have no password',
      });
    }
    const phone = account.row.phone_enc ? ctx.cipher.decrypt(account.row.phone_enc) : null;
    assertPasswordRules(input.newPassword, { username: account.row.username, phone });
    await updateUser(trx, userId, {
      password_hash: await hashPassword(input.newPassword),
      password_changed_at: new Date(),
      password_must_change: true,
      failed_logins: 0,
      locked_until: null,
    });
    return { endSessions: true };
  });
}
