import type { CaseState } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { WorkingCalendar } from '../calendar/working-time.ts';
import { CategoryStore, type CaseCategory } from './category-store.ts';
import { workingCalendar } from './collaborators.ts';
import { INTAKE_KEY_PREFIX } from './create-case.ts';
import { RE_ESCALATION_INTERVAL } from './deadlines.ts';
import { escalationEffect } from './escalate-case.ts';
import { staffNotices, stageOwners } from './notices.ts';
import { escalationTarget } from './policy.ts';
import {
  deleteIdempotencyKeysBefore,
  dueCaseIds,
  lockDueCase,
  updateCase,
  withAdvisoryLock,
} from './repository.ts';
import { SUPERVISED_STATES } from './state-machine.ts';
import { accessOf, applyCaseEffect, categoryOf } from './transition-case.ts';

export interface SchedulerReport {
  /** false when another process held the scheduler lock and this run did nothing */
  ran: boolean;
  reminded: number;
  escalated: number;
  closed: number;
}

const BATCH = 200;
// A run is bounded; whatever is left is due again at the next run.
const MAX_ROUNDS = 25;
/** Idempotency keys of reports are kept a week: long enough for any client to retry. */
const IDEMPOTENCY_RETENTION_MS = 7 * 86400_000;

/**
 * One pass of the deadline scheduler over every case whose `next_check_at` has come: a reminder
 * (催办) to the people answerable for the stage before its deadline, an escalation (督办) to the level
 * above once it is overdue and again every few working days while it stays so, and the closure of
 * cases whose follow-up window ended without a rating. All state is in the database, so a restart
 * loses nothing; one process at a time holds the advisory lock (PGlite is one process by
 * construction). Tests pass a future `now` and their own street instead of waiting.
 */
export async function runSchedulerOnce(
  app: App,
  now: Date = new Date(),
  scope: { streetId?: string } = {},
): Promise<SchedulerReport> {
  const work = async (): Promise<SchedulerReport> => {
    const report: SchedulerReport = { ran: true, reminded: 0, escalated: 0, closed: 0 };
    const [calendar, categories] = await Promise.all([workingCalendar(app), CategoryStore.of(app.db).all()]);
    const seen = new Set<string>();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const ids = (await dueCaseIds(app.db, now, BATCH, scope.streetId)).filter((id) => !seen.has(id));
      if (ids.length === 0) break;
      for (const id of ids) {
        seen.add(id);
        const done = await inTransaction(app.db, (trx) => checkCase(trx, id, now, calendar, categories));
        if (done) report[done]++;
      }
    }
    if (!scope.streetId) {
      await deleteIdempotencyKeysBefore(
        app.db,
        INTAKE_KEY_PREFIX,
        new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS),
      );
    }
    return report;
  };
  if (app.database.kind === 'pglite') return work();
  const lockName = scope.streetId ? `minqing:case-scheduler:${scope.streetId}` : 'minqing:case-scheduler';
  return (
    (await withAdvisoryLock(app.db, lockName, work)) ?? { ran: false, reminded: 0, escalated: 0, closed: 0 }
  );
}

async function checkCase(
  trx: Db,
  id: string,
  now: Date,
  calendar: WorkingCalendar,
  categories: ReadonlyMap<string, CaseCategory>,
): Promise<'reminded' | 'escalated' | 'closed' | null> {
  // A person changing the case right now holds its lock; their change sets the next check anyway.
  const row = await lockDueCase(trx, id, now);
  if (!row) return null;
  const state = row.state as CaseState;
  const context = { at: now, calendar, category: categoryOf(categories, row.category_code) };
  const system = { system: true } as const;

  if (state === 'follow_up' && row.due_at && now >= row.due_at) {
    await applyCaseEffect(
      trx,
      row,
      'timeout',
      { details: { automatic: true }, reporterNotice: 'closed', changes: { closed_at: now } },
      system,
      context,
    );
    return 'closed';
  }
  if (!SUPERVISED_STATES.includes(state) || !row.due_at) {
    await updateCase(trx, row.id, { next_check_at: state === 'follow_up' ? row.due_at : null });
    return null;
  }
  if (now < row.due_at) {
    if (row.reminded_at) {
      await updateCase(trx, row.id, { next_check_at: row.due_at });
      return null;
    }
    await applyCaseEffect(
      trx,
      row,
      'remind',
      {
        changes: { reminded_at: now, next_check_at: row.due_at },
        details: { automatic: true, dueAt: row.due_at.toISOString() },
        notifications: async (updated) =>
          staffNotices(trx, await stageOwners(trx, updated), updated, 'staff.reminder', now),
      },
      system,
      context,
    );
    return 'reminded';
  }
  // Overdue: one level up; at the street, the street is reminded again (重复督办) every few working days.
  const target = escalationTarget(accessOf(row)) ?? row.street_id;
  const effect = escalationEffect(trx, row, now, target, {
    automatic: true,
    dueAt: row.due_at.toISOString(),
  });
  effect.changes = {
    ...effect.changes,
    ...(row.was_overdue ? {} : { was_overdue: true }),
    next_check_at: calendar.add(now, RE_ESCALATION_INTERVAL),
  };
  await applyCaseEffect(trx, row, 'escalate', effect, system, context);
  return 'escalated';
}
