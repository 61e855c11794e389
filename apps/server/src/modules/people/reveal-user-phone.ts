import { inTransaction } from '../../db/transaction.ts';
import type { Actor } from '../../policy/index.ts';
import { loadAccount } from './account.ts';
import type { PeopleContext } from './context.ts';
import { assertCanReveal, assertCanView } from './policy.ts';
import { logAccess } from './repository.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';

/**
 * The full mobile number of an account, for a stated purpose (calling a resident back, recovering an
 * account), to the roles that need it. Who read it, when and why goes to the access log (PIPL art.
 * 28) in the same transaction as the read: no logged reason, no number.
 */
export async function revealUserPhone(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  input: { purpose: string },
  client: ClientInfo,
): Promise<{ phone: string | null }> {
  const account = await loadAccount(ctx.db, userId);
  assertCanView(actor, account?.placement);
  assertCanReveal(actor, account.placement);
  const { row } = account;
  if (!row.phone_enc) return { phone: null };
  const phone = ctx.cipher.decrypt(row.phone_enc);
  await inTransaction(ctx.db, async (trx) => {
    const accessLogId = await logAccess(trx, {
      actorId: actor.userId,
      action: 'reveal',
      recordType: 'user',
      recordId: userId,
      fields: ['phone'],
      purpose: input.purpose,
      ip: client.ip,
    });
    await recordSecurityEvent(trx, {
      action: 'phone_revealed',
      outcome: 'success',
      actorId: actor.userId,
      subjectId: userId,
      place: await placeOfUser(trx, row),
      details: { accessLogId, purpose: input.purpose },
      client,
    });
  });
  return { phone };
}
