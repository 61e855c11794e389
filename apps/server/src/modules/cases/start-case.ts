import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { runCaseAction, type ActionOptions } from './transition-case.ts';

/** 开始处置: the handler (or the grid worker it was given to) starts work, optionally with photos before. */
export function startCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'start'>,
  options: ActionOptions = {},
): Promise<Case> {
  return runCaseAction(
    app,
    actor,
    caseId,
    'start',
    { ...options, expectedVersion: input.expectedVersion },
    ({ at }) => ({
      changes: { started_at: at },
      details: input.note ? { note: input.note } : {},
      photos: { ids: input.photoIds ?? [], stage: 'before' },
    }),
  );
}
