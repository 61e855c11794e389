import type { CaseState } from '@minqing/contract';
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Selectable,
  type SqlBool,
  type Updateable,
} from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CasesTable, DB } from '../../db/schema.generated.ts';

/** The SQL of the case module. Nothing else in the module writes a query. */

export type CaseRow = Selectable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;

/** Case numbers for `count` new cases, in one statement (a batch of reports needs one each). */
export async function nextCaseNumbers(trx: Db, count: number): Promise<number[]> {
  const { rows } = await sql<{ n: number }>`
    SELECT nextval('case_number_seq') AS n FROM generate_series(1, ${count})`.execute(trx);
  return rows.map((row) => Number(row.n));
}

export interface IdempotencyClaim {
  actorKey: string;
  key: string;
  requestHash: string;
  response: unknown;
}

/**
 * Claims idempotency keys with their answers, in the caller's transaction. The primary key decides:
 * a key someone already holds (committed, or committed by a concurrent batch we waited for) is not
 * returned, and its first answer is read with `readIdempotencyAnswers`.
 */
export async function claimIdempotencyKeys(trx: Db, claims: IdempotencyClaim[]): Promise<Set<string>> {
  if (claims.length === 0) return new Set();
  const rows = await trx
    .insertInto('idempotency_keys')
    .values(
      claims.map((claim) => ({
        actor_key: claim.actorKey,
        key: claim.key,
        request_hash: claim.requestHash,
        status: 201,
        response: JSON.stringify(claim.response),
      })),
    )
    .onConflict((oc) => oc.columns(['actor_key', 'key']).doNothing())
    .returning(['actor_key', 'key'])
    .execute();
  return new Set(rows.map((row) => `${row.actor_key}\n${row.key}`));
}

export async function readIdempotencyAnswers(
  trx: Db,
  keys: { actorKey: string; key: string }[],
): Promise<Map<string, { requestHash: string; response: unknown }>> {
  if (keys.length === 0) return new Map();
  const rows = await trx
    .selectFrom('idempotency_keys')
    .select(['actor_key', 'key', 'request_hash', 'response'])
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('actor_key', '=', k.actorKey), eb('key', '=', k.key)]))))
    .execute();
  return new Map(
    rows.map((row) => [
      `${row.actor_key}\n${row.key}`,
      { requestHash: row.request_hash, response: row.response },
    ]),
  );
}

/** Forgets case-intake idempotency keys older than `before` (a client retries within minutes, not weeks). */
export async function deleteIdempotencyKeysBefore(db: Db, prefix: string, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('actor_key', 'like', `${prefix}%`)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Inserts new cases in one statement. The rows travel as one JSON parameter instead of ~50 parameters
 * per row: on PGlite, binding thousands of parameters costs more than PostgreSQL's JSON parser does.
 * The columns are named, so any column the rows leave out keeps its default.
 */
export async function insertCases(trx: Db, rows: CaseRow[]): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const columns = sql.join(Object.keys(first).map((column) => sql.ref(column)));
  await sql`
    INSERT INTO cases (${columns})
    SELECT ${columns} FROM json_populate_recordset(NULL::cases, ${JSON.stringify(rows)}::json)`.execute(trx);
}

