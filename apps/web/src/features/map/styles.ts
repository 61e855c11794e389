import type { CaseState, MapCaseState } from '@minqing/contract';

/**
 * How the map and its legend colour a case. The hue tells the stage of the workflow; red always means
 * overdue and wins over the stage, so the one thing a supervisor must act on stands out from across a
 * room. The colours keep a contrast of at least 3:1 against both the dark screen and the light phone map.
 */
export const STATE_COLOURS: Record<CaseState, string> = {
  reported: '#3b82f6',
  accepted: '#14b8a6',
  rejected: '#64748b',
  dispatched: '#a78bfa',
  in_progress: '#f97316',
  handled: '#22c55e',
  follow_up: '#10b981',
  closed: '#94a3b8',
  merged: '#64748b',
};

export const OVERDUE_COLOUR = '#ef4444';
/** The overdue badge behind text: a deeper red that white text reads on (WCAG AA, 4.5:1). */
export const OVERDUE_BADGE_COLOUR = '#dc2626';

function luminance(hex: string): number {
  const channel = (at: number) => {
    const value = parseInt(hex.slice(at, at + 2), 16) / 255;
    return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Dark or white text, whichever reads better on `background` (a #rrggbb colour). */
export function textOn(background: string): string {
  const l = luminance(background);
  const dark = (l + 0.05) / (luminance('#04111f') + 0.05);
  const light = 1.05 / (l + 0.05);
  return dark >= light ? '#04111f' : '#ffffff';
}
export const NEAR_DEADLINE_COLOUR = '#f59e0b';
export const ON_TIME_COLOUR = '#22c55e';

export const STATE_NAMES: Record<CaseState, { zh: string; en: string }> = {
  reported: { zh: '待受理', en: 'Reported' },
  accepted: { zh: '已受理', en: 'Accepted' },
  rejected: { zh: '不予受理', en: 'Rejected' },
  dispatched: { zh: '已派遣', en: 'Dispatched' },
  in_progress: { zh: '处置中', en: 'In progress' },
  handled: { zh: '已处置', en: 'Handled' },
  follow_up: { zh: '回访中', en: 'Follow-up' },
  closed: { zh: '已办结', en: 'Closed' },
  merged: { zh: '已合并', en: 'Merged' },
};

/** The states a map shows and filters by, in workflow order. */
export const MAP_STATES: readonly MapCaseState[] = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'handled',
  'follow_up',
  'closed',
];

export function markerColour(state: CaseState, overdue: boolean): string {
  return overdue ? OVERDUE_COLOUR : STATE_COLOURS[state];
}

/**
 * Grid shading by open-case load: nearly clear when nothing is open, then from green through amber to
 * red relative to the busiest grid (so a quiet village still shows where its work is). `share` is the
 * grid's open cases over the busiest grid's, 0–1.
 */
export function loadFill(share: number): { color: string; opacity: number } {
  if (!(share > 0)) return { color: '#22c55e', opacity: 0.04 };
  share = Math.min(1, share);
  const color = share < 0.34 ? '#22c55e' : share < 0.67 ? '#f59e0b' : '#ef4444';
  return { color, opacity: 0.12 + share * 0.28 };
}
