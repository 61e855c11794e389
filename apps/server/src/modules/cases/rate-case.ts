import type { Case, CaseActionInput, Rating } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import type { Actor } from '../../policy/index.ts';
import { staffNotices, stageOwners } from './notices.ts';
import type { CaseRow } from './repository.ts';
import { reworkChanges, runCaseAction, type ActionEffect, type ActionOptions } from './transition-case.ts';

/** 评价: the reporter rates the handling of their own case; unsatisfied sends it back for rework. */
export function rateCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'rate'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(
    app,
    actor,
    caseId,
    'rate',
    { ...options, expectedVersion: input.expectedVersion },
    ({ trx, row, at }) =>
      ratingEffect(trx, row, at, input.rating, { ...(input.comment ? { comment: input.comment } : {}) }),
  );
}

/**
 * The effect of a follow-up rating, whoever records it: satisfied or basically satisfied closes the
 * case (办结); unsatisfied reopens it for the same organisation with rework_count + 1 (返工).
 */
export function ratingEffect(
  trx: Db,
  row: CaseRow,
  at: Date,
  rating: Rating,
  details: Record<string, unknown>,
): ActionEffect {
  if (rating !== 'unsatisfied') {
    return {
      outcome: rating,
      changes: { rating, closed_at: at },
      details: { rating, ...details },
      reporterNotice: 'closed',
    };
  }
  return {
    outcome: rating,
    changes: { rating, ...reworkChanges(row, at) },
    details: { rating, ...details },
    reporterNotice: 'rework',
    notifications: async (updated) =>
      staffNotices(trx, await stageOwners(trx, updated), updated, 'staff.rework_unsatisfied', at),
  };
}
