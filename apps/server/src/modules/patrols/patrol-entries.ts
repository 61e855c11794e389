import type { Db } from '../../db/database.ts';
import { appendEntry, readChainHead } from '../journal/append-entry.ts';
import {
  journalSet,
  PATROL_PROJECTED_COLUMNS,
  PATROL_RECORD_TYPE,
  PLAN_PROJECTED_COLUMNS,
  PLAN_RECORD_TYPE,
} from './patrol-journal.ts';

/**
 * Appends an event to a patrol's or a plan's chain in the caller's transaction (the row is locked),
 * with `payload.set` holding the projected columns it changed, and keeps the row's journal_seq.
 */
export async function appendPatrolEntry(
  trx: Db,
  event: {
    patrolId: string;
    streetId: string;
    action: string;
    actorId: string | null;
    actorRole: string;
    at: Date;
    changes: Record<string, unknown>;
    details?: Record<string, unknown>;
  },
): Promise<number> {
  const head = await readChainHead(trx, PATROL_RECORD_TYPE, event.patrolId);
  await appendEntry(
    trx,
    {
      streetId: event.streetId,
      recordType: PATROL_RECORD_TYPE,
      recordId: event.patrolId,
      action: event.action,
      actorId: event.actorId,
      actorRole: event.actorRole,
      at: event.at,
      payload: { set: journalSet(PATROL_PROJECTED_COLUMNS, event.changes), ...event.details },
    },
    head,
  );
  await trx
    .updateTable('patrols')
    .set({ journal_seq: head.seq + 1 })
    .where('id', '=', event.patrolId)
    .execute();
  return head.seq + 1;
}

export async function appendPlanEntry(
  trx: Db,
  event: {
    planId: string;
    streetId: string;
    action: string;
    actorId: string | null;
    actorRole: string;
    at: Date;
    changes: Record<string, unknown>;
    details?: Record<string, unknown>;
  },
): Promise<number> {
  const head = await readChainHead(trx, PLAN_RECORD_TYPE, event.planId);
  await appendEntry(
    trx,
    {
      streetId: event.streetId,
      recordType: PLAN_RECORD_TYPE,
      recordId: event.planId,
      action: event.action,
      actorId: event.actorId,
      actorRole: event.actorRole,
      at: event.at,
      payload: { set: journalSet(PLAN_PROJECTED_COLUMNS, event.changes), ...event.details },
    },
    head,
  );
  await trx
    .updateTable('patrol_plans')
    .set({ journal_seq: head.seq + 1 })
    .where('id', '=', event.planId)
    .execute();
  return head.seq + 1;
}

/** Drops the nulls of a new record's first `set` (a column the chain never set folds to null). */
export function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null && value !== undefined));
}
