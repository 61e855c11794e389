import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { runCaseAction, type ActionOptions } from './transition-case.ts';

/** 受理: the community or street admin takes the report into the workflow; the reporter is told. */
export function acceptCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'accept'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(
    app,
    actor,
    caseId,
    'accept',
    { ...options, expectedVersion: input.expectedVersion },
    ({ at }) => ({
      changes: { accepted_at: at },
      details: input.note ? { note: input.note } : {},
      reporterNotice: 'accepted',
    }),
  );
}
