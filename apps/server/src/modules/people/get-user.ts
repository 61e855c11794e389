import type { Actor } from '../../policy/index.ts';
import { loadAccount, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';
import { assertCanView } from './policy.ts';

/** One account, if it lies inside the caller's scope (404 otherwise: existence is not disclosed). */
export async function getUser(ctx: PeopleContext, actor: Actor, id: string): Promise<Account> {
  const account = await loadAccount(ctx.db, id);
  assertCanView(actor, account?.placement);
  return account;
}
