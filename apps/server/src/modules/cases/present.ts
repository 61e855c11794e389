import type { Case, CaseDetail, CasePriority, CaseSource, CaseState, Rating } from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import { maskName } from '../../privacy/mask.ts';
import type { WorkingCalendar } from '../calendar/working-time.ts';
import { actionLabel, statesAlongChain } from './case-journal.ts';
import type { CaseCategory } from './category-store.ts';
import { allowedActions, canSeeReporter, isStaff } from './policy.ts';
import type { CaseRow, TimelineRow } from './repository.ts';
import { STATE_NAMES, SUPERVISED_STATES, isTerminal } from './state-machine.ts';

export interface PresentContext {
  actor: Actor | null;
  calendar: WorkingCalendar;
  categories: ReadonlyMap<string, CaseCategory>;
  now: Date;
}

export type PresentableRow = CaseRow & {
  org_name?: string | null;
  assignee_name?: string | null;
  grid_name?: string | null;
};

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function categoryRef(categories: ReadonlyMap<string, CaseCategory>, code: string) {
  const category = categories.get(code);
  return {
    code,
    name: category?.name ?? { zh: code, en: code },
    majorName: category?.majorName ?? { zh: code.slice(0, 2), en: code.slice(0, 2) },
    isSensitive: category?.isSensitive ?? false,
  };
}

/** A case as the caller may see it: masked reporter unless allowed, time left, and what they may do now. */
export function presentCase(row: PresentableRow, context: PresentContext): Case {
  const { actor, calendar, now } = context;
  const state = row.state as CaseState;
  const seesReporter = canSeeReporter(
    actor,
    row as PresentableRow & { source: CaseSource; state: CaseState },
  );
  const hasDeadline = row.due_at !== null && !isTerminal(state);
  const timeLeft = hasDeadline ? Math.round(calendar.workingMinutesBetween(now, row.due_at!)) : null;
  const access = row as PresentableRow & { source: CaseSource; state: CaseState };
  return {
    id: row.id,
    code: row.code,
    state,
    stateName: STATE_NAMES[state],
    category: categoryRef(context.categories, row.category_code),
    priority: row.priority as CasePriority,
    source: row.source as CaseSource,
    description: row.description,
    address: row.address,
    location: row.lng !== null && row.lat !== null ? { lng: row.lng, lat: row.lat } : null,
    streetId: row.street_id,
    communityId: row.community_id,
    gridId: row.grid_id,
    gridName: row.grid_name ?? null,
    reporter: {
      userId: seesReporter ? row.reporter_id : null,
      name: row.reporter_name ? (seesReporter ? row.reporter_name : maskName(row.reporter_name)) : null,
      phone: row.reporter_phone_masked,
      isPublicAnonymous: row.is_public_anonymous,
    },
    org: row.org_id ? { id: row.org_id, name: row.org_name ?? '' } : null,
    assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
    reportedAt: row.reported_at.toISOString(),
    acceptedAt: iso(row.accepted_at),
    dispatchedAt: iso(row.dispatched_at),
    startedAt: iso(row.started_at),
    handledAt: iso(row.handled_at),
    verifiedAt: iso(row.verified_at),
    closedAt: iso(row.closed_at),
    dueAt: iso(row.due_at),
    handleDueAt: iso(row.handle_due_at),
    timeLeftMinutes: timeLeft,
    isOverdue: row.due_at !== null && SUPERVISED_STATES.includes(state) && row.due_at < now,
    wasOverdue: row.was_overdue,
    escalationLevel: row.escalation_level,
    escalatedToUnitId: row.escalated_to_unit_id,
    reworkCount: row.rework_count,
    rating: row.rating as Rating | null,
    mergedIntoId: row.merged_into_id,
    resultSummary: row.result_summary,
    rejectReason: row.reject_reason,
    version: row.version,
    allowedActions: allowedActions(actor, access),
  };
}

/**
 * The timeline of a case from its journal. Internal notes are for staff; a resident sees who acted by
 * their role, and their own entries by name.
 */
export function presentTimeline(rows: TimelineRow[], actor: Actor | null): CaseDetail['timeline'] {
  const staff = isStaff(actor);
  const states = statesAlongChain(rows.map((row) => row.payload));
  const out: CaseDetail['timeline'] = [];
  rows.forEach((row, index) => {
    if (!staff && row.action === 'note') return;
    const payload = (row.payload ?? {}) as Record<string, unknown>;
    const details: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(payload)) if (key !== 'set') details[key] = value;
    const showName = staff || (actor !== null && row.actor_id === actor.userId);
    out.push({
      seq: row.seq,
      action: row.action,
      label: actionLabel(row.action, payload),
      at: row.at.toISOString(),
      actor: {
        id: showName ? row.actor_id : null,
        name: showName ? row.actor_name : null,
        role: row.actor_role,
      },
      fromState: states[index]!.from,
      toState: states[index]!.to,
      details,
      hash: row.hash,
    });
  });
  return out;
}
