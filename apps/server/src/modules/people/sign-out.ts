import type { PeopleContext } from './context.ts';
import { findUserById } from './repository.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';

/** Ends the session behind `token` at once, in every server process. Signing out twice is harmless. */
export async function signOut(
  ctx: PeopleContext,
  token: string | undefined,
  userId: string | null,
  client: ClientInfo,
): Promise<void> {
  if (!token) return;
  await ctx.sessions.revoke(token);
  const user = userId ? await findUserById(ctx.db, userId) : undefined;
  if (!user) return;
  await recordSecurityEvent(ctx.db, {
    action: 'logout',
    outcome: 'success',
    actorId: user.id,
    subjectId: user.id,
    place: await placeOfUser(ctx.db, user),
    client,
  });
}
