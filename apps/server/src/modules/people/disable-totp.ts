import { inTransaction } from '../../db/transaction.ts';
import { AppError, errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { loadAccount, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';
import { updateUser } from './repository.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';
import { provePassword, staffUser } from './totp-guards.ts';
import { acceptTotp } from './totp.ts';

/** Turns the second factor off; needs the password and a current code. */
export async function disableTotp(
  ctx: PeopleContext,
  actor: Actor,
  input: { password: string; code: string },
  client: ClientInfo,
): Promise<Account> {
  const user = await staffUser(ctx, actor);
  if (!user.totp_enabled_at || !user.totp_secret_enc) {
    throw errors.conflict('totp_not_enabled', { zh: '尚未启用动态码', en: 'No authenticator is enabled' });
  }
  await provePassword(ctx, user, input.password);
  const step = await acceptTotp(ctx.cipher.decrypt(user.totp_secret_enc), input.code, user.totp_last_step);
  if (step === null) {
    throw new AppError(422, 'invalid_totp', {
      zh: '动态码不正确或已使用',
      en: 'The code is wrong or already used',
    });
  }
  return inTransaction(ctx.db, async (trx) => {
    await updateUser(trx, user.id, {
      totp_secret_enc: null,
      totp_pending_secret_enc: null,
      totp_enabled_at: null,
      totp_last_step: null,
    });
    await recordSecurityEvent(trx, {
      action: 'totp_disabled',
      outcome: 'success',
      actorId: user.id,
      subjectId: user.id,
      place: await placeOfUser(trx, user),
      client,
    });
    return (await loadAccount(trx, user.id))!;
  });
}
