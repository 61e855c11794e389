import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { SIGN_IN_RULES, type PeopleContext } from './context.ts';
import { verifyPassword } from './passwords.ts';
import { countFailedLogin, findUserById, type UserRow } from './repository.ts';
import { signInErrors } from './sign-in-errors.ts';

/** The caller's own staff account, for changes that need its password (second factor). */
export async function staffUser(ctx: PeopleContext, actor: Actor): Promise<UserRow> {
  const user = await findUserById(ctx.db, actor.userId);
  if (!user?.password_hash || user.kind !== 'staff') {
    throw errors.unprocessable('no_password', {
      zh: '只有使用密码登录的工作人员账号可以设置动态码',
      en: 'Only staff accounts that sign in with a password can use an authenticator',
    });
  }
  return user;
}

/**
 * Re-checks the password before a sensitive change of one's own account; a wrong one counts toward
 * the lockout like a failed sign-in.
 */
export async function provePassword(ctx: PeopleContext, user: UserRow, password: string): Promise<void> {
  if (user.locked_until && user.locked_until.getTime() > Date.now()) throw errors.locked(user.locked_until);
  if (await verifyPassword(user.password_hash, password)) return;
  const count = await countFailedLogin(ctx.db, user.id, SIGN_IN_RULES.maxFailures, SIGN_IN_RULES.lockMinutes);
  if (count.lockedUntil) throw errors.locked(count.lockedUntil);
  throw signInErrors.wrongPassword(SIGN_IN_RULES.maxFailures - count.failures);
}

export const alreadyEnabled = () =>
  errors.conflict('totp_already_enabled', {
    zh: '已启用动态码；如需更换，请先停用',
    en: 'An authenticator is already enabled; disable it first to replace it',
  });
