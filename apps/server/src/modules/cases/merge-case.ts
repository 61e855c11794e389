import type { Case, CaseActionInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { canReadCase, isAdminOf } from './policy.ts';
import { lockCase } from './repository.ts';
import {
  accessOf,
  applyCaseEffect,
  categoryOf,
  runCaseAction,
  type ActionOptions,
} from './transition-case.ts';
import { isTerminal } from './state-machine.ts';
import { CategoryStore } from './category-store.ts';
import { workingCalendar } from './collaborators.ts';

/**
 * 合并: a report that duplicates an open case ends as merged into it; the open case records the
 * duplicate in its own journal, and the duplicate's reporter is told where to follow it.
 */
export async function mergeCase(
  app: App,
  actor: Actor,
  caseId: string,
  input: CaseActionInput<'merge'>,
  options: ActionOptions = {},
): Promise<Case> {
  if (input.intoCaseId === caseId) {
    throw errors.unprocessable('merge_into_self', {
      zh: '不能与自身合并',
      en: 'A case cannot be merged into itself',
    });
  }
  const [calendar, categories] = await Promise.all([workingCalendar(app), CategoryStore.of(app.db).all()]);
  const lockedOptions = { ...options, expectedVersion: input.expectedVersion, lockAlso: [input.intoCaseId] };
  return runCaseAction(app, actor, caseId, 'merge', lockedOptions, async ({ trx, row, at }) => {
    // Both rows are already locked, in id order: two opposite merges of one pair cannot deadlock.
    const target = await lockCase(trx, input.intoCaseId);
    if (!target || !canReadCase(actor, accessOf(target))) {
      throw errors.unprocessable('merge_target_not_found', {
        zh: '要合并到的事件不存在',
        en: 'The case to merge into does not exist',
      });
    }
    if (target.street_id !== row.street_id || !isAdminOf(actor, accessOf(target))) {
      throw errors.unprocessable('merge_target_out_of_scope', {
        zh: '只能合并到您负责范围内的事件',
        en: 'You can only merge into a case within your area',
      });
    }
    if (isTerminal(target.state as Case['state']) || target.merged_into_id) {
      throw errors.unprocessable(
        'merge_target_closed',
        { zh: '要合并到的事件已结束，不能再合并', en: 'The case to merge into has already ended' },
        { targetState: target.state },
      );
    }
    return {
      changes: { merged_into_id: target.id },
      details: { intoCaseId: target.id, intoCode: target.code, ...(input.note ? { note: input.note } : {}) },
      reporterNotice: 'merged',
      afterWrite: async (inner, merged) => {
        await applyCaseEffect(
          inner,
          target,
          'absorb',
          { details: { mergedCaseId: merged.id, mergedCode: merged.code } },
          { actor },
          { at, calendar, category: categoryOf(categories, target.category_code) },
        );
      },
    };
  });
}
