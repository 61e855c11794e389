import type { UserRole } from '@minqing/contract';
import type { FieldCipher } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import { normalizePhone } from '../../privacy/mask.ts';
import { findUnitByCode } from '../areas/repository.ts';
import { assertPasswordRules } from './passwords.ts';
import { assertRoleFitsUnit } from './policy.ts';
import { findUserByPhoneIndex, findUserByUsername, grantRole, insertUser } from './repository.ts';
import { recordSecurityEvent } from './security-events.ts';

/** The three duties (三员) the operator of the server may appoint from the command line. */
export const BOOTSTRAP_ROLES = [
  'system_admin',
  'security_officer',
  'auditor',
] as const satisfies readonly UserRole[];
export type BootstrapRole = (typeof BOOTSTRAP_ROLES)[number];

export interface NewAdministrator {
  username: string;
  displayName: string;
  password: string;
  phone?: string | undefined;
  unitCode: string;
  role: BootstrapRole;
}

/**
 * Creates a system administrator, security officer or auditor at a street (or above) on behalf of
 * the server's operator — the first accounts of a fresh installation, or a way back in when every
 * administrator is locked out. The password meets the rules and must be changed at first sign-in.
 */
export async function createAdministrator(
  db: Db,
  cipher: FieldCipher,
  input: NewAdministrator,
): Promise<{ userId: string; unitName: string }> {
  const username = input.username.trim().toLowerCase();
  if (!/^[a-z][a-z0-9_.-]{2,31}$/.test(username)) {
    throw errors.badRequest({
      zh: '用户名为 3–32 位，以字母开头，只含字母、数字、下划线、点和连字符',
      en: 'A username has 3–32 characters: a letter first, then letters, digits, _ . -',
    });
  }
  const unit = await findUnitByCode(db, input.unitCode);
  if (!unit || !unit.isActive)
    throw errors.notFound({ zh: `单位 ${input.unitCode}`, en: `Unit ${input.unitCode}` });
  assertRoleFitsUnit(input.role, unit);
  const phone = input.phone ? normalizePhone(input.phone) : null;
  assertPasswordRules(input.password, { username, phone });
  if (await findUserByUsername(db, username)) {
    throw errors.conflict('username_taken', { zh: '用户名已被使用', en: 'The username is already taken' });
  }
  if (phone && (await findUserByPhoneIndex(db, cipher.blindIndex(phone)))) {
    throw errors.conflict('phone_taken', {
      zh: '该手机号已绑定其他账号',
      en: 'The mobile number belongs to another account',
    });
  }
  const userId = await inTransaction(db, async (trx) => {
    const id = await insertUser(trx, cipher, {
      kind: 'staff',
      username,
      displayName: input.displayName,
      phone,
      password: input.password,
      passwordMustChange: true,
      streetId: unit.streetId,
    });
    await grantRole(trx, { userId: id, role: input.role, unitId: unit.id });
    await recordSecurityEvent(trx, {
      action: 'account_created',
      outcome: 'success',
      actorId: null,
      subjectId: id,
      place: { unitPath: unit.path, streetId: unit.streetId },
      details: { via: 'command_line', role: input.role, unitId: unit.id, username },
      client: { ip: null, userAgent: 'minqing create-admin' },
    });
    return id;
  });
  return { userId, unitName: unit.name };
}
