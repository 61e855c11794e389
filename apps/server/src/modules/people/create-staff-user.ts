import type { CreateStaffUser } from '@minqing/contract';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor, Role } from '../../policy/index.ts';
import { normalizePhone } from '../../privacy/mask.ts';
import { loadAccount, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';
import { checkGrant, type CheckedGrant } from './grant-checks.ts';
import { assertPasswordRules } from './passwords.ts';
import { findUserByPhoneIndex, findUserByUsername, grantRole, insertUser } from './repository.ts';
import { recordSecurityEvent, type ClientInfo } from './security-events.ts';

const usernameTaken = () =>
  errors.conflict('username_taken', { zh: '用户名已被使用', en: 'The username is already taken' });
const phoneTaken = () =>
  errors.conflict('phone_taken', {
    zh: '该手机号已绑定其他账号',
    en: 'The mobile number belongs to another account',
  });

/**
 * Creates a staff account with its first roles, each of which the caller must be allowed to grant.
 * The initial password meets the rules, and its owner must replace it at first sign-in (the
 * administrator who typed it should not keep knowing it).
 */
export async function createStaffUser(
  ctx: PeopleContext,
  actor: Actor,
  input: CreateStaffUser & { username: string },
  client: ClientInfo,
): Promise<Account> {
  const grants: CheckedGrant[] = [];
  const held: Role[] = [];
  for (const requested of input.roles) {
    const grant = await checkGrant(ctx.db, actor, requested, held);
    if (grants.some((g) => g.role === grant.role && g.unit.id === grant.unit.id && g.orgId === grant.orgId))
      continue;
    grants.push(grant);
    held.push(grant.role);
  }
  const phone = input.phone ? normalizePhone(input.phone) : null;
  assertPasswordRules(input.password, { username: input.username, phone });
  if (await findUserByUsername(ctx.db, input.username)) throw usernameTaken();
  if (phone && (await findUserByPhoneIndex(ctx.db, ctx.cipher.blindIndex(phone)))) throw phoneTaken();

  try {
    return await inTransaction(ctx.db, async (trx) => {
      const userId = await insertUser(trx, ctx.cipher, {
        kind: 'staff',
        username: input.username,
        displayName: input.displayName,
        phone,
        password: input.password,
        passwordMustChange: true,
        streetId: grants[0]!.unit.streetId,
      });
      const place = { unitPath: grants[0]!.unit.path, streetId: grants[0]!.unit.streetId };
      await recordSecurityEvent(trx, {
        action: 'account_created',
        outcome: 'success',
        actorId: actor.userId,
        subjectId: userId,
        place,
        details: { kind: 'staff', username: input.username },
        client,
      });
      for (const grant of grants) {
        const assignmentId = await grantRole(trx, {
          userId,
          role: grant.role,
          unitId: grant.unit.id,
          orgId: grant.orgId,
          grantedBy: actor.userId,
        });
        await recordSecurityEvent(trx, {
          action: 'role_granted',
          outcome: 'success',
          actorId: actor.userId,
          subjectId: userId,
          place: { unitPath: grant.unit.path, streetId: grant.unit.streetId },
          details: { assignmentId, role: grant.role, unitId: grant.unit.id, orgId: grant.orgId },
          client,
        });
      }
      return (await loadAccount(trx, userId))!;
    });
  } catch (error) {
    // A parallel request took the name or number between the check and the insert.
    if (isUniqueViolation(error, 'users_username_key')) throw usernameTaken();
    if (isUniqueViolation(error, 'users_phone_index_key')) throw phoneTaken();
    throw error;
  }
}
