import { CASE_ACTIONS, CASE_STATES, type CaseState } from '@minqing/contract';
import { describe, expect, it } from 'vitest';
import {
  EVENTS,
  isActionPossible,
  isTerminal,
  nextState,
  OPEN_STATES,
  possibleActions,
  STATE_NAMES,
  TRANSITIONS,
} from './state-machine.ts';

describe('case state machine', () => {
  it('walks the closed loop from report to closure', () => {
    const steps: [Parameters<typeof nextState>[1], string | undefined, CaseState][] = [
      ['accept', undefined, 'accepted'],
      ['dispatch', undefined, 'dispatched'],
      ['start', undefined, 'in_progress'],
      ['submit', undefined, 'handled'],
      ['verify', 'pass', 'follow_up'],
      ['rate', 'satisfied', 'closed'],
    ];
    let state: CaseState = 'reported';
    for (const [action, outcome, expected] of steps) {
      const next = nextState(state, action, outcome);
      expect(next, `${state} --${action}--> ?`).toBe(expected);
      state = next!;
    }
  });

  it('sends a case back for rework on an unsatisfied rating or a failed check', () => {
    expect(nextState('follow_up', 'rate', 'unsatisfied')).toBe('dispatched');
    expect(nextState('follow_up', 'follow-up', 'unsatisfied')).toBe('dispatched');
    expect(nextState('follow_up', 'rate', 'basically_satisfied')).toBe('closed');
    expect(nextState('follow_up', 'follow-up', 'satisfied')).toBe('closed');
    expect(nextState('handled', 'verify', 'fail')).toBe('dispatched');
  });

  it('rejects, returns, merges and times out only from the states the design allows', () => {
    expect(nextState('reported', 'reject')).toBe('rejected');
    expect(nextState('accepted', 'reject')).toBeUndefined();
    expect(nextState('dispatched', 'return')).toBe('accepted');
    expect(nextState('in_progress', 'return')).toBeUndefined();
    expect(nextState('reported', 'merge')).toBe('merged');
    expect(nextState('accepted', 'merge')).toBe('merged');
    expect(nextState('dispatched', 'merge')).toBeUndefined();
    expect(nextState('follow_up', 'timeout')).toBe('closed');
    expect(nextState('handled', 'timeout')).toBeUndefined();
  });

  it('needs an outcome for verify and rate', () => {
    expect(nextState('handled', 'verify')).toBeUndefined();
    expect(nextState('handled', 'verify', 'maybe')).toBeUndefined();
    expect(nextState('follow_up', 'rate')).toBeUndefined();
  });

  it('lets nothing leave a terminal state, except a note', () => {
    for (const state of ['closed', 'rejected', 'merged'] as const) {
      expect(isTerminal(state)).toBe(true);
      expect(possibleActions(state)).toEqual(['note']);
      expect(TRANSITIONS.filter((t) => t.from === state)).toEqual([]);
      expect(nextState(state, 'note')).toBe(state);
    }
  });

  it('keeps the state on events and allows them only in open states', () => {
    for (const state of OPEN_STATES) expect(nextState(state, 'assign-grid')).toBe(state);
    expect(nextState('follow_up', 'escalate')).toBeUndefined();
    expect(nextState('handled', 'remind')).toBe('handled');
    expect(nextState('closed', 'remind')).toBeUndefined();
    expect(EVENTS.note).toHaveLength(CASE_STATES.length);
  });

  it('lists the possible actions of each state', () => {
    expect(possibleActions('reported')).toEqual([
      'accept',
      'reject',
      'merge',
      'note',
      'remind',
      'escalate',
      'assign-grid',
    ]);
    expect(possibleActions('follow_up')).toEqual(['rate', 'follow-up', 'note', 'assign-grid']);
    expect(isActionPossible('follow_up', 'timeout')).toBe(true);
    expect(isActionPossible('dispatched', 'accept')).toBe(false);
  });

  it('only uses states and actions the contract knows, and names every state in both languages', () => {
    for (const t of TRANSITIONS) {
      expect(CASE_STATES).toContain(t.from);
      expect(CASE_STATES).toContain(t.to);
      expect([...CASE_ACTIONS, 'timeout']).toContain(t.action);
    }
    for (const state of CASE_STATES) {
      expect(STATE_NAMES[state].zh).toMatch(/\p{Script=Han}/u);
      expect(STATE_NAMES[state].en.length).toBeGreaterThan(2);
    }
    // every action of the contract is reachable from some state
    for (const action of CASE_ACTIONS) {
      expect(
        CASE_STATES.some((state) => isActionPossible(state, action)),
        action,
      ).toBe(true);
    }
  });

  it('is deterministic: no two rows share a state, action and outcome', () => {
    const keys = TRANSITIONS.map((t) => `${t.from}|${t.action}|${t.outcome ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
