import type { CaseDetail } from '@minqing/contract';
import type { Language } from '../../shared/i18n.ts';
import { formatTime } from '../shell/format.ts';

export interface CaseChange {
  field: string;
  before: string;
  after: string;
}

/**
 * What changed between the case the person was looking at and the case now: the fields a decision
 * depends on, and the timeline entries added since. Shown when an action answers 409 stale_version,
 * so the person can decide whether their action still makes sense before trying again.
 */
export function describeChanges(
  before: CaseDetail,
  after: CaseDetail,
  language: Language,
): { fields: CaseChange[]; entries: CaseDetail['timeline'] } {
  const zh = language === 'zh';
  const fields: CaseChange[] = [];
  const add = (label: [string, string], a: string | null | undefined, b: string | null | undefined) => {
    if ((a ?? '') !== (b ?? ''))
      fields.push({ field: zh ? label[0] : label[1], before: a || '—', after: b || '—' });
  };
  add(
    ['状态', 'State'],
    zh ? before.stateName.zh : before.stateName.en,
    zh ? after.stateName.zh : after.stateName.en,
  );
  add(['网格', 'Grid'], before.gridName, after.gridName);
  add(['处置单位', 'Organisation'], before.org?.name, after.org?.name);
  add(['处置人', 'Assignee'], before.assignee?.name, after.assignee?.name);
  add(['期限', 'Deadline'], formatTime(before.dueAt, language), formatTime(after.dueAt, language));
  add(['处置结果', 'Result'], before.resultSummary, after.resultSummary);
  add(['优先级', 'Priority'], before.priority, after.priority);
  const seen = new Set(before.timeline.map((entry) => entry.seq));
  return { fields, entries: after.timeline.filter((entry) => !seen.has(entry.seq)) };
}
