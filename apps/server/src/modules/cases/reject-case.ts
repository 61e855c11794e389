import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { runCaseAction, type ActionOptions } from './transition-case.ts';

/** 不予受理: the report is outside what the platform handles; the reason goes to the reporter. */
export function rejectCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'reject'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(
    app,
    actor,
    caseId,
    'reject',
    { ...options, expectedVersion: input.expectedVersion },
    () => ({
      changes: { reject_reason: input.reason },
      details: { reason: input.reason },
      reporterNotice: 'rejected',
    }),
  );
}
