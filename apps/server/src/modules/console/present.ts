import type { SavedFilter, SavedFilterQuery, VerificationRun } from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import { savedFilterActions } from './policy.ts';
import type { SavedFilterRow, VerificationRunRow } from './repository.ts';

export function presentSavedFilter(row: SavedFilterRow, actor: Actor): SavedFilter {
  return {
    id: row.id,
    name: row.name,
    query: row.query as SavedFilterQuery,
    createdAt: row.created_at.toISOString(),
    allowedActions: savedFilterActions(actor, row),
  };
}

export function presentVerificationRun(row: VerificationRunRow): VerificationRun {
  return {
    id: row.id,
    streetId: row.street_id,
    status: row.status as VerificationRun['status'],
    phase: row.phase as VerificationRun['phase'],
    checked: Number(row.checked),
    total: Number(row.total),
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at ? row.finished_at.toISOString() : null,
    report: (row.report as VerificationRun['report']) ?? null,
    error: row.error,
  };
}
