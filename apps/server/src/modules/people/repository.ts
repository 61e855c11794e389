import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { FieldCipher } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import type { DB, UsersTable } from '../../db/schema.generated.ts';
import type { Role } from '../../policy/index.ts';
import { maskPhone, normalizePhone } from '../../privacy/mask.ts';
import { hashPassword } from './passwords.ts';

export { hashPassword } from './passwords.ts';

export interface NewUser {
  id?: string;
  kind: 'staff' | 'resident';
  displayName: string;
  username?: string | null;
  phone?: string | null;
  password?: string | null;
  passwordMustChange?: boolean;
  householdId?: string | null;
  homeUnitId?: string | null;
  streetId?: string | null;
}

export type UserRow = Selectable<UsersTable>;

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
      password_must_change: user.passwordMustChange ?? false,
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

// ---------------------------------------------------------------------------------------------
// Reading accounts

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Reads an account and locks its row: changes to one account (and its sign-in counters) serialise. */
export async function lockUser(trx: Db, id: string): Promise<UserRow | undefined> {
  return trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findUserByPhoneIndex(db: Db, phoneIndex: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('phone_index', '=', phoneIndex).executeTakeFirst();
}

export interface UnitSummaryRow {
  id: string;
  name: string;
  kind: string;
  code: string;
  path: string;
}

export interface RoleAssignmentRow {
  id: string;
  userId: string;
  role: Role;
  unit: UnitSummaryRow;
  org: { id: string; name: string } | null;
  grantedAt: Date;
  grantedBy: { id: string; name: string } | null;
}

/** The current (unrevoked) role assignments of the given accounts, with their units and organisations. */
export async function listActiveAssignments(
  db: Db,
  userIds: readonly string[],
): Promise<RoleAssignmentRow[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('units as u', 'u.id', 'ra.unit_id')
    .leftJoin('organisations as o', 'o.id', 'ra.org_id')
    .leftJoin('users as g', 'g.id', 'ra.granted_by')
    .select([
      'ra.id',
      'ra.user_id',
      'ra.role',
      'ra.granted_at',
      'u.id as unit_id',
      'u.name as unit_name',
      'u.kind as unit_kind',
      'u.code as unit_code',
      'u.path as unit_path',
      'o.id as org_id',
      'o.name as org_name',
      'g.id as granter_id',
      'g.display_name as granter_name',
    ])
    .where('ra.user_id', 'in', userIds)
    .where('ra.revoked_at', 'is', null)
    .orderBy('ra.granted_at')
    .orderBy('ra.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    role: row.role as Role,
    unit: {
      id: row.unit_id,
      name: row.unit_name,
      kind: row.unit_kind,
      code: row.unit_code,
      path: row.unit_path,
    },
    org: row.org_id && row.org_name ? { id: row.org_id, name: row.org_name } : null,
    grantedAt: row.granted_at,
    grantedBy: row.granter_id && row.granter_name ? { id: row.granter_id, name: row.granter_name } : null,
  }));
}

export async function findActiveAssignment(
  db: Db,
  userId: string,
  assignmentId: string,
): Promise<RoleAssignmentRow | undefined> {
  const rows = await listActiveAssignments(db, [userId]);
  return rows.find((row) => row.id === assignmentId);
}

