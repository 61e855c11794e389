import type { ConsoleQueue } from '@minqing/contract';
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ConsoleSavedFiltersTable, ConsoleVerificationRunsTable } from '../../db/schema.generated.ts';
import { caseFilterConditions, visibleCases, type CaseListFilter } from '../cases/repository.ts';

/** The SQL of the console module. Nothing else in the module writes a query. */

type QueueFilter = Omit<CaseListFilter, 'limit' | 'after'>;

/**
 * How many cases wait in each queue, in one scan: the shared filter in WHERE, each queue's own
 * conditions in a FILTER clause. The conditions are the case list's own (caseFilterConditions), so a
 * tab's count is exactly the length of its list.
 */
export async function countQueues(
  db: Db,
  common: QueueFilter,
  queues: Record<ConsoleQueue, Partial<QueueFilter>>,
  openStates: readonly string[],
): Promise<{ counts: Record<ConsoleQueue, number>; openTotal: number }> {
  const names = Object.keys(queues) as ConsoleQueue[];
  const row = await db
    .selectFrom('cases as c')
    .where((eb) => eb.and([visibleCases(eb, common.scope), ...caseFilterConditions(eb, common)]))
    .select((eb) => [
      ...names.map((name) =>
        eb.fn
          .countAll<number>()
          .filterWhere((inner) =>
            inner.and(
              caseFilterConditions(inner, { openStates: common.openStates, ...queues[name] }).concat(
                sql<boolean>`true`,
              ),
            ),
          )
          .as(name),
      ),
      eb.fn
        .countAll<number>()
        .filterWhere('c.state', 'in', [...openStates])
        .as('open_total'),
    ])
    .executeTakeFirstOrThrow();
  const record = row as unknown as Record<string, number | string>;
  const counts = Object.fromEntries(names.map((name) => [name, Number(record[name])])) as Record<
    ConsoleQueue,
    number
  >;
  return { counts, openTotal: Number(record.open_total) };
}

// ---------------------------------------------------------------------------------------------
// Saved filters

export type SavedFilterRow = Selectable<ConsoleSavedFiltersTable>;

export async function listSavedFilters(db: Db, userId: string): Promise<SavedFilterRow[]> {
  return db
    .selectFrom('console_saved_filters')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('name')
    .execute();
}

export async function insertSavedFilter(
  db: Db,
  filter: { id: string; userId: string; name: string; query: unknown },
): Promise<SavedFilterRow> {
  return db
    .insertInto('console_saved_filters')
    .values({
      id: filter.id,
      user_id: filter.userId,
      name: filter.name,
      query: JSON.stringify(filter.query),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findSavedFilter(db: Db, id: string): Promise<SavedFilterRow | undefined> {
  return db.selectFrom('console_saved_filters').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteSavedFilter(db: Db, id: string): Promise<void> {
  await db.deleteFrom('console_saved_filters').where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Verification runs

export type VerificationRunRow = Selectable<ConsoleVerificationRunsTable>;

export async function insertVerificationRun(
  db: Db,
  run: { id: string; streetId: string; startedBy: string },
): Promise<VerificationRunRow> {
  return db
    .insertInto('console_verification_runs')
    .values({
      id: run.id,
      street_id: run.streetId,
      started_by: run.startedBy,
      status: 'running',
      phase: 'starting',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateVerificationRun(
  db: Db,
  id: string,
  changes: {
    status?: string;
    phase?: string;
    checked?: number;
    total?: number;
    report?: unknown;
    error?: string | null;
    finished?: boolean;
  },
): Promise<void> {
  await db
    .updateTable('console_verification_runs')
    .set({
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.phase !== undefined ? { phase: changes.phase } : {}),
      ...(changes.checked !== undefined ? { checked: changes.checked } : {}),
      ...(changes.total !== undefined ? { total: changes.total } : {}),
      ...(changes.report !== undefined ? { report: JSON.stringify(changes.report) } : {}),
      ...(changes.error !== undefined ? { error: changes.error } : {}),
      ...(changes.finished ? { finished_at: sql<Date>`now()` } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function findVerificationRun(db: Db, id: string): Promise<VerificationRunRow | undefined> {
  return db.selectFrom('console_verification_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The street's run still in progress, if any (one at a time per street). */
export async function findRunningVerification(
  db: Db,
  streetId: string,
  staleBefore: Date,
): Promise<VerificationRunRow | undefined> {
  return db
    .selectFrom('console_verification_runs')
    .selectAll()
    .where('street_id', '=', streetId)
    .where('status', '=', 'running')
    .where('updated_at', '>=', staleBefore)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
}

/** Runs left 'running' by a process that stopped: they will never finish. */
export async function abandonStaleRuns(db: Db, streetId: string, staleBefore: Date): Promise<void> {
  await db
    .updateTable('console_verification_runs')
    .set({
      status: 'error',
      phase: 'done',
      error: 'interrupted',
      finished_at: sql<Date>`now()`,
      updated_at: sql<Date>`now()`,
    })
    .where('street_id', '=', streetId)
    .where('status', '=', 'running')
    .where('updated_at', '<', staleBefore)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Journal browsing (read-only: the journal module owns the writes)

export async function browseJournalEntries(
  db: Db,
  query: { streetId: string; recordType?: string; recordId?: string; before?: number; limit: number },
) {
  let q = db
    .selectFrom('journal_entries')
    .select([
      'id',
      'record_type',
      'record_id',
      'seq',
      'action',
      'actor_role',
      'at',
      'prev_hash',
      'hash',
      'batch_id',
    ])
    .where('street_id', '=', query.streetId);
  if (query.recordType) q = q.where('record_type', '=', query.recordType);
  if (query.recordId) q = q.where('record_id', '=', query.recordId);
  if (query.before) q = q.where('id', '<', query.before);
  return q.orderBy('id', 'desc').limit(query.limit).execute();
}
