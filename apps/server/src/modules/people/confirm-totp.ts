import { inTransaction } from '../../db/transaction.ts';
import { AppError, errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { loadAccount, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';
import { updateUser } from './repository.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';
import { alreadyEnabled, staffUser } from './totp-guards.ts';
import { acceptTotp } from './totp.ts';

/** The first code from the app proves it holds the secret; from now on sign-in asks for a code. */
export async function confirmTotp(
  ctx: PeopleContext,
  actor: Actor,
  input: { code: string },
  client: ClientInfo,
): Promise<Account> {
  const user = await staffUser(ctx, actor);
  if (user.totp_enabled_at) throw alreadyEnabled();
  if (!user.totp_pending_secret_enc) {
    throw errors.conflict('totp_not_set_up', {
      zh: '请先获取动态码密钥',
      en: 'Start the authenticator setup first',
    });
  }
  const secret = ctx.cipher.decrypt(user.totp_pending_secret_enc);
  const step = await acceptTotp(secret, input.code, null);
  if (step === null) {
    throw new AppError(422, 'invalid_totp', {
      zh: '动态码不正确，请核对手机时间后重试',
      en: 'The code is wrong; check the phone clock and try again',
    });
  }
  return inTransaction(ctx.db, async (trx) => {
    await updateUser(trx, user.id, {
      totp_secret_enc: user.totp_pending_secret_enc,
      totp_pending_secret_enc: null,
      totp_enabled_at: new Date(),
      totp_last_step: step,
    });
    await recordSecurityEvent(trx, {
      action: 'totp_enabled',
      outcome: 'success',
      actorId: user.id,
      subjectId: user.id,
      place: await placeOfUser(trx, user),
      client,
    });
    return (await loadAccount(trx, user.id))!;
  });
}
