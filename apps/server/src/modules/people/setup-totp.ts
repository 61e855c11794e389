import type { Actor } from '../../policy/index.ts';
import type { PeopleContext } from './context.ts';
import { alreadyEnabled, provePassword, staffUser } from './totp-guards.ts';
import { updateUser } from './repository.ts';
import { newTotpSecret, totpUri } from './totp.ts';

/** Offers a new secret (as an otpauth:// URI for a QR code); sign-in does not ask for it until confirmed. */
export async function setupTotp(
  ctx: PeopleContext,
  actor: Actor,
  input: { password: string },
): Promise<{ secret: string; otpauthUri: string }> {
  const user = await staffUser(ctx, actor);
  await provePassword(ctx, user, input.password);
  if (user.totp_enabled_at) throw alreadyEnabled();
  const secret = newTotpSecret();
  await updateUser(ctx.db, user.id, { totp_pending_secret_enc: ctx.cipher.encrypt(secret) });
  return { secret, otpauthUri: totpUri(secret, user.username ?? user.display_name) };
}
