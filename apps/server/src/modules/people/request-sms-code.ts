import { randomDigits } from '../../crypto/index.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import { maskPhone, normalizePhone } from '../../privacy/mask.ts';
import { SIGN_IN_RULES, type PeopleContext } from './context.ts';
import { codeWindow, insertCode, lockPhone, retireCode, retireLiveCodes } from './login-codes.ts';
import { findUserByPhoneIndex } from './repository.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';

const { codeLength, codeTtlMinutes, codeResendSeconds, codesPerHour } = SIGN_IN_RULES;

/** The keyed hash a code is stored as; bound to the phone so a code for one number fits no other. */
export function codeHash(ctx: PeopleContext, phoneIndex: string, code: string): string {
  return ctx.cipher.blindIndex(`login-code:${phoneIndex}:${code}`);
}

/**
 * Sends a resident a 6-digit sign-in code, valid 5 minutes: at most one a minute and five an hour per
 * number (per-address limits sit in front, on the route). A staff or deactivated account's number
 * gets the same answer but no SMS: this form must not become a way round a password, nor tell
 * anyone which numbers belong to staff.
 */
export async function requestSmsCode(
  ctx: PeopleContext,
  input: { phone: string },
  client: ClientInfo,
): Promise<{ phone: string; expiresInSeconds: number; resendAfterSeconds: number }> {
  const phone = normalizePhone(input.phone);
  const phoneIndex = ctx.cipher.blindIndex(phone);
  const code = randomDigits(codeLength);
  const existing = await findUserByPhoneIndex(ctx.db, phoneIndex);
  const maySignIn = !existing || (existing.kind === 'resident' && existing.is_active);

  const codeId = await inTransaction(ctx.db, async (trx) => {
    await lockPhone(trx, phoneIndex);
    const window = await codeWindow(trx, phoneIndex);
    if (window.lastAgeS !== null && window.lastAgeS < codeResendSeconds) {
      throw errors.rateLimited(Math.ceil(codeResendSeconds - window.lastAgeS));
    }
    if (window.lastHourCount >= codesPerHour && window.oldestInHourAgeS !== null) {
      throw errors.rateLimited(Math.ceil(3600 - window.oldestInHourAgeS));
    }
    await retireLiveCodes(trx, phoneIndex);
    // Not sent: store the hash of a code nobody will ever see, so limits and answers stay identical.
    const stored = maySignIn ? code : randomDigits(codeLength);
    return insertCode(trx, {
      phoneIndex,
      codeHash: codeHash(ctx, phoneIndex, stored),
      ttlMinutes: codeTtlMinutes,
    });
  });

  if (maySignIn) {
    try {
      await ctx.sms.sendCode({ phone, code, expiresInMinutes: codeTtlMinutes });
    } catch (error) {
      await retireCode(ctx.db, codeId);
      throw error;
    }
  }
  await recordSecurityEvent(ctx.db, {
    action: 'sms_code_sent',
    outcome: maySignIn ? 'success' : 'failure',
    actorId: null,
    subjectId: existing?.id ?? null,
    place: existing ? await placeOfUser(ctx.db, existing) : { unitPath: null, streetId: null },
    details: {
      phone: maskPhone(phone),
      ...(maySignIn ? {} : { reason: existing?.kind === 'staff' ? 'staff_account' : 'deactivated' }),
    },
    client,
  });
  return {
    phone: maskPhone(phone),
    expiresInSeconds: codeTtlMinutes * 60,
    resendAfterSeconds: codeResendSeconds,
  };
}
