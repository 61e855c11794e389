import type { RoleGrantInput } from '@minqing/contract';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import type { Account } from './account.ts';
import { administerAccount } from './administer-account.ts';
import type { PeopleContext } from './context.ts';
import { checkGrant } from './grant-checks.ts';
import { findActiveGrant, grantRole as insertGrant, updateUser } from './repository.ts';
import type { ClientInfo } from './security-events.ts';

/**
 * Gives an account a role at a unit (docs/decisions/0201): the caller must administer the account,
 * rank above the role and reach the unit; the role must fit the unit and not clash with the
 * account's duties. The account's cached sessions are dropped in every process, so it acts with the
 * new role from its next request.
 */
export async function grantRole(
  ctx: PeopleContext,
  actor: Actor,
  userId: string,
  input: RoleGrantInput,
  client: ClientInfo,
): Promise<Account> {
  return administerAccount(ctx, actor, userId, 'role_granted', client, async (trx, account) => {
    if (!account.row.is_active) {
      throw errors.conflict('account_inactive', {
        zh: '账号已停用，请先启用再授予角色',
        en: 'The account is deactivated; reactivate it before granting roles',
      });
    }
    const grant = await checkGrant(
      trx,
      actor,
      input,
      account.assignments.map((assignment) => assignment.role),
    );
    const existing = await findActiveGrant(trx, {
      userId,
      role: grant.role,
      unitId: grant.unit.id,
      orgId: grant.orgId,
    });
    if (existing) {
      throw errors.conflict(
        'role_already_held',
        { zh: '该账号已在此单位担任此角色', en: 'The account already holds this role at this unit' },
        { assignmentId: existing },
      );
    }
    const assignmentId = await insertGrant(trx, {
      userId,
      role: grant.role,
      unitId: grant.unit.id,
      orgId: grant.orgId,
      grantedBy: actor.userId,
    });
    if (!account.row.street_id && grant.unit.streetId)
      await updateUser(trx, userId, { street_id: grant.unit.streetId });
    return { details: { assignmentId, role: grant.role, unitId: grant.unit.id, orgId: grant.orgId } };
  });
}
