import type { Patrol, PatrolPlan } from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import { patrolActions, planActions } from './policy.ts';
import type { PatrolRow, PatrolWithNames, PlanWithGrid } from './repository.ts';

export function summaryOf(row: PatrolRow, now: Date): Patrol['summary'] {
  const end = row.ended_at ?? now;
  return {
    durationMinutes: Math.max(0, Math.round((end.getTime() - row.started_at.getTime()) / 60_000)),
    distanceM: Math.round(row.distance_m),
    pointCount: row.point_count,
    segmentCount: row.segment_count,
    checkinCount: row.checkin_count,
    findingCount: row.finding_count,
    handledOnTheSpotCount: row.handled_count,
  };
}

export function presentPatrol(row: PatrolWithNames, actor: Actor | null, now = new Date()): Patrol {
  return {
    id: row.id,
    state: row.state as Patrol['state'],
    grid: { id: row.grid_id, name: row.grid_name },
    communityId: row.community_id,
    streetId: row.street_id,
    worker: { id: row.worker_id, name: row.worker_name },
    startedAt: row.started_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    lastPointAt: row.last_point_at?.toISOString() ?? null,
    endReason: (row.end_reason as Patrol['endReason']) ?? null,
    note: row.note,
    summary: summaryOf(row, now),
    isTrackPurged: row.track_purged_at !== null,
    allowedActions: patrolActions(actor, row),
  };
}

export function presentPlan(row: PlanWithGrid, actor: Actor | null, today: string): PatrolPlan {
  return {
    id: row.id,
    grid: { id: row.grid_id, name: row.grid_name, code: row.grid_code },
    shifts: row.shifts as PatrolPlan['shifts'],
    days: row.days as PatrolPlan['days'],
    minMinutes: row.min_minutes,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    note: row.note,
    createdAt: row.created_at.toISOString(),
    version: row.version,
    allowedActions: planActions(actor, row, today),
  };
}
