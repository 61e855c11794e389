import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { runCaseAction, type ActionOptions } from './transition-case.ts';

/** 备注: any staff member who can see the case adds a note to its timeline; the case itself is unchanged. */
export function addCaseNote(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'note'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(app, actor, caseId, 'note', options, () => ({ details: { text: input.text } }));
}
