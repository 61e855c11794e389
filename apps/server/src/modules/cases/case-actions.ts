import type { Case, CaseAction, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { acceptCase } from './accept-case.ts';
import { addCaseNote } from './add-case-note.ts';
import { assignCaseGrid } from './assign-case-grid.ts';
import { dispatchCase } from './dispatch-case.ts';
import { escalateCase } from './escalate-case.ts';
import { mergeCase } from './merge-case.ts';
import { rateCase } from './rate-case.ts';
import { recordFollowUp } from './record-follow-up.ts';
import { rejectCase } from './reject-case.ts';
import { remindCase } from './remind-case.ts';
import { returnCase } from './return-case.ts';
import { startCase } from './start-case.ts';
import { submitCase } from './submit-case.ts';
import type { ActionOptions } from './transition-case.ts';
import { verifyCase } from './verify-case.ts';

type UseCase<A extends CaseAction> = (
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<A>,
  options?: ActionOptions,
) => Promise<Case>;

/** The use-case behind each action route, POST /api/cases/:id/<action>. */
export const caseActions: { [A in CaseAction]: UseCase<A> } = {
  accept: acceptCase,
  reject: rejectCase,
  dispatch: dispatchCase,
  return: returnCase,
  start: startCase,
  submit: submitCase,
  verify: verifyCase,
  rate: rateCase,
  'follow-up': recordFollowUp,
  merge: mergeCase,
  note: addCaseNote,
  remind: remindCase,
  escalate: escalateCase,
  'assign-grid': assignCaseGrid,
};

/**
 * Takes any action on a case by name, through the same use-case and checks as the API — for other
 * capabilities and the demo seeder (which passes `at` to replay the past).
 */
export function performCaseAction<A extends CaseAction>(
  app: App,
  actor: Actor,
  caseId: string,
  action: A,
  input: CaseActionInput<A>,
  options: ActionOptions = {},
): Promise<Case> {
  const useCase = caseActions[action] as UseCase<A>;
  return useCase(app, actor, caseId, input, options);
}
