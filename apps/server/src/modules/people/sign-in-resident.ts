import { timingSafeEqual } from 'node:crypto';
import { inTransaction } from '../../db/transaction.ts';
import { maskPhone, normalizePhone } from '../../privacy/mask.ts';
import { loadAccount } from './account.ts';
import { SIGN_IN_RULES, type PeopleContext } from './context.ts';
import { countAttempt, latestUnusedCode, lockPhone, retireCode } from './login-codes.ts';
import { findUserByPhoneIndex, insertUser, updateUser } from './repository.ts';
import { codeHash } from './request-sms-code.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';
import { createSession } from './sessions.ts';
import type { SignedIn } from './sign-in-staff.ts';
import { signInErrors } from './sign-in-errors.ts';

const { codeMaxAttempts } = SIGN_IN_RULES;

type CodeCheck = { ok: true } | { ok: false; attemptsLeft: number | null };

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * A resident signs in with the code sent to their mobile; the first sign-in creates the account
 * (phone encrypted, a blind index to find it, the masked form to show). Five wrong guesses spend
 * the code.
 */
export async function signInResident(
  ctx: PeopleContext,
  input: { phone: string; code: string },
  client: ClientInfo,
): Promise<SignedIn & { isNewAccount: boolean }> {
  const phone = normalizePhone(input.phone);
  const phoneIndex = ctx.cipher.blindIndex(phone);

  // The guess is counted in its own transaction, which must commit even though the sign-in fails.
  const check = await inTransaction(ctx.db, async (trx): Promise<CodeCheck> => {
    await lockPhone(trx, phoneIndex);
    const live = await latestUnusedCode(trx, phoneIndex);
    if (!live || live.isExpired || live.attempts >= codeMaxAttempts) return { ok: false, attemptsLeft: null };
    if (!sameHash(live.codeHash, codeHash(ctx, phoneIndex, input.code))) {
      const attempts = await countAttempt(trx, live.id);
      return { ok: false, attemptsLeft: codeMaxAttempts - attempts };
    }
    await retireCode(trx, live.id);
    return { ok: true };
  });
  if (!check.ok) {
    await recordSecurityEvent(ctx.db, {
      action: 'sms_login',
      outcome: 'failure',
      actorId: null,
      subjectId: null,
      place: { unitPath: null, streetId: null },
      details: {
        phone: maskPhone(phone),
        reason: check.attemptsLeft === null ? 'no_valid_code' : 'wrong_code',
      },
      client,
    });
    throw check.attemptsLeft === null || check.attemptsLeft <= 0
      ? signInErrors.codeExpired()
      : signInErrors.invalidCode(check.attemptsLeft);
  }

  const existing = await findUserByPhoneIndex(ctx.db, phoneIndex);
  // Codes are never sent to these numbers (see requestSmsCode); refuse all the same.
  if (existing && existing.kind !== 'resident') throw signInErrors.codeExpired();
  if (existing?.merged_into_id) throw signInErrors.accountMerged();
  if (existing && !existing.is_active) throw signInErrors.accountDisabled();

  return inTransaction(ctx.db, async (trx) => {
    await lockPhone(trx, phoneIndex);
    // Two first sign-ins racing: the phone lock lets only one create the account.
    const again = existing ?? (await findUserByPhoneIndex(trx, phoneIndex));
    const userId =
      again?.id ??
      (await insertUser(trx, ctx.cipher, {
        kind: 'resident',
        displayName: `居民${phone.slice(-4)}`,
        phone,
      }));
    await updateUser(trx, userId, { last_login_at: new Date() });
    const session = await createSession(
      trx,
      { id: userId, kind: 'resident' },
      { staffIdleMinutes: ctx.config.staffIdleMinutes, residentSessionDays: ctx.config.residentSessionDays },
      { ip: client.ip ?? undefined, userAgent: client.userAgent ?? undefined },
    );
    const account = (await loadAccount(trx, userId))!;
    const place = await placeOfUser(trx, account.row);
    if (!again) {
      await recordSecurityEvent(trx, {
        action: 'resident_created',
        outcome: 'success',
        actorId: userId,
        subjectId: userId,
        place,
        details: { phone: maskPhone(phone) },
        client,
      });
    }
    await recordSecurityEvent(trx, {
      action: 'sms_login',
      outcome: 'success',
      actorId: userId,
      subjectId: userId,
      place,
      client,
    });
    return { account, token: session.token, maxAgeS: session.maxAgeS, isNewAccount: !again };
  });
}
