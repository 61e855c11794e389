import type { CaseState } from '@minqing/contract';
import type { CaseRow, CaseUpdate } from './repository.ts';

/** The journal's record type of a case. */
export const CASE_RECORD_TYPE = 'case';

/**
 * The `cases` columns the journal reproduces: folding `payload.set` over a case's entries gives
 * exactly these columns of its row (docs/architecture.md, "Journal"). Left out on purpose: the
 * reporter's name and phone (personal data stays out of an append-only, widely readable record),
 * next_check_at (the scheduler's bookkeeping), journal_seq (the chain position itself), updated_at.
 */
export const CASE_PROJECTED_COLUMNS = [
  'code',
  'street_id',
  'community_id',
  'grid_id',
  'unit_path',
  'category_code',
  'priority',
  'source',
  'state',
  'description',
  'address',
  'lng',
  'lat',
  'reporter_id',
  'is_public_anonymous',
  'org_id',
  'assignee_id',
  'reported_at',
  'accepted_at',
  'dispatched_at',
  'started_at',
  'handled_at',
  'handled_by',
  'verified_at',
  'closed_at',
  'accept_due_at',
  'due_at',
  'handle_due_at',
  'reminded_at',
  'escalation_level',
  'escalated_to_unit_id',
  'was_overdue',
  'rework_count',
  'rating',
  'merged_into_id',
  'result_summary',
  'reject_reason',
  'version',
] as const satisfies readonly (keyof CaseRow)[];

export type ProjectedColumn = (typeof CASE_PROJECTED_COLUMNS)[number];
const projected = new Set<string>(CASE_PROJECTED_COLUMNS);

type JsonValue = string | number | boolean | null;

/** The `payload.set` of an event: the projected columns it changed, instants as ISO strings. */
export function journalSet(changes: CaseUpdate | CaseRow): Record<string, JsonValue> {
  const set: Record<string, JsonValue> = {};
  for (const [column, value] of Object.entries(changes)) {
    if (!projected.has(column) || value === undefined) continue;
    set[column] = value instanceof Date ? value.toISOString() : value;
  }
  return set;
}

/**
 * The `payload.set` of a case's first entry: every projected column that has a value. A column the
 * chain never set is null (the verifier folds it so), which keeps report entries small — intake hashes
 * and stores one for every report.
 */
export function journalSetOfNewCase(row: CaseRow): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(journalSet(row)).filter(([, value]) => value !== null));
}

/** What a timeline shows for each journal action, by outcome where the action has several. */
export function actionLabel(action: string, payload: Record<string, unknown>): { zh: string; en: string } {
  switch (action) {
    case 'report':
      return { zh: '上报', en: 'Reported' };
    case 'accept':
      return { zh: '受理', en: 'Accepted' };
    case 'reject':
      return { zh: '不予受理', en: 'Not accepted' };
    case 'dispatch':
      return { zh: '派遣', en: 'Dispatched' };
    case 'return':
      return { zh: '退回（派遣有误）', en: 'Returned as wrongly dispatched' };
    case 'start':
      return { zh: '开始处置', en: 'Work started' };
    case 'submit':
      return { zh: '提交处置结果', en: 'Result submitted' };
    case 'verify':
      return payload.passed
        ? { zh: '核查通过', en: 'Checked on site: passed' }
        : { zh: '核查不通过，返工', en: 'Checked on site: failed, sent back for rework' };
    case 'rate':
    case 'follow-up': {
      const how =
        action === 'rate'
          ? { zh: '评价', en: 'Rated' }
          : payload.method === 'visit'
            ? { zh: '上门回访', en: 'Follow-up visit' }
            : { zh: '电话回访', en: 'Follow-up call' };
      const rating = RATING_NAMES[String(payload.rating)] ?? { zh: '', en: '' };
      return { zh: `${how.zh}：${rating.zh}`, en: `${how.en}: ${rating.en}` };
    }
    case 'timeout':
      return { zh: '回访期满，自动办结', en: 'Closed: follow-up period ended' };
    case 'merge':
      return { zh: '作为重复事件合并', en: 'Merged as a duplicate' };
    case 'absorb':
      return { zh: '合并了重复事件', en: 'A duplicate was merged into this case' };
    case 'note':
      return { zh: '备注', en: 'Note' };
    case 'remind':
      return { zh: '催办', en: 'Reminder' };
    case 'escalate':
      return { zh: '督办', en: 'Escalated' };
    case 'assign-grid':
      return { zh: '指定网格', en: 'Grid assigned' };
    case 'reattribute':
      return { zh: '上报人重复账号已合并', en: "The reporter's duplicate account was merged" };
    default:
      return { zh: action, en: action };
  }
}

export const RATING_NAMES: Record<string, { zh: string; en: string }> = {
  satisfied: { zh: '满意', en: 'satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'unsatisfied' },
};

/** The state after each entry, folding `set.state` in chain order. */
export function statesAlongChain(payloads: unknown[]): { from: CaseState | null; to: CaseState | null }[] {
  let current: CaseState | null = null;
  return payloads.map((payload) => {
    const next = (payload as { set?: { state?: CaseState } } | null)?.set?.state;
    const step = { from: current, to: next ?? current };
    if (next) current = next;
    return step;
  });
}
