import type { CaseAction, CaseSource, ConsoleQueue, UnitKind } from '@minqing/contract';

type Text = { zh: string; en: string };

export const QUEUE_LABELS: Record<ConsoleQueue, Text> = {
  to_accept: { zh: '待受理', en: 'To accept' },
  to_dispatch: { zh: '待派遣', en: 'To dispatch' },
  overdue: { zh: '已超期', en: 'Overdue' },
  near_deadline: { zh: '临期', en: 'Near deadline' },
  to_verify: { zh: '待核查', en: 'To verify' },
  to_follow_up: { zh: '待回访', en: 'Follow-up' },
  escalated: { zh: '督办给我', en: 'Escalated to me' },
};

export const SOURCE_LABELS: Record<CaseSource, Text> = {
  patrol: { zh: '网格员巡查', en: 'Patrol' },
  resident: { zh: '居民上报', en: 'Resident' },
  hotline: { zh: '热线', en: 'Hotline' },
  staff: { zh: '工作人员', en: 'Staff' },
  diary: { zh: '民情日记', en: 'Diary' },
  council: { zh: '议事会', en: 'Council' },
  open311: { zh: 'Open311', en: 'Open311' },
  public: { zh: '公众', en: 'Public' },
};

export const ACTION_LABELS: Record<CaseAction, Text> = {
  accept: { zh: '受理', en: 'Accept' },
  reject: { zh: '不予受理', en: 'Reject' },
  dispatch: { zh: '派遣', en: 'Dispatch' },
  return: { zh: '退回', en: 'Return' },
  start: { zh: '开始处置', en: 'Start' },
  submit: { zh: '提交处置结果', en: 'Record result' },
  verify: { zh: '核查', en: 'Verify' },
  rate: { zh: '评价', en: 'Rate' },
  'follow-up': { zh: '记录回访', en: 'Record follow-up' },
  merge: { zh: '合并', en: 'Merge' },
  note: { zh: '备注', en: 'Add note' },
  remind: { zh: '催办', en: 'Remind' },
  escalate: { zh: '督办', en: 'Escalate' },
  'assign-grid': { zh: '指定网格', en: 'Assign grid' },
};

export const RATING_LABELS: Record<string, Text> = {
  satisfied: { zh: '满意', en: 'Satisfied' },
  basically_satisfied: { zh: '基本满意', en: 'Basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'Unsatisfied' },
};

export const UNIT_KIND_LABELS: Record<UnitKind, Text> = {
  province: { zh: '省', en: 'Province' },
  city: { zh: '市', en: 'City' },
  county: { zh: '区县', en: 'County' },
  street: { zh: '街道/乡镇', en: 'Street' },
  community: { zh: '社区/村', en: 'Community' },
  grid: { zh: '网格', en: 'Grid' },
  compound: { zh: '小区/自然村', en: 'Compound' },
  building: { zh: '楼栋', en: 'Building' },
  household: { zh: '户', en: 'Household' },
};

export const STATE_COLORS: Record<string, string> = {
  reported: 'orange',
  accepted: 'gold',
  rejected: 'default',
  dispatched: 'blue',
  in_progress: 'geekblue',
  handled: 'cyan',
  follow_up: 'purple',
  closed: 'green',
  merged: 'default',
};

export const STATE_LABELS: Record<string, Text> = {
  reported: { zh: '待受理', en: 'Reported' },
  accepted: { zh: '已受理', en: 'Accepted' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  in_progress: { zh: '处置中', en: 'In progress' },
  handled: { zh: '已处置', en: 'Handled' },
  follow_up: { zh: '待回访', en: 'Awaiting follow-up' },
  closed: { zh: '已办结', en: 'Closed' },
  merged: { zh: '已合并', en: 'Merged' },
};
