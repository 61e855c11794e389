import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { loadAccount, type Account } from './account.ts';
import { SIGN_IN_RULES, type PeopleContext } from './context.ts';
import { assertPasswordRules, hashPassword, verifyPassword } from './passwords.ts';
import { countFailedLogin, findUserById, updateUser } from './repository.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';
import { signInErrors } from './sign-in-errors.ts';

/**
 * A staff member replaces their password, proving the current one first (a wrong one counts toward
 * the lockout like a failed sign-in). The new one must meet the rules and differ from the old; every
 * other session of the account ends, this one stays.
 */
export async function changePassword(
  ctx: PeopleContext,
  actor: Actor,
  currentSessionHash: string,
  input: { currentPassword: string; newPassword: string },
  client: ClientInfo,
): Promise<Account> {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user?.password_hash) {
    throw errors.unprocessable('no_password', {
      zh: '居民账号使用手机验证码登录，没有密码',
      en: 'Resident accounts sign in with a text-message code and have no password',
    });
  }
  if (user.locked_until && user.locked_until.getTime() > Date.now()) throw errors.locked(user.locked_until);
  const place = await placeOfUser(ctx.db, user);
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    const count = await countFailedLogin(
      ctx.db,
      user.id,
      SIGN_IN_RULES.maxFailures,
      SIGN_IN_RULES.lockMinutes,
    );
    await recordSecurityEvent(ctx.db, {
      action: 'password_changed',
      outcome: 'failure',
      actorId: user.id,
      subjectId: user.id,
      place,
      details: { reason: 'wrong_password', failures: count.failures },
      client,
    });
    if (count.lockedUntil) throw errors.locked(count.lockedUntil);
    throw signInErrors.wrongPassword(SIGN_IN_RULES.maxFailures - count.failures);
  }
  const phone = user.phone_enc ? ctx.cipher.decrypt(user.phone_enc) : null;
  assertPasswordRules(input.newPassword, { username: user.username, phone });
  if (await verifyPassword(user.password_hash, input.newPassword)) {
    throw errors.unprocessable('same_password', {
      zh: '新密码不能与当前密码相同',
      en: 'The new password must differ from the current one',
    });
  }
  const passwordHash = await hashPassword(input.newPassword);

  const account = await inTransaction(ctx.db, async (trx) => {
    await updateUser(trx, user.id, {
      password_hash: passwordHash,
      password_changed_at: new Date(),
      password_must_change: false,
      failed_logins: 0,
    });
    const ended = await ctx.sessions.revokeAllOf(trx, user.id, currentSessionHash);
    await ctx.sessions.announceChange(trx, user.id);
    await recordSecurityEvent(trx, {
      action: 'password_changed',
      outcome: 'success',
      actorId: user.id,
      subjectId: user.id,
      place,
      details: { otherSessionsEnded: ended },
      client,
    });
    return (await loadAccount(trx, user.id))!;
  });
  // This process need not wait for its own NOTIFY: the very next request sees the new state.
  ctx.sessions.forget(user.id);
  return account;
}
