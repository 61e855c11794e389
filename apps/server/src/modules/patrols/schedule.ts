import { CHINA_OFFSET_MS, localDayString } from '../calendar/working-time.ts';

/**
 * The patrol schedule: which windows each plan asks for on which days, and which patrol (if any)
 * fulfils each. A window is fulfilled by a patrol of its grid that started inside it and lasted at
 * least the plan's minimum — by any grid worker of the grid: the plan is the grid's, not a person's.
 * 巡查率 counts only windows that are settled (done or missed); one still under way waits.
 */

const DAY_MS = 86_400_000;

export interface SchedulePlan {
  id: string;
  grid_id: string;
  /** jsonb: [{ start: 'HH:MM', end: 'HH:MM' }, …] as the contract validated it */
  shifts: unknown;
  days: string;
  min_minutes: number;
  valid_from: string;
  valid_to: string | null;
}

export interface SchedulePatrol {
  id: string;
  grid_id: string;
  state: string;
  started_at: Date;
  ended_at: Date | null;
}

export interface ShiftWindow {
  planId: string;
  gridId: string;
  day: string;
  start: Date;
  end: Date;
  minMinutes: number;
}

export type ShiftStatus = 'done' | 'in_progress' | 'open' | 'upcoming' | 'missed';

export interface ShiftOutcome extends ShiftWindow {
  status: ShiftStatus;
  patrolId: string | null;
}

/** Midnight China time of a 'YYYY-MM-DD' day, as epoch ms. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS;
}

export function addDays(day: string, days: number): string {
  return localDayString(dayStartMs(day) + days * DAY_MS);
}

function minutes(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

/** The days from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}

/** Every window the plans ask for on the days from `from` to `to` (inclusive). */
export function windowsOf(
  plans: readonly SchedulePlan[],
  from: string,
  to: string,
  isWorkingDay: (day: string) => boolean,
): ShiftWindow[] {
  const out: ShiftWindow[] = [];
  for (const plan of plans) {
    const first = plan.valid_from > from ? plan.valid_from : from;
    const last = plan.valid_to !== null && plan.valid_to < to ? plan.valid_to : to;
    if (first > last) continue;
    for (const day of daysBetween(first, last)) {
      if (plan.days === 'workdays' && !isWorkingDay(day)) continue;
      const midnight = dayStartMs(day);
      for (const shift of plan.shifts as { start: string; end: string }[]) {
        out.push({
          planId: plan.id,
          gridId: plan.grid_id,
          day,
          start: new Date(midnight + minutes(shift.start) * 60_000),
          end: new Date(midnight + minutes(shift.end) * 60_000),
          minMinutes: plan.min_minutes,
        });
      }
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Did the patrol last long enough for a window (counting an active one up to now)? */
function lastedLongEnough(patrol: SchedulePatrol, minMinutes: number, now: Date): boolean {
  const end = patrol.ended_at ?? now;
  return end.getTime() - patrol.started_at.getTime() >= minMinutes * 60_000;
}

/** The status of each window at `now`, with the patrol that counts for it. */
export function settleWindows(
  windows: readonly ShiftWindow[],
  patrols: readonly SchedulePatrol[],
  now: Date,
): ShiftOutcome[] {
  const byGrid = new Map<string, SchedulePatrol[]>();
  for (const patrol of patrols) {
    const list = byGrid.get(patrol.grid_id) ?? [];
    list.push(patrol);
    byGrid.set(patrol.grid_id, list);
  }
  for (const list of byGrid.values()) list.sort((a, b) => a.started_at.getTime() - b.started_at.getTime());

  return windows.map((window) => {
    const inside = (byGrid.get(window.gridId) ?? []).filter(
      (p) => p.started_at >= window.start && p.started_at < window.end,
    );
    const done = inside.find(
      (p) => (p.state === 'ended' || window.end <= now) && lastedLongEnough(p, window.minMinutes, now),
    );
    if (done) return { ...window, status: 'done', patrolId: done.id };
    const active = inside.find((p) => p.state === 'active');
    if (active) return { ...window, status: 'in_progress', patrolId: active.id };
    const status: ShiftStatus = now < window.start ? 'upcoming' : now < window.end ? 'open' : 'missed';
    return { ...window, status, patrolId: null };
  });
}

/** 巡查率 counts: due = settled windows (done + missed); a window under way or still open waits. */
export function countWindows(outcomes: readonly ShiftOutcome[]): {
  due: number;
  done: number;
  missed: number;
} {
  let done = 0;
  let missed = 0;
  for (const outcome of outcomes) {
    if (outcome.status === 'done') done++;
    else if (outcome.status === 'missed') missed++;
  }
  return { due: done + missed, done, missed };
}
