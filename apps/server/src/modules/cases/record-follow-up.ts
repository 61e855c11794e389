import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { ratingEffect } from './rate-case.ts';
import { runCaseAction, type ActionOptions } from './transition-case.ts';

/**
 * 回访: for patrol, hotline, anonymous and public reports nobody rates in the app, so a grid worker
 * or admin calls or visits and records the rating obtained, with the same effect as a reporter's own.
 */
export function recordFollowUp(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'follow-up'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(
    app,
    actor,
    caseId,
    'follow-up',
    { ...options, expectedVersion: input.expectedVersion },
    ({ trx, row, at }) =>
      ratingEffect(trx, row, at, input.rating, {
        method: input.method,
        ...(input.comment ? { comment: input.comment } : {}),
      }),
  );
}