export async function findUnitSummaries(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, UnitSummaryRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('units')
    .select(['id', 'name', 'kind', 'code', 'path'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((row) => [row.id, row]));
}

export interface OrganisationRow {
  id: string;
  name: string;
  isActive: boolean;
  unitPath: string;
}

export async function findOrganisation(db: Db, id: string): Promise<OrganisationRow | undefined> {
  const row = await db
    .selectFrom('organisations as o')
    .innerJoin('units as u', 'u.id', 'o.unit_id')
    .select(['o.id', 'o.name', 'o.is_active', 'u.path'])
    .where('o.id', '=', id)
    .executeTakeFirst();
  return row ? { id: row.id, name: row.name, isActive: row.is_active, unitPath: row.path } : undefined;
}

// ---------------------------------------------------------------------------------------------
// Searching accounts inside a scope

export interface UserSearch {
  /** Unit path prefixes the caller may see; an account is in scope when one of its anchors is below one. */
  scopePaths: readonly string[];
  nameOrUsername?: string | undefined;
  phoneIndex?: string | undefined;
  kind?: 'staff' | 'resident' | undefined;
  role?: Role | undefined;
  unitPath?: string | undefined;
  isActive?: boolean | undefined;
  afterId?: string | undefined;
  limit: number;
}

/** `units.path` lies under one of the prefixes (the unit itself or below). */
function pathUnder(prefixes: readonly string[]) {
  if (prefixes.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(
    prefixes.map((prefix) => sql`units.path like ${`${escapeLike(prefix)}%`}`),
    sql` or `,
  )})`;
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (match) => `\\${match}`);
}

/** Accounts placed inside `prefixes`: by an active role there, their home there, or their street there. */
function placedUnder(eb: ExpressionBuilder<DB, 'users'>, prefixes: readonly string[], role?: Role) {
  const byRole = eb.exists(
    eb
      .selectFrom('role_assignments as ra')
      .innerJoin('units', 'units.id', 'ra.unit_id')
      .select(sql.lit(1).as('one'))
      .whereRef('ra.user_id', '=', 'users.id')
      .where('ra.revoked_at', 'is', null)
      .$if(role !== undefined, (qb) => qb.where('ra.role', '=', role!))
      .where(pathUnder(prefixes)),
  );
  if (role !== undefined) return byRole;
  const byUnit = (column: 'users.home_unit_id' | 'users.street_id') =>
    eb.exists(
      eb
        .selectFrom('units')
        .select(sql.lit(1).as('one'))
        .whereRef('units.id', '=', column)
        .where(pathUnder(prefixes)),
    );
  return eb.or([byRole, byUnit('users.home_unit_id'), byUnit('users.street_id')]);
}

export async function searchUsers(db: Db, search: UserSearch): Promise<UserRow[]> {
  if (search.scopePaths.length === 0) return [];
  let query = db
    .selectFrom('users')
    .selectAll('users')
    .where((eb) => placedUnder(eb, search.scopePaths));
  if (search.role !== undefined) {
    query = query.where((eb) =>
      placedUnder(eb, search.unitPath ? [search.unitPath] : search.scopePaths, search.role),
    );
  } else if (search.unitPath !== undefined) {
    query = query.where((eb) => placedUnder(eb, [search.unitPath!]));
  }
  if (search.kind) query = query.where('users.kind', '=', search.kind);
  if (search.isActive !== undefined) query = query.where('users.is_active', '=', search.isActive);
  if (search.phoneIndex) query = query.where('users.phone_index', '=', search.phoneIndex);
  if (search.nameOrUsername) {
    const text = escapeLike(search.nameOrUsername);
    query = query.where((eb) =>
      eb.or([
        eb('users.display_name', 'ilike', `%${text}%`),
        eb('users.username', 'like', `${text.toLowerCase()}%`),
      ]),
    );
  }
  if (search.afterId) {
    // Keyset on (created_at, id) read from the row itself, so no timestamp precision is lost in a cursor.
    query = query.where(
      sql<boolean>`(users.created_at, users.id) < (select c.created_at, c.id from users c where c.id = ${search.afterId})`,
    );
  }
  return query.orderBy('users.created_at', 'desc').orderBy('users.id', 'desc').limit(search.limit).execute();
}

// ---------------------------------------------------------------------------------------------
// Changing accounts

export async function updateUser(
  trx: Db,
  id: string,
  changes: Partial<
    Pick<
      UserRow,
      | 'display_name'
      | 'is_active'
      | 'deactivated_at'
      | 'password_hash'
      | 'password_changed_at'
      | 'password_must_change'
      | 'failed_logins'
      | 'locked_until'
      | 'last_login_at'
      | 'totp_secret_enc'
      | 'totp_pending_secret_enc'
      | 'totp_enabled_at'
      | 'totp_last_step'
      | 'home_unit_id'
      | 'household_id'
      | 'street_id'
    >
  >,
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/**
 * SQL for "one more failure": a lock that has run out starts the count again at 1, and reaching
 * `maxFailures` sets a lock of `lockMinutes`. Used for accounts and for unknown sign-in names alike.
 */
function failureCounting(countColumn: string, lockColumn: string, maxFailures: number, lockMinutes: number) {
  const count = sql.ref(countColumn);
  const lock = sql.ref(lockColumn);
  const next = sql<number>`(case when ${lock} <= now() then 1 else ${count} + 1 end)`;
  return {
    count: next,
    lock: sql<Date | null>`(case when ${next} >= ${maxFailures} then now() + make_interval(mins => ${lockMinutes})
      when ${lock} <= now() then null else ${lock} end)`,
  };
}

export interface FailureCount {
  failures: number;
  /** Set when this failure locked the sign-in. */
  lockedUntil: Date | null;
}

function toFailureCount(row: { failures: number; locked_until: Date | null }): FailureCount {
  const isLocked = row.locked_until !== null && row.locked_until.getTime() > Date.now();
  return { failures: row.failures, lockedUntil: isLocked ? row.locked_until : null };
}

/** Counts one more failed sign-in of an account, atomically, so parallel guesses cannot slip past the limit. */
export async function countFailedLogin(
  db: Db,
  userId: string,
  maxFailures: number,
  lockMinutes: number,
): Promise<FailureCount> {
  const next = failureCounting('failed_logins', 'locked_until', maxFailures, lockMinutes);
  const row = await db
    .updateTable('users')
    .set({ failed_logins: next.count, locked_until: next.lock })
    .where('id', '=', userId)
    .returning(['failed_logins as failures', 'locked_until'])
    .executeTakeFirstOrThrow();
  return toFailureCount(row);
}

/** The same counting for a sign-in name that matches no account (docs/decisions/0200). */
export async function countFailedUnknownLogin(
  db: Db,
  loginKey: string,
  maxFailures: number,
  lockMinutes: number,
): Promise<FailureCount> {
  const next = failureCounting(
    'login_throttle.failures',
    'login_throttle.locked_until',
    maxFailures,
    lockMinutes,
  );
  const row = await db
    .insertInto('login_throttle')
    .values({ login_key: loginKey, failures: 1 })
    .onConflict((oc) =>
      oc
        .column('login_key')
        .doUpdateSet({ failures: next.count, locked_until: next.lock, updated_at: sql`now()` }),
    )
    .returning(['failures', 'locked_until'])
    .executeTakeFirstOrThrow();
  return toFailureCount(row);
}

export async function unknownLoginLockedUntil(db: Db, loginKey: string): Promise<Date | null> {
  const row = await db
    .selectFrom('login_throttle')
    .select('locked_until')
    .where('login_key', '=', loginKey)
    .where('locked_until', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row?.locked_until ?? null;
}

export async function findActiveGrant(
  db: Db,
  grant: { userId: string; role: Role; unitId: string; orgId: string | null },
): Promise<string | undefined> {
  const row = await db
    .selectFrom('role_assignments')
    .select('id')
    .where('user_id', '=', grant.userId)
    .where('role', '=', grant.role)
    .where('unit_id', '=', grant.unitId)
    .where((eb) => (grant.orgId ? eb('org_id', '=', grant.orgId) : eb('org_id', 'is', null)))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.id;
}

export async function revokeAssignment(trx: Db, assignmentId: string): Promise<boolean> {
  const result = await trx
    .updateTable('role_assignments')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', assignmentId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Ends a resident's earlier community membership when they move to another. */
export async function revokeRoleEverywhere(trx: Db, userId: string, role: Role): Promise<number> {
  const result = await trx
    .updateTable('role_assignments')
    .set({ revoked_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('role', '=', role)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---------------------------------------------------------------------------------------------
// Personal-data access log (PIPL art. 28)

export async function logAccess(
  trx: Db,
  entry: {
    actorId: string;
    action: string;
    recordType: string;
    recordId: string;
    fields: string[];
    purpose: string;
    ip: string | null;
  },
): Promise<number> {
  const row = await trx
    .insertInto('access_log')
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      record_type: entry.recordType,
      record_id: entry.recordId,
      fields: entry.fields,
      purpose: entry.purpose,
      ip: entry.ip,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
