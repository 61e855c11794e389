import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { loadAccount, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';

/** The signed-in person's own account (its roles, home and sign-in state). */
export async function getMe(ctx: PeopleContext, actor: Actor): Promise<Account> {
  const account = await loadAccount(ctx.db, actor.userId);
  // Deactivated between the session check and now: as good as signed out.
  if (!account) throw errors.unauthenticated();
  return account;
}
