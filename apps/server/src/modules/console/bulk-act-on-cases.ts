import type { BulkCaseRequest, BulkCaseResult } from '@minqing/contract';
import type { App } from '../../app.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { performCaseAction } from '../cases/case-actions.ts';
import { getCase } from '../cases/get-case.ts';

/**
 * The same action on several cases (批量受理, 批量派遣, 批量催办), each case on its own: each goes
 * through the case module's use-case — its policy, its state machine, its transaction and journal
 * entry — exactly as if the person had pressed the button on that case. One refusal (someone else
 * acted first, the case moved on, no right) never undoes or blocks the others; the answer says, case
 * by case, what happened and why.
 */
export async function bulkActOnCases(
  app: App,
  actor: Actor,
  input: BulkCaseRequest,
): Promise<BulkCaseResult> {
  const result: BulkCaseResult = { action: input.action, succeeded: [], refused: [] };
  // One after the other: a bulk action is a person's batch of clicks, not a reason to hog the database.
  for (const { id, expectedVersion } of input.cases) {
    try {
      const done =
        input.action === 'accept'
          ? await performCaseAction(app, actor, id, 'accept', { expectedVersion, note: input.note })
          : input.action === 'dispatch'
            ? await performCaseAction(app, actor, id, 'dispatch', {
                expectedVersion,
                orgId: input.orgId,
                assigneeId: input.assigneeId,
                note: input.note,
              })
            : await performCaseAction(app, actor, id, 'remind', { note: input.note });
      result.succeeded.push({ id, code: done.code, state: done.state, version: done.version });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      result.refused.push({
        id,
        code: await visibleCode(app, actor, id),
        status: error.status,
        error: error.code,
        message: { zh: error.text.zh, en: error.text.en },
      });
    }
  }
  return result;
}

/** The case number, when the caller may see the case (a refusal must not reveal another's case). */
async function visibleCode(app: App, actor: Actor, id: string): Promise<string | null> {
  try {
    return (await getCase(app, actor, id)).code;
  } catch {
    return null;
  }
}
