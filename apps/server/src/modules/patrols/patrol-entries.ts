import type { Db } from '../../db/database.ts';
import { appendEntry, readChainHead } from '../journal/append-entry.ts';
import {
  journalSet,
  PATROL_PROJECTED_COLUMNS,
  PATROL_RECORD_TYPE,
  PLAN_PROJECTED_COLUMNS,
  PLAN_RECORD_TYPE,
} from './patrol-journal.ts';

interface ChainEvent {
  streetId: string;
  action: string;
  actorId: string | null;
  actorRole: string;
  at: Date;
  changes: Record<string, unknown>;
  details?: Record<string, unknown>;
}

/**
 * Appends an event to a patrol's or a plan's chain in the caller's transaction (the row is locked),
 * with `payload.set` holding the projected columns it changed, and keeps the row's journal_seq.
 */
async function appendChainEntry(
  trx: Db,
  chain: { recordType: string; table: 'patrols' | 'patrol_plans'; columns: readonly string[] },
  recordId: string,
  event: ChainEvent,
): Promise<number> {
  const head = await readChainHead(trx, chain.recordType, recordId);
  await appendEntry(
    trx,
    {
      streetId: event.streetId,
      recordType: chain.recordType,
      recordId,
      action: event.action,
      actorId: event.actorId,
      actorRole: event.actorRole,
      at: event.at,
      payload: { set: journalSet(chain.columns, event.changes), ...event.details },
    },
    head,
  );
  await trx
    .updateTable(chain.table)
    .set({ journal_seq: head.seq + 1 })
    .where('id', '=', recordId)
    .execute();
  return head.seq + 1;
}

const PATROL_CHAIN = {
  recordType: PATROL_RECORD_TYPE,
  table: 'patrols',
  columns: PATROL_PROJECTED_COLUMNS,
} as const;
const PLAN_CHAIN = {
  recordType: PLAN_RECORD_TYPE,
  table: 'patrol_plans',
  columns: PLAN_PROJECTED_COLUMNS,
} as const;

export function appendPatrolEntry(trx: Db, event: ChainEvent & { patrolId: string }): Promise<number> {
  return appendChainEntry(trx, PATROL_CHAIN, event.patrolId, event);
}

export function appendPlanEntry(trx: Db, event: ChainEvent & { planId: string }): Promise<number> {
  return appendChainEntry(trx, PLAN_CHAIN, event.planId, event);
}

/** Drops the nulls of a new record's first `set` (a column the chain never set folds to null). */
export function withoutNulls(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, value]) => value !== null && value !== undefined));
}
