import type { StaffLogin } from '@minqing/contract';
import { errors } from '../../errors.ts';
import { inTransaction } from '../../db/transaction.ts';
import { maskPhone, MOBILE_PATTERN, normalizePhone } from '../../privacy/mask.ts';
import { loadAccount, type Account } from './account.ts';
import { SIGN_IN_RULES, type PeopleContext } from './context.ts';
import { verifyPassword } from './passwords.ts';
import {
  countFailedLogin,
  countFailedUnknownLogin,
  findUserByPhoneIndex,
  findUserByUsername,
  unknownLoginLockedUntil,
  updateUser,
  type UserRow,
} from './repository.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';
import { createSession } from './sessions.ts';
import { signInErrors } from './sign-in-errors.ts';
import { acceptTotp } from './totp.ts';

export interface SignedIn {
  account: Account;
  token: string;
  maxAgeS: number;
}

const { maxFailures, lockMinutes } = SIGN_IN_RULES;

/**
 * Staff sign-in by username or mobile number and password, then the TOTP code when the account has
 * one. Five failures in a row lock the account for 30 minutes, during which even the right password
 * is refused; a name that matches no account fails, counts and locks exactly the same way.
 */
export async function signInStaff(
  ctx: PeopleContext,
  input: StaffLogin,
  client: ClientInfo,
): Promise<SignedIn> {
  const login = input.login.trim();
  const phone = normalizePhone(login);
  const isPhone = MOBILE_PATTERN.test(phone);
  const found = isPhone
    ? await findUserByPhoneIndex(ctx.db, ctx.cipher.blindIndex(phone))
    : await findUserByUsername(ctx.db, login.toLowerCase());
  // Residents have no password: to this form they do not exist.
  const user = found?.kind === 'staff' ? found : undefined;
  if (!user) {
    return refuseUnknown(
      ctx,
      isPhone ? `phone:${phone}` : `name:${login.toLowerCase()}`,
      input.password,
      client,
      {
        login: isPhone ? maskPhone(phone) : login.slice(0, 32),
      },
    );
  }
  const account = user;
  const place = await placeOfUser(ctx.db, account);
  const fail = async (reason: string, extra: Record<string, unknown> = {}) =>
    recordSecurityEvent(ctx.db, {
      action: 'login',
      outcome: 'failure',
      actorId: null,
      subjectId: account.id,
      place,
      details: { reason, ...extra },
      client,
    });

  if (account.locked_until && account.locked_until.getTime() > Date.now()) {
    await fail('locked');
    throw errors.locked(account.locked_until);
  }
  const countFailure = async (reason: string) => {
    const count = await countFailedLogin(ctx.db, account.id, maxFailures, lockMinutes);
    await fail(reason, { failures: count.failures });
    if (count.lockedUntil) {
      await recordSecurityEvent(ctx.db, {
        action: 'login_locked',
        outcome: 'success',
        actorId: null,
        subjectId: account.id,
        place,
        details: { lockedUntil: count.lockedUntil.toISOString(), minutes: lockMinutes },
        client,
      });
      throw errors.locked(count.lockedUntil);
    }
    return maxFailures - count.failures;
  };

  if (!(await verifyPassword(account.password_hash, input.password))) {
    throw signInErrors.invalidCredentials(await countFailure('wrong_password'));
  }
  if (!account.is_active) {
    await fail('deactivated');
    throw signInErrors.accountDisabled();
  }
  const totpStep = await checkSecondFactor(ctx, account, input.totp, countFailure);

  return inTransaction(ctx.db, async (trx) => {
    await updateUser(trx, account.id, {
      failed_logins: 0,
      locked_until: null,
      last_login_at: new Date(),
      ...(totpStep !== null ? { totp_last_step: totpStep } : {}),
    });
    const session = await createSession(
      trx,
      { id: account.id, kind: 'staff' },
      { staffIdleMinutes: ctx.config.staffIdleMinutes, residentSessionDays: ctx.config.residentSessionDays },
      { ip: client.ip ?? undefined, userAgent: client.userAgent ?? undefined },
    );
    await recordSecurityEvent(trx, {
      action: 'login',
      outcome: 'success',
      actorId: account.id,
      subjectId: account.id,
      place,
      details: { method: totpStep !== null ? 'password+totp' : 'password' },
      client,
    });
    return { account: (await loadAccount(trx, account.id))!, token: session.token, maxAgeS: session.maxAgeS };
  });
}

/** The accepted TOTP step, or null when the account has no second factor. */
async function checkSecondFactor(
  ctx: PeopleContext,
  account: UserRow,
  code: string | undefined,
  countFailure: (reason: string) => Promise<number>,
): Promise<number | null> {
  if (!account.totp_enabled_at || !account.totp_secret_enc) return null;
  // The password was right; asking for the code is not a failure.
  if (!code) throw signInErrors.totpRequired();
  const step = await acceptTotp(ctx.cipher.decrypt(account.totp_secret_enc), code, account.totp_last_step);
  if (step === null) throw signInErrors.invalidTotp(await countFailure('wrong_totp'));
  return step;
}

async function refuseUnknown(
  ctx: PeopleContext,
  name: string,
  password: string,
  client: ClientInfo,
  details: Record<string, unknown>,
): Promise<never> {
  const key = ctx.cipher.blindIndex(`login:${name}`);
  const lockedUntil = await unknownLoginLockedUntil(ctx.db, key);
  const record = (reason: string) =>
    recordSecurityEvent(ctx.db, {
      action: 'login',
      outcome: 'failure',
      actorId: null,
      subjectId: null,
      place: { unitPath: null, streetId: null },
      details: { reason, ...details },
      client,
    });
  if (lockedUntil) {
    await record('locked');
    throw errors.locked(lockedUntil);
  }
  // Spend the time of a real check, so timing does not tell a missing account from a wrong password.
  await verifyPassword(null, password);
  const count = await countFailedUnknownLogin(ctx.db, key, maxFailures, lockMinutes);
  await record('unknown_account');
  if (count.lockedUntil) throw errors.locked(count.lockedUntil);
  throw signInErrors.invalidCredentials(maxFailures - count.failures);
}