/** Reads a case and locks its row until the transaction ends: writes on one case serialise here. */
export async function lockCase(trx: Db, id: string): Promise<CaseRow | undefined> {
  return trx.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Locks several cases in id order, so two merges of the same pair cannot deadlock. */
export async function lockCases(trx: Db, ids: string[]): Promise<CaseRow[]> {
  return trx.selectFrom('cases').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
}

export async function findCase(db: Db, id: string): Promise<CaseRow | undefined> {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateCase(trx: Db, id: string, changes: CaseUpdate): Promise<void> {
  await trx
    .updateTable('cases')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** People holding `role` at one of `unitIds` (exactly there, not below), or for organisation `orgId`. */
export async function usersWithRole(
  db: Db,
  role: string,
  where: { unitIds?: string[]; orgId?: string },
): Promise<string[]> {
  let query = db
    .selectFrom('role_assignments as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select('r.user_id')
    .distinct()
    .where('r.role', '=', role)
    .where('r.revoked_at', 'is', null)
    .where('u.is_active', '=', true);
  if (where.unitIds) {
    if (where.unitIds.length === 0) return [];
    query = query.where('r.unit_id', 'in', where.unitIds);
  }
  if (where.orgId) query = query.where('r.org_id', '=', where.orgId);
  const rows = await query.execute();
  return rows.map((row) => row.user_id);
}

/** Is `userId` an active handler of organisation `orgId`, or a grid worker whose grant covers `gridPath`? */
export async function canTakeAssignment(
  db: Db,
  userId: string,
  orgId: string | null,
  gridPath: string | null,
): Promise<boolean> {
  const rows = await db
    .selectFrom('role_assignments as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .innerJoin('users as p', 'p.id', 'r.user_id')
    .select(['r.role', 'r.org_id', 'u.path'])
    .where('r.user_id', '=', userId)
    .where('r.revoked_at', 'is', null)
    .where('p.is_active', '=', true)
    .where('r.role', 'in', ['handler', 'grid_worker'])
    .execute();
  return rows.some(
    (row) =>
      (row.role === 'handler' && orgId !== null && row.org_id === orgId) ||
      (row.role === 'grid_worker' && gridPath !== null && gridPath.startsWith(row.path)),
  );
}

export interface CaseListRow extends CaseRow {
  org_name: string | null;
  assignee_name: string | null;
  grid_name: string | null;
}

export interface CaseListFilter {
  scope: { paths: string[]; orgIds: string[]; userId: string };
  states?: CaseState[];
  categoryPrefix?: string;
  unitPath?: string;
  sources?: string[];
  overdueAt?: Date;
  dueBetween?: [Date, Date];
  openStates: readonly CaseState[];
  reportedFrom?: Date;
  reportedTo?: Date;
  mine?: 'assigned' | 'org' | 'reported';
  /** Open cases escalated to one of these units (the caller's admin units). */
  escalatedTo?: string[];
  text?: string;
  after?: { reportedAt: Date; id: string };
  limit: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The cases a list scope may see (docs/decisions/0401): under the units of the caller's roles, dispatched
 * to their organisations, assigned to them, or reported by them. Lists and the console's queue counts
 * use this one predicate, so a count always matches its list.
 */
export function visibleCases(
  eb: ExpressionBuilder<DB & { c: CasesTable }, 'c'>,
  scope: CaseListFilter['scope'],
): Expression<SqlBool> {
  const visible: Expression<SqlBool>[] = scope.paths.map((path) =>
    eb('c.unit_path', 'like', `${escapeLike(path)}%`),
  );
  if (scope.orgIds.length > 0) {
    visible.push(eb.and([eb('c.org_id', 'in', scope.orgIds), eb('c.dispatched_at', 'is not', null)]));
  }
  visible.push(eb('c.assignee_id', '=', scope.userId));
  visible.push(eb('c.reporter_id', '=', scope.userId));
  return eb.or(visible);
}

/**
 * The conditions of a case-list filter other than visibility (and the keyset), as expressions on
 * `cases as c`: the list pages with them, and the console counts its queues with them, so a count and
 * its list can never disagree.
 */
export function caseFilterConditions(
  eb: ExpressionBuilder<DB & { c: CasesTable }, 'c'>,
  filter: Omit<CaseListFilter, 'limit' | 'after' | 'scope'> & { scope?: CaseListFilter['scope'] },
): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  const { scope } = filter;
  if (filter.states) out.push(eb('c.state', 'in', filter.states));
  if (filter.categoryPrefix) out.push(eb('c.category_code', 'like', `${filter.categoryPrefix}%`));
  if (filter.unitPath) out.push(eb('c.unit_path', 'like', `${escapeLike(filter.unitPath)}%`));
  if (filter.sources) out.push(eb('c.source', 'in', filter.sources));
  if (filter.overdueAt) {
    out.push(eb('c.state', 'in', filter.openStates), eb('c.due_at', '<', filter.overdueAt));
  }
  if (filter.dueBetween) {
    out.push(
      eb('c.state', 'in', filter.openStates),
      eb('c.due_at', '>=', filter.dueBetween[0]),
      eb('c.due_at', '<=', filter.dueBetween[1]),
    );
  }
  if (filter.reportedFrom) out.push(eb('c.reported_at', '>=', filter.reportedFrom));
  if (filter.reportedTo) out.push(eb('c.reported_at', '<', filter.reportedTo));
  if (filter.mine && scope) {
    if (filter.mine === 'assigned') out.push(eb('c.assignee_id', '=', scope.userId));
    if (filter.mine === 'reported') out.push(eb('c.reporter_id', '=', scope.userId));
    if (filter.mine === 'org') {
      out.push(
        scope.orgIds.length > 0
          ? eb.and([eb('c.org_id', 'in', scope.orgIds), eb('c.dispatched_at', 'is not', null)])
          : sql<boolean>`false`,
      );
    }
  }
  if (filter.escalatedTo) {
    out.push(
      filter.escalatedTo.length > 0
        ? eb.and([
            eb('c.state', 'in', filter.openStates),
            eb('c.escalated_to_unit_id', 'in', filter.escalatedTo),
          ])
        : sql<boolean>`false`,
    );
  }
  if (filter.text) {
    const pattern = `%${escapeLike(filter.text)}%`;
    out.push(
      eb.or([
        eb('c.code', 'ilike', pattern),
        eb('c.address', 'ilike', pattern),
        eb('c.description', 'ilike', pattern),
      ]),
    );
  }
  return out;
}

/** One page of cases, newest report first, (reported_at, id) as the keyset so pages never shift. */
export async function listCases(db: Db, filter: CaseListFilter): Promise<CaseListRow[]> {
  const { scope } = filter;
  let query = db
    .selectFrom('cases as c')
    .leftJoin('organisations as o', 'o.id', 'c.org_id')
    .leftJoin('users as a', 'a.id', 'c.assignee_id')
    .leftJoin('units as g', 'g.id', 'c.grid_id')
    .selectAll('c')
    .select(['o.name as org_name', 'a.display_name as assignee_name', 'g.name as grid_name'])
    .where((eb) => eb.and([visibleCases(eb, scope), ...caseFilterConditions(eb, filter)]));
  if (filter.after) {
    const { reportedAt, id } = filter.after;
    query = query.where((eb) =>
      eb.or([
        eb('c.reported_at', '<', reportedAt),
        eb.and([eb('c.reported_at', '=', reportedAt), eb('c.id', '<', id)]),
      ]),
    );
  }
  return query.orderBy('c.reported_at', 'desc').orderBy('c.id', 'desc').limit(filter.limit).execute();
}

/** A case with the names a detail page shows. */
export async function findCaseWithNames(db: Db, id: string): Promise<CaseListRow | undefined> {
  return db
    .selectFrom('cases as c')
    .leftJoin('organisations as o', 'o.id', 'c.org_id')
    .leftJoin('users as a', 'a.id', 'c.assignee_id')
    .leftJoin('units as g', 'g.id', 'c.grid_id')
    .selectAll('c')
    .select(['o.name as org_name', 'a.display_name as assignee_name', 'g.name as grid_name'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

/** A resident's own household (or home unit): where their report is when they give no location. */
export async function homeUnitOf(db: Db, userId: string): Promise<string | undefined> {
  const home = await db
    .selectFrom('users')
    .select(['household_id', 'home_unit_id'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return home?.household_id ?? home?.home_unit_id ?? undefined;
}

/** The encrypted phone of a reporter who reported through their own account. */
export async function reporterPhoneOf(db: Db, userId: string): Promise<string | null> {
  const row = await db.selectFrom('users').select('phone_enc').where('id', '=', userId).executeTakeFirst();
  return row?.phone_enc ?? null;
}

export interface TimelineRow {
  seq: number;
  action: string;
  actor_id: string | null;
  actor_role: string | null;
  actor_name: string | null;
  at: Date;
  payload: unknown;
  hash: string;
}

/** A case's journal entries in chain order, with the display name of each actor. */
export async function readTimeline(db: Db, caseId: string): Promise<TimelineRow[]> {
  const rows = await db
    .selectFrom('journal_entries as j')
    .leftJoin('users as u', 'u.id', 'j.actor_id')
    .select([
      'j.seq',
      'j.action',
      'j.actor_id',
      'j.actor_role',
      'u.display_name as actor_name',
      'j.at',
      'j.payload',
      'j.hash',
    ])
    .where('j.record_type', '=', 'case')
    .where('j.record_id', '=', caseId)
    .orderBy('j.seq')
    .execute();
  return rows;
}

/** The photos of a case with the content hash of each, in the order they were added. */
export async function readPhotos(db: Db, caseId: string) {
  return db
    .selectFrom('case_photos as p')
    .innerJoin('uploads as u', 'u.id', 'p.upload_id')
    .select(['p.upload_id', 'u.sha256', 'p.stage', 'p.added_at'])
    .where('p.case_id', '=', caseId)
    .orderBy('p.added_at')
    .orderBy('p.upload_id')
    .execute();
}

/** Open cases of a category inside a bounding box (the caller measures the real distance). */
export async function casesInBox(
  db: Db,
  box: { minLng: number; maxLng: number; minLat: number; maxLat: number },
  categoryCode: string,
  states: readonly CaseState[],
) {
  return db
    .selectFrom('cases')
    .select([
      'id',
      'code',
      'category_code',
      'state',
      'lng',
      'lat',
      'reported_at',
      'description',
      'unit_path',
      'street_id',
      'community_id',
      'grid_id',
      'source',
      'org_id',
      'dispatched_at',
      'assignee_id',
      'reporter_id',
      'handled_by',
      'escalated_to_unit_id',
    ])
    .where('lng', '>=', box.minLng)
    .where('lng', '<=', box.maxLng)
    .where('lat', '>=', box.minLat)
    .where('lat', '<=', box.maxLat)
    .where('category_code', '=', categoryCode)
    .where('state', 'in', states)
    .limit(500)
    .execute();
}

/** Cases whose next check is due, oldest first. */
export async function dueCaseIds(db: Db, now: Date, limit: number, streetId?: string): Promise<string[]> {
  let query = db
    .selectFrom('cases')
    .select('id')
    .where('next_check_at', '<=', now)
    .orderBy('next_check_at')
    .limit(limit);
  if (streetId) query = query.where('street_id', '=', streetId);
  const rows = await query.execute();
  return rows.map((row) => row.id);
}

/** Locks a due case for the scheduler, skipping it when a person is changing it right now. */
export async function lockDueCase(trx: Db, id: string, now: Date): Promise<CaseRow | undefined> {
  return trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', id)
    .where('next_check_at', '<=', now)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

/** Records who read a reporter's full contact and why (PIPL; kept with the access log's retention). */
export async function logContactRead(
  db: Db,
  entry: { actorId: string; caseId: string; purpose: string; ip: string | null },
): Promise<void> {
  await db
    .insertInto('access_log')
    .values({
      actor_id: entry.actorId,
      action: 'reveal_reporter_contact',
      record_type: 'case',
      record_id: entry.caseId,
      fields: ['reporter_name', 'reporter_phone'],
      purpose: entry.purpose,
      ip: entry.ip,
    })
    .execute();
}

/**
 * Runs `work` while this process holds the session-level advisory lock named `name` on one pinned
 * connection of the pool; the work itself runs on other connections. Null when another process holds it.
 */
export async function withAdvisoryLock<T>(db: Db, name: string, work: () => Promise<T>): Promise<T | null> {
  return db.connection().execute(async (conn) => {
    const { rows } = await sql<{ locked: boolean }>`
      SELECT pg_try_advisory_lock(hashtextextended(${name}, 0)) AS locked`.execute(conn);
    if (!rows[0]?.locked) return null;
    try {
      return await work();
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtextextended(${name}, 0))`.execute(conn);
    }
  });
}
