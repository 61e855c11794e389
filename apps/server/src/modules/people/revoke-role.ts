import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import type { Account } from './account.ts';
import { administerAccount } from './administer-account.ts';
import type { PeopleContext } from './context.ts';
import { assertCanGrant } from './policy.ts';
import { revokeAssignment } from './repository.ts';
import type { ClientInfo } from './security-events.ts';

/**
 * Takes a role back (the assignment is closed, never deleted: who held what, when, stays on record).
 * The same reach is needed as to grant it. Cached sessions of the account end in every process.
 */
export async function revokeRole(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  assignmentId: string,
  input: { reason?: string | undefined },
  client: ClientInfo,
): Promise<Account> {
  return administerAccount(ctx, actor, userId, 'role_revoked', client, async (trx, account) => {
    const assignment = account.assignments.find((candidate) => candidate.id === assignmentId);
    if (!assignment) throw errors.notFound({ zh: '角色', en: 'Role assignment' });
    assertCanGrant(actor, assignment.role, assignment.unit);
    await revokeAssignment(trx, assignmentId);
    return {
      details: {
        assignmentId,
        role: assignment.role,
        unitId: assignment.unit.id,
        ...(input.reason ? { reason: input.reason } : {}),
      },
    };
  });
}
