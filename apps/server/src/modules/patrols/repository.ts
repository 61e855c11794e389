import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type {
  PatrolCheckinsTable,
  PatrolFindingsTable,
  PatrolPlansTable,
  PatrolPointBatchesTable,
  PatrolsTable,
} from '../../db/schema.generated.ts';

/** Every SQL statement of the patrols module. */

export type PatrolRow = Selectable<PatrolsTable>;
export type PatrolUpdate = Updateable<PatrolsTable>;
export type PlanRow = Selectable<PatrolPlansTable>;
export type CheckinRow = Selectable<PatrolCheckinsTable>;
export type FindingRow = Selectable<PatrolFindingsTable>;

export interface PatrolWithNames extends PatrolRow {
  grid_name: string;
  worker_name: string;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

// ---- patrols -------------------------------------------------------------------------------------

export async function findPatrolAccess(
  db: Db,
  id: string,
): Promise<{ worker_id: string; unit_path: string; state: string } | undefined> {
  return db
    .selectFrom('patrols')
    .select(['worker_id', 'unit_path', 'state'])
    .where('id', '=', id)
    .executeTakeFirst();
}

function patrolsWithNames(db: Db) {
  return db
    .selectFrom('patrols as p')
    .innerJoin('units as g', 'g.id', 'p.grid_id')
    .innerJoin('users as w', 'w.id', 'p.worker_id')
    .selectAll('p')
    .select(['g.name as grid_name', 'w.display_name as worker_name']);
}

export async function findPatrol(db: Db, id: string): Promise<PatrolWithNames | undefined> {
  return patrolsWithNames(db).where('p.id', '=', id).executeTakeFirst();
}

/** Locks a patrol's row for the rest of the transaction: its chain and counters change one at a time. */
export async function lockPatrol(trx: Db, id: string): Promise<PatrolRow | undefined> {
  return trx.selectFrom('patrols').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function lockActivePatrolOf(trx: Db, workerId: string): Promise<PatrolRow | undefined> {
  return trx
    .selectFrom('patrols')
    .selectAll()
    .where('worker_id', '=', workerId)
    .where('state', '=', 'active')
    .forUpdate()
    .executeTakeFirst();
}

export async function insertPatrol(trx: Db, row: Insertable<PatrolsTable>): Promise<void> {
  await trx.insertInto('patrols').values(row).execute();
}

export async function updatePatrol(trx: Db, id: string, changes: PatrolUpdate): Promise<void> {
  await trx
    .updateTable('patrols')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export interface PatrolListQuery {
  /** Supervised unit paths; patrols under any of them are listed. */
  paths: string[];
  /** The caller's own patrols are listed as well. */
  workerId: string | null;
  onlyMine: boolean;
  unitPath?: string | undefined;
  state?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** keyset: (started_at, id) strictly before this */
  before?: { startedAt: Date; id: string } | undefined;
  limit: number;
}

export async function listPatrols(db: Db, query: PatrolListQuery): Promise<PatrolWithNames[]> {
  let select = patrolsWithNames(db)
    .orderBy('p.started_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(query.limit);
  select = select.where((eb) => {
    const visible = [];
    if (query.workerId) visible.push(eb('p.worker_id', '=', query.workerId));
    if (!query.onlyMine) {
      for (const path of query.paths) visible.push(eb('p.unit_path', 'like', `${escapeLike(path)}%`));
    }
    return visible.length > 0 ? eb.or(visible) : eb.val(false);
  });
  if (query.unitPath) select = select.where('p.unit_path', 'like', `${escapeLike(query.unitPath)}%`);
  if (query.state) select = select.where('p.state', '=', query.state);
  if (query.from) select = select.where('p.started_at', '>=', query.from);
  if (query.to) select = select.where('p.started_at', '<', query.to);
  if (query.before) {
    const { startedAt, id } = query.before;
    select = select.where((eb) =>
      eb.or([
        eb('p.started_at', '<', startedAt),
        eb.and([eb('p.started_at', '=', startedAt), eb('p.id', '<', id)]),
      ]),
    );
  }
  return select.execute();
}

/** Active patrols under any of the paths (the live map), with the grid's centre for coarse display. */
export async function listActivePatrols(
  db: Db,
  paths: string[],
): Promise<(PatrolWithNames & { centroid_lng: number | null; centroid_lat: number | null })[]> {
  if (paths.length === 0) return [];
  return db
    .selectFrom('patrols as p')
    .innerJoin('units as g', 'g.id', 'p.grid_id')
    .innerJoin('users as w', 'w.id', 'p.worker_id')
    .selectAll('p')
    .select([
      'g.name as grid_name',
      'w.display_name as worker_name',
      'g.centroid_lng as centroid_lng',
      'g.centroid_lat as centroid_lat',
    ])
    .where('p.state', '=', 'active')
    .where((eb) => eb.or(paths.map((path) => eb('p.unit_path', 'like', `${escapeLike(path)}%`))))
    .orderBy('p.started_at')
    .limit(2000)
    .execute();
}

/** What the schedule needs of each patrol started in a period under a unit. */
export async function patrolsStartedBetween(
  db: Db,
  unitPath: string | null,
  from: Date,
  to: Date,
): Promise<
  Pick<
    PatrolRow,
    'id' | 'grid_id' | 'worker_id' | 'state' | 'started_at' | 'ended_at' | 'distance_m' | 'finding_count'
  >[]
> {
  let select = db
    .selectFrom('patrols')
    .select(['id', 'grid_id', 'worker_id', 'state', 'started_at', 'ended_at', 'distance_m', 'finding_count'])
    .where('started_at', '>=', from)
    .where('started_at', '<', to);
  if (unitPath) select = select.where('unit_path', 'like', `${escapeLike(unitPath)}%`);
  return select.execute();
}

/** Active patrols with no sign of life since `before`: the phone was closed without ending them. */
export async function findIdlePatrols(
  db: Db,
  before: Date,
  limit: number,
  streetId?: string,
): Promise<string[]> {
  let select = db
    .selectFrom('patrols')
    .select('id')
    .where('state', '=', 'active')
    .where((eb) =>
      eb.or([
        eb('last_point_at', '<', before),
        eb.and([eb('last_point_at', 'is', null), eb('started_at', '<', before)]),
      ]),
    )
    .orderBy('started_at')
    .limit(limit);
  if (streetId) select = select.where('street_id', '=', streetId);
  return (await select.execute()).map((row) => row.id);
}

/** Ended patrols whose track is past its retention period and not yet deleted. */
export async function findPatrolsToPurge(
  db: Db,
  endedBefore: Date,
  limit: number,
  streetId?: string,
): Promise<string[]> {
  let select = db
    .selectFrom('patrols')
    .select('id')
    .where('track_purged_at', 'is', null)
    .where('state', '=', 'ended')
    .where('ended_at', '<', endedBefore)
    .orderBy('ended_at')
    .limit(limit);
  if (streetId) select = select.where('street_id', '=', streetId);
  return (await select.execute()).map((row) => row.id);
}

/** Deletes a patrol's fixes and every stored coordinate of it; the summary and counts stay. */
export async function purgeTrack(trx: Db, patrolId: string, at: Date): Promise<number> {
  const deleted = await trx
    .deleteFrom('patrol_point_batches')
    .where('patrol_id', '=', patrolId)
    .executeTakeFirst();
  await trx
    .updateTable('patrol_checkins')
    .set({ location_enc: null })
    .where('patrol_id', '=', patrolId)
    .execute();
  await trx
    .updateTable('patrols')
    .set({ last_position_enc: null, track_purged_at: at })
    .where('id', '=', patrolId)
    .execute();
  return Number(deleted.numDeletedRows);
}

// ---- the track -----------------------------------------------------------------------------------

export async function findPointBatch(
  db: Db,
  patrolId: string,
  key: string,
): Promise<Pick<Selectable<PatrolPointBatchesTable>, 'request_hash' | 'point_count'> | undefined> {
  return db
    .selectFrom('patrol_point_batches')
    .select(['request_hash', 'point_count'])
    .where('patrol_id', '=', patrolId)
    .where('batch_key', '=', key)
    .executeTakeFirst();
}

export async function insertPointBatch(trx: Db, row: Insertable<PatrolPointBatchesTable>): Promise<void> {
  await trx.insertInto('patrol_point_batches').values(row).execute();
}

export async function readPointBatches(db: Db, patrolId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('patrol_point_batches')
    .select('points_enc')
    .where('patrol_id', '=', patrolId)
    .orderBy('first_at')
    .execute();
  return rows.map((row) => row.points_enc);
}

// ---- check-ins and findings ----------------------------------------------------------------------

export async function findCheckin(db: Db, id: string): Promise<CheckinRow | undefined> {
  return db.selectFrom('patrol_checkins').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertCheckin(trx: Db, row: Insertable<PatrolCheckinsTable>): Promise<void> {
  await trx.insertInto('patrol_checkins').values(row).execute();
}

export async function listCheckins(
  db: Db,
  patrolId: string,
): Promise<(CheckinRow & { unit_name: string | null })[]> {
  return db
    .selectFrom('patrol_checkins as c')
    .leftJoin('units as u', 'u.id', 'c.unit_id')
    .selectAll('c')
    .select('u.name as unit_name')
    .where('c.patrol_id', '=', patrolId)
    .orderBy('c.at')
    .execute();
}

export async function findFinding(db: Db, patrolId: string, key: string): Promise<FindingRow | undefined> {
  return db
    .selectFrom('patrol_findings')
    .selectAll()
    .where('patrol_id', '=', patrolId)
    .where('finding_key', '=', key)
    .executeTakeFirst();
}

export async function insertFinding(trx: Db, row: Insertable<PatrolFindingsTable>): Promise<void> {
  await trx.insertInto('patrol_findings').values(row).execute();
}

export async function listFindings(db: Db, patrolId: string): Promise<FindingRow[]> {
  return db
    .selectFrom('patrol_findings')
    .selectAll()
    .where('patrol_id', '=', patrolId)
    .orderBy('created_at')
    .execute();
}

// ---- plans ---------------------------------------------------------------------------------------

export interface PlanWithGrid extends PlanRow {
  grid_name: string;
  grid_code: string;
}

function plansWithGrid(db: Db) {
  return db
    .selectFrom('patrol_plans as pl')
    .innerJoin('units as g', 'g.id', 'pl.grid_id')
    .selectAll('pl')
    .select(['g.name as grid_name', 'g.code as grid_code']);
}

export async function findPlan(db: Db, id: string): Promise<PlanWithGrid | undefined> {
  return plansWithGrid(db).where('pl.id', '=', id).executeTakeFirst();
}

export async function lockPlan(trx: Db, id: string): Promise<PlanRow | undefined> {
  return trx.selectFrom('patrol_plans').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/**
 * The plans of a grid that are in force on `day` or later, locked. Takes the grid's unit row lock
 * first, so that two admins replacing the plan of the same grid at once go one after the other.
 */
export async function lockGridPlansFrom(trx: Db, gridId: string, day: string): Promise<PlanRow[]> {
  await trx.selectFrom('units').select('id').where('id', '=', gridId).forUpdate().execute();
  return trx
    .selectFrom('patrol_plans')
    .selectAll()
    .where('grid_id', '=', gridId)
    .where((eb) =>
      eb.or([
        eb('valid_to', 'is', null),
        eb.and([eb('valid_to', '>=', day), eb('valid_to', '>=', eb.ref('valid_from'))]),
      ]),
    )
    .forUpdate()
    .execute();
}

export async function insertPlan(trx: Db, row: Insertable<PatrolPlansTable>): Promise<void> {
  await trx.insertInto('patrol_plans').values(row).execute();
}

export async function updatePlan(trx: Db, id: string, changes: Updateable<PatrolPlansTable>): Promise<void> {
  await trx
    .updateTable('patrol_plans')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Plans under a unit path (or under any of `paths`) that apply to some day in [fromDay, toDay]. */
export async function listPlans(
  db: Db,
  where: { paths: string[]; fromDay?: string | undefined; toDay?: string | undefined },
): Promise<PlanWithGrid[]> {
  if (where.paths.length === 0) return [];
  let select = plansWithGrid(db)
    .where((eb) => eb.or(where.paths.map((path) => eb('pl.unit_path', 'like', `${escapeLike(path)}%`))))
    // a withdrawn plan (ended the day before it began) never applied
    .where((eb) => eb.or([eb('pl.valid_to', 'is', null), eb('pl.valid_to', '>=', eb.ref('pl.valid_from'))]))
    .orderBy('g.code')
    .orderBy('pl.valid_from');
  if (where.toDay) select = select.where('pl.valid_from', '<=', where.toDay);
  if (where.fromDay) {
    const fromDay = where.fromDay;
    select = select.where((eb) => eb.or([eb('pl.valid_to', 'is', null), eb('pl.valid_to', '>=', fromDay)]));
  }
  return select.execute();
}

// ---- units and people ----------------------------------------------------------------------------

/** Grid workers of each grid (a grant at the grid itself), for the missed-patrols list. */
export async function gridWorkersOf(
  db: Db,
  gridIds: string[],
): Promise<Map<string, { id: string; name: string }[]>> {
  const out = new Map<string, { id: string; name: string }[]>();
  if (gridIds.length === 0) return out;
  const rows = await db
    .selectFrom('role_assignments as r')
    .innerJoin('users as u', 'u.id', 'r.user_id')
    .select(['r.unit_id', 'u.id', 'u.display_name'])
    .where('r.role', '=', 'grid_worker')
    .where('r.revoked_at', 'is', null)
    .where('u.is_active', '=', true)
    .where('r.unit_id', 'in', gridIds)
    .orderBy('u.display_name')
    .execute();
  for (const row of rows) {
    const list = out.get(row.unit_id) ?? [];
    if (!list.some((w) => w.id === row.id)) list.push({ id: row.id, name: row.display_name });
    out.set(row.unit_id, list);
  }
  return out;
}

export interface GridRef {
  id: string;
  name: string;
  path: string;
  street_id: string | null;
  parent_id: string | null;
}

/** Active grids under any of the paths (a grid's own path included). */
export async function gridsUnder(db: Db, paths: string[]): Promise<GridRef[]> {
  if (paths.length === 0) return [];
  return db
    .selectFrom('units')
    .select(['id', 'name', 'path', 'street_id', 'parent_id'])
    .where('kind', '=', 'grid')
    .where('is_active', '=', true)
    .where((eb) => eb.or(paths.map((path) => eb('path', 'like', `${escapeLike(path)}%`))))
    .orderBy('code')
    .limit(5000)
    .execute();
}

/** Names of units (groups of the figures). */
export async function unitNames(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('units').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** One access-log row per patrol whose exact position or track a supervisor was shown (PIPL art. 28). */
export async function logLocationReads(
  db: Db,
  reads: { actorId: string; patrolId: string; fields: string[]; purpose: string; ip: string | null }[],
): Promise<void> {
  if (reads.length === 0) return;
  await db
    .insertInto('access_log')
    .values(
      reads.map((read) => ({
        actor_id: read.actorId,
        action: 'read',
        record_type: 'patrol_track',
        record_id: read.patrolId,
        fields: read.fields,
        purpose: read.purpose,
        ip: read.ip,
      })),
    )
    .execute();
}
