import type { App } from '../../app.ts';
import { OPEN_STATES, SUPERVISED_STATES } from '../cases/state-machine.ts';
import { isCaseOverdue } from '../live/present-event.ts';
import type { FeedCase } from '../live/repository.ts';

/** Amber: the deadline falls within this many working hours (docs/decisions/0663). */
export const NEAR_DEADLINE_WORKING_HOURS = 4;

export type DeadlineWarning = 'overdue' | 'near' | 'on_time';

/** The instant 4 working hours from now (the working calendar: weekends, holidays, office hours). */
export async function nearDeadlineLimit(app: App, now: Date): Promise<Date> {
  const calendar = await app.calendar.get();
  return calendar.add(now, { unit: 'working_hours', amount: NEAR_DEADLINE_WORKING_HOURS });
}

export function isOpen(row: Pick<FeedCase, 'state'>): boolean {
  return OPEN_STATES.includes(row.state);
}

/**
 * Red, amber or green for an open case (null for a closed one): red past the deadline of its current
 * stage, amber when that deadline comes within 4 working hours, green otherwise. A case waiting for
 * its follow-up (回访) has no running deadline: green.
 */
export function deadlineWarning(
  row: Pick<FeedCase, 'state' | 'due_at'>,
  now: Date,
  nearLimit: Date,
): DeadlineWarning | null {
  if (!isOpen(row)) return null;
  if (isCaseOverdue(row, now)) return 'overdue';
  if (row.due_at && SUPERVISED_STATES.includes(row.state) && row.due_at.getTime() <= nearLimit.getTime()) {
    return 'near';
  }
  return 'on_time';
}
