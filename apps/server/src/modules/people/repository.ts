import { hash as argon2Hash } from '@node-rs/argon2';
import type { FieldCipher } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import type { Role } from '../../policy/index.ts';
import { maskPhone, normalizePhone } from '../../privacy/mask.ts';

export interface NewUser {
  id?: string;
  kind: 'staff' | 'resident';
  displayName: string;
  username?: string | null;
  phone?: string | null;
  password?: string | null;
  householdId?: string | null;
  homeUnitId?: string | null;
  streetId?: string | null;
}

/** Argon2id with the OWASP-recommended parameters (19 MiB, 2 passes). */
export function hashPassword(password: string): Promise<string> {
  return argon2Hash(password, { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

export async function insertUser(db: Db, cipher: FieldCipher, user: NewUser): Promise<string> {
  const id = user.id ?? crypto.randomUUID();
  const phone = user.phone ? normalizePhone(user.phone) : null;
  await db
    .insertInto('users')
    .values({
      id,
      kind: user.kind,
      username: user.username ?? null,
      display_name: user.displayName,
      phone_enc: phone ? cipher.encrypt(phone) : null,
      phone_index: phone ? cipher.blindIndex(phone) : null,
      phone_masked: phone ? maskPhone(phone) : null,
      password_hash: user.password ? await hashPassword(user.password) : null,
      password_changed_at: user.password ? new Date() : null,
      household_id: user.householdId ?? null,
      home_unit_id: user.homeUnitId ?? null,
      street_id: user.streetId ?? null,
    })
    .execute();
  return id;
}

export async function grantRole(
  db: Db,
  grant: { userId: string; role: Role; unitId: string; orgId?: string | null; grantedBy?: string | null },
): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .insertInto('role_assignments')
    .values({
      id,
      user_id: grant.userId,
      role: grant.role,
      unit_id: grant.unitId,
      org_id: grant.orgId ?? null,
      granted_by: grant.grantedBy ?? null,
    })
    .execute();
  return id;
}
