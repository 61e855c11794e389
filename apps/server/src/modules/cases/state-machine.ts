import type { CaseAction, CaseState, Rating } from '@minqing/contract';

/**
 * The case workflow as one explicit table (DESIGN.md, "The case workflow"). A row says: in state
 * `from`, action `action` with outcome `outcome` (when the action has several) leads to `to`.
 * Nothing else moves a case between states; events (note, remind, escalate, assign-grid) leave the
 * state as it is and are listed separately with the states they are allowed in.
 */
export interface Transition {
  action: TransitionAction;
  from: CaseState;
  to: CaseState;
  /** verify: 'pass' | 'fail'; rate and follow-up: the rating given */
  outcome?: string;
}

/** Actions that change the state: the people's ones, and the scheduler's follow-up timeout. */
export type TransitionAction = Exclude<CaseAction, EventAction> | 'timeout';
export type EventAction = 'note' | 'remind' | 'escalate' | 'assign-grid';
export type VerifyOutcome = 'pass' | 'fail';

export const TERMINAL_STATES: readonly CaseState[] = ['closed', 'rejected', 'merged'];
/** States with a deadline that the scheduler reminds of and escalates (follow-up only times out). */
export const SUPERVISED_STATES: readonly CaseState[] = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'handled',
];
export const OPEN_STATES: readonly CaseState[] = [...SUPERVISED_STATES, 'follow_up'];

const ratings: Rating[] = ['satisfied', 'basically_satisfied', 'unsatisfied'];
const ratingTarget = (rating: Rating): CaseState => (rating === 'unsatisfied' ? 'dispatched' : 'closed');

export const TRANSITIONS: readonly Transition[] = [
  { action: 'accept', from: 'reported', to: 'accepted' },
  { action: 'reject', from: 'reported', to: 'rejected' },
  { action: 'dispatch', from: 'accepted', to: 'dispatched' },
  // wrongly dispatched (派遣错误): the organisation hands the case back to the dispatcher
  { action: 'return', from: 'dispatched', to: 'accepted' },
  { action: 'start', from: 'dispatched', to: 'in_progress' },
  { action: 'submit', from: 'in_progress', to: 'handled' },
  { action: 'verify', outcome: 'pass', from: 'handled', to: 'follow_up' },
  // failed on-site check: back to the same organisation for rework (返工)
  { action: 'verify', outcome: 'fail', from: 'handled', to: 'dispatched' },
  ...ratings.map((rating): Transition => ({
    action: 'rate',
    outcome: rating,
    from: 'follow_up',
    to: ratingTarget(rating),
  })),
  ...ratings.map((rating): Transition => ({
    action: 'follow-up',
    outcome: rating,
    from: 'follow_up',
    to: ratingTarget(rating),
  })),
  // nobody rated within the follow-up time limit: the case closes without a rating
  { action: 'timeout', from: 'follow_up', to: 'closed' },
  { action: 'merge', from: 'reported', to: 'merged' },
  { action: 'merge', from: 'accepted', to: 'merged' },
];

/** Where each event may happen. A note can be added to any case, even a finished one. */
export const EVENTS: Readonly<Record<EventAction, readonly CaseState[]>> = {
  note: [...OPEN_STATES, ...TERMINAL_STATES],
  remind: SUPERVISED_STATES,
  escalate: SUPERVISED_STATES,
  'assign-grid': OPEN_STATES,
};

export function isEventAction(action: string): action is EventAction {
  return Object.hasOwn(EVENTS, action);
}

/**
 * The state `action` (with `outcome`) leads to from `from`, or undefined when the table has no such
 * row. Events answer `from` itself when they are allowed in that state.
 */
export function nextState(
  from: CaseState,
  action: TransitionAction | EventAction,
  outcome?: string,
): CaseState | undefined {
  if (isEventAction(action)) return EVENTS[action].includes(from) ? from : undefined;
  const row = TRANSITIONS.find(
    (t) => t.from === from && t.action === action && (t.outcome === undefined || t.outcome === outcome),
  );
  return row?.to;
}

/** Can `action` happen in state `state` at all (for some outcome)? Who may do it is the policy's question. */
export function isActionPossible(state: CaseState, action: CaseAction | 'timeout'): boolean {
  if (isEventAction(action)) return EVENTS[action].includes(state);
  return TRANSITIONS.some((t) => t.from === state && t.action === action);
}

/** The actions possible in `state`, in the table's order (events last). */
export function possibleActions(state: CaseState): CaseAction[] {
  const out: CaseAction[] = [];
  for (const t of TRANSITIONS) {
    if (t.from === state && t.action !== 'timeout' && !out.includes(t.action)) out.push(t.action);
  }
  for (const [event, states] of Object.entries(EVENTS) as [EventAction, readonly CaseState[]][]) {
    if (states.includes(state)) out.push(event);
  }
  return out;
}

export function isTerminal(state: CaseState): boolean {
  return TERMINAL_STATES.includes(state);
}

export const STATE_NAMES: Readonly<Record<CaseState, { zh: string; en: string }>> = {
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
