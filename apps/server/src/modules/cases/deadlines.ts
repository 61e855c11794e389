import type { CasePriority } from '@minqing/contract';
import { z } from 'zod';
import type { TimeLimit, WorkingCalendar } from '../calendar/working-time.ts';

/**
 * Time limits (时限) of one minor class, as `case_categories.time_limits` holds them: accepting and
 * dispatching (受理派遣), handling by priority (处置), the on-site check (核查, optional: a default
 * applies) and the follow-up window (回访) after which the case closes by itself.
 */
const ZTimeLimit = z.object({
  amount: z.number().positive(),
  unit: z.enum(['working_hours', 'working_days', 'calendar_hours', 'calendar_days']),
});
export const ZTimeLimits = z.object({
  accept: ZTimeLimit,
  handle: z.object({ normal: ZTimeLimit, urgent: ZTimeLimit }),
  verify: ZTimeLimit.optional(),
  follow_up: ZTimeLimit,
});
export type TimeLimits = z.infer<typeof ZTimeLimits>;

/** Verification is a short site visit; a category may set its own limit. */
export const DEFAULT_VERIFY_LIMIT: TimeLimit = { amount: 1, unit: 'working_days' };
/** An overdue case is escalated again when it is still overdue this long after the last escalation. */
export const RE_ESCALATION_INTERVAL: TimeLimit = { amount: 2, unit: 'working_days' };
/** The reminder (催办) goes out when this share of the stage's time has passed. */
export const REMINDER_SHARE = 0.75;

export type Stage = 'accept' | 'handle' | 'verify' | 'follow_up';

export function stageLimit(limits: TimeLimits, stage: Stage, priority: CasePriority): TimeLimit {
  switch (stage) {
    case 'accept':
      return limits.accept;
    case 'handle':
      return limits.handle[priority];
    case 'verify':
      return limits.verify ?? DEFAULT_VERIFY_LIMIT;
    case 'follow_up':
      return limits.follow_up;
  }
}

export interface StageDeadline {
  dueAt: Date;
  /** When the scheduler next looks at the case: the reminder point, or the deadline itself for follow-up. */
  nextCheckAt: Date;
}

/**
 * The deadline of a stage that starts at `from`, on the working calendar, and when the scheduler must
 * first look at it. Follow-up has no reminder: at its end the case simply closes.
 */
export function stageDeadline(
  calendar: WorkingCalendar,
  limits: TimeLimits,
  stage: Stage,
  priority: CasePriority,
  from: Date,
): StageDeadline {
  const limit = stageLimit(limits, stage, priority);
  const dueAt = calendar.add(from, limit);
  if (stage === 'follow_up') return { dueAt, nextCheckAt: dueAt };
  const remindAt = calendar.add(from, { amount: limit.amount * REMINDER_SHARE, unit: limit.unit });
  return { dueAt, nextCheckAt: remindAt < dueAt ? remindAt : dueAt };
}
