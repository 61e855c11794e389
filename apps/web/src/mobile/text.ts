import type { CaseState, Rating } from '@minqing/contract';

/** The steps of a case in plain words (上报 → 受理 → 派遣 → 处置中 → 已处置 → 回访 → 办结). */
export const STEPS: { states: CaseState[]; zh: string; en: string }[] = [
  { states: ['reported'], zh: '上报', en: 'Reported' },
  { states: ['accepted'], zh: '受理', en: 'Accepted' },
  { states: ['dispatched'], zh: '派遣', en: 'Dispatched' },
  { states: ['in_progress'], zh: '处置中', en: 'Being handled' },
  { states: ['handled'], zh: '已处置', en: 'Handled' },
  { states: ['follow_up'], zh: '回访', en: 'Follow-up' },
  { states: ['closed', 'merged', 'rejected'], zh: '办结', en: 'Closed' },
];

export function stepIndex(state: CaseState): number {
  return STEPS.findIndex((step) => step.states.includes(state));
}

/** What each state means for the person who reported, in plain words. */
export const STATE_HINTS: Record<CaseState, { zh: string; en: string }> = {
  reported: { zh: '已收到，等待社区受理', en: 'Received; waiting for the community to accept it' },
  accepted: { zh: '社区已受理，正在安排处理人', en: 'Accepted; a team is being assigned' },
  rejected: { zh: '不予受理', en: 'Not accepted' },
  dispatched: { zh: '已派给处理单位', en: 'Sent to the team that handles it' },
  in_progress: { zh: '正在处理', en: 'Being handled' },
  handled: { zh: '已处理，等待网格员现场核查', en: 'Handled; a grid worker checks it on site' },
  follow_up: { zh: '请您评价处理结果', en: 'Please rate the result' },
  closed: { zh: '已办结', en: 'Closed' },
  merged: { zh: '与同一问题合并处理', en: 'Merged with a report of the same problem' },
};

export const RATINGS: { value: Rating; zh: string; en: string }[] = [
  { value: 'satisfied', zh: '满意', en: 'Satisfied' },
  { value: 'basically_satisfied', zh: '基本满意', en: 'Basically satisfied' },
  { value: 'unsatisfied', zh: '不满意', en: 'Unsatisfied' },
];

export function formatTime(iso: string, language: 'zh' | 'en'): string {
  return new Date(iso).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

export function formatDistance(metres: number, language: 'zh' | 'en'): string {
  if (metres >= 1000) return `${(metres / 1000).toFixed(1)} ${language === 'zh' ? '公里' : 'km'}`;
  return `${Math.round(metres)} ${language === 'zh' ? '米' : 'm'}`;
}
