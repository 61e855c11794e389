import { registerJournalRecordType } from '../journal/record-types.ts';
import { canReadPatrol, canReadPlans } from './policy.ts';
import { findPatrolAccess, findPlan } from './repository.ts';

/**
 * Patrols and plans in the journal. A patrol's entries say when it started and ended, each check-in
 * and each finding (with its case), and the summary at the end — never a coordinate: the track is
 * sensitive location data and stays out of an append-only record. The live map hears of patrols
 * through these entries (NOTIFY minqing_journal, record type 'patrol').
 */
export const PATROL_RECORD_TYPE = 'patrol';
export const PLAN_RECORD_TYPE = 'patrol_plan';

/** The `patrols` columns the journal reproduces; the track-derived counts are left out (late fixes). */
export const PATROL_PROJECTED_COLUMNS = [
  'street_id',
  'community_id',
  'grid_id',
  'unit_path',
  'worker_id',
  'state',
  'started_at',
  'ended_at',
  'end_reason',
  'note',
  'checkin_count',
  'finding_count',
  'handled_count',
] as const;

export const PLAN_PROJECTED_COLUMNS = [
  'street_id',
  'grid_id',
  'unit_path',
  'shifts',
  'days',
  'min_minutes',
  'valid_from',
  'valid_to',
  'note',
  'created_by',
  'version',
] as const;

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** `payload.set`: the projected columns among `changes`, instants as ISO strings. */
export function journalSet(
  columns: readonly string[],
  changes: Record<string, unknown>,
): Record<string, JsonValue> {
  const set: Record<string, JsonValue> = {};
  for (const column of columns) {
    const value = changes[column];
    if (value === undefined) continue;
    set[column] = value instanceof Date ? value.toISOString() : (value as JsonValue);
  }
  return set;
}

registerJournalRecordType({
  recordType: PATROL_RECORD_TYPE,
  label: { zh: '巡查', en: 'patrol' },
  projection: {
    table: 'patrols',
    columns: PATROL_PROJECTED_COLUMNS,
    isEveryRowJournaled: true,
    streetColumn: 'street_id',
    defaults: { checkin_count: 0, finding_count: 0, handled_count: 0 },
  },
  // The worker and the supervisors of the grid: the same people who may open the patrol.
  canRead: async (actor, recordId, db) => {
    const patrol = await findPatrolAccess(db, recordId);
    return !!patrol && canReadPatrol(actor, patrol);
  },
});

registerJournalRecordType({
  recordType: PLAN_RECORD_TYPE,
  label: { zh: '巡查计划', en: 'patrol plan' },
  projection: {
    table: 'patrol_plans',
    columns: PLAN_PROJECTED_COLUMNS,
    isEveryRowJournaled: true,
    streetColumn: 'street_id',
    defaults: { version: 1 },
  },
  canRead: async (actor, recordId, db) => {
    const plan = await findPlan(db, recordId);
    return !!plan && canReadPlans(actor, plan.unit_path);
  },
});
