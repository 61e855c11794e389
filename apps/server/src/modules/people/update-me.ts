import type { Actor } from '../../policy/index.ts';
import { loadAccount, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';
import { updateUser } from './repository.ts';

/** The signed-in person changes the name others see (masked wherever the viewer lacks the right). */
export async function updateMe(
  ctx: PeopleContext,
  actor: Actor,
  input: { displayName: string },
): Promise<Account> {
  await updateUser(ctx.db, actor.userId, { display_name: input.displayName });
  ctx.sessions.forget(actor.userId);
  return (await loadAccount(ctx.db, actor.userId))!;
}
