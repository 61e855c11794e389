import type {
  CaseState,
  LiveBooksEvent,
  LiveCaseEvent,
  LiveFiguresEvent,
  LivePatrolEvent,
  LocalizedText,
} from '@minqing/contract';
import { actionLabel } from '../cases/case-journal.ts';
import type { CaseCategory } from '../cases/category-store.ts';
import { STATE_NAMES, SUPERVISED_STATES } from '../cases/state-machine.ts';
import { fullPosition, publicPosition } from './positions.ts';
import type { FeedCase, FeedDisclosure, FeedEntry, FeedPatrol } from './repository.ts';

export type Audience = 'public' | 'staff';

/** States in which a case has left the map for good (a closed case stays a while, then ages out). */
const OFF_MAP_STATES: readonly string[] = ['rejected', 'merged'];

/** How much of a description the staff form carries: enough for a feed line. */
const SUMMARY_LENGTH = 60;

function categoryOf(categories: ReadonlyMap<string, CaseCategory>, code: string) {
  const category = categories.get(code);
  return {
    code,
    name: category?.name ?? { zh: code, en: code },
    majorName: category?.majorName ?? { zh: code.slice(0, 2), en: code.slice(0, 2) },
    isSensitive: category?.isSensitive ?? false,
  };
}

/** Is the case past the deadline of its current stage (as the case views say)? */
export function isCaseOverdue(row: Pick<FeedCase, 'due_at' | 'state'>, now: Date): boolean {
  return row.due_at !== null && SUPERVISED_STATES.includes(row.state) && row.due_at.getTime() < now.getTime();
}

/**
 * A case entry in the form `audience` may see. The public form has no id, no names, no free text, and
 * the coarse position (docs/decisions/0661); the staff form is for those who may open the case.
 */
export function presentCaseEvent(
  entry: FeedEntry & { case: FeedCase },
  audience: Audience,
  context: { categories: ReadonlyMap<string, CaseCategory>; now: Date },
): LiveCaseEvent {
  const row = entry.case;
  const category = categoryOf(context.categories, row.category_code);
  const state = (entry.setState ?? row.state) as CaseState;
  const position = audience === 'staff' ? fullPosition(row) : publicPosition(row, category.isSensitive);
  return {
    kind: 'case',
    entryId: entry.id,
    at: entry.at.toISOString(),
    action: entry.action,
    label: actionLabel(entry.action, {
      passed: entry.passed,
      rating: entry.rating,
      method: entry.method,
    }),
    audience,
    caseId: audience === 'staff' ? row.id : null,
    code: row.code,
    state,
    stateName: STATE_NAMES[state] ?? { zh: state, en: state },
    category,
    source: row.source,
    streetId: row.street_id,
    communityId: row.community_id,
    grid: row.grid_id ? { id: row.grid_id, name: row.grid_name ?? '' } : null,
    position: position ? { lng: position.lng, lat: position.lat } : null,
    isCoarse: position?.isCoarse ?? true,
    isOverdue: isCaseOverdue(row, context.now),
    isOnMap: !OFF_MAP_STATES.includes(state),
    summary: audience === 'staff' ? row.description.slice(0, SUMMARY_LENGTH) : null,
  };
}

const PATROL_LABELS: Record<string, LocalizedText> = {
  start: { zh: '开始巡查', en: 'Patrol started' },
  checkin: { zh: '巡查打卡', en: 'Patrol check-in' },
  finding: { zh: '巡查发现问题', en: 'Problem found on patrol' },
  end: { zh: '巡查结束', en: 'Patrol ended' },
};

/** A patrol entry: that a grid is being patrolled, for everyone; who and which patrol, for staff in scope. */
export function presentPatrolEvent(
  entry: FeedEntry & { patrol: FeedPatrol },
  audience: Audience,
): LivePatrolEvent {
  const patrol = entry.patrol;
  const state = entry.setState ?? patrol.state;
  return {
    kind: 'patrol',
    entryId: entry.id,
    at: entry.at.toISOString(),
    action: entry.action,
    label: PATROL_LABELS[entry.action] ?? { zh: entry.action, en: entry.action },
    audience,
    patrolId: audience === 'staff' ? patrol.id : null,
    state: state === 'active' || state === 'ended' ? state : null,
    streetId: patrol.street_id,
    communityId: patrol.community_id,
    grid: { id: patrol.grid_id, name: patrol.grid_name ?? '' },
    worker: audience === 'staff' ? { id: patrol.worker_id, name: patrol.worker_name ?? '' } : null,
  };
}

/** A village's books were published (a disclosure sealed): the same public form for everyone. */
export function presentBooksEvent(entry: FeedEntry & { disclosure: FeedDisclosure }): LiveBooksEvent {
  const disclosure = entry.disclosure;
  return {
    kind: 'books',
    entryId: entry.id,
    at: entry.at.toISOString(),
    audience: 'public',
    bookId: disclosure.book_id,
    unitId: disclosure.unit_id,
    streetId: disclosure.street_id,
    disclosureId: disclosure.id,
    label: disclosure.label,
  };
}

/** The figures event for the case entries of one burst that a stream follows. */
export function presentFiguresEvent(rows: readonly FeedEntry[], lastId: number, at: Date): LiveFiguresEvent {
  const streets = new Set<string>();
  const communities = new Set<string>();
  const grids = new Set<string>();
  for (const entry of rows) {
    if (!entry.case) continue;
    streets.add(entry.case.street_id);
    if (entry.case.community_id) communities.add(entry.case.community_id);
    if (entry.case.grid_id) grids.add(entry.case.grid_id);
  }
  return {
    kind: 'figures',
    entryId: lastId,
    at: at.toISOString(),
    streetIds: [...streets],
    communityIds: [...communities],
    gridIds: [...grids],
  };
}

/** One Server-Sent Events message: `id`, `event` and one line of JSON data. */
export function sseFrame(event: string, data: unknown, id?: number | null): string {
  const idLine = id === undefined || id === null ? '' : `id: ${id}\n`;
  // JSON.stringify never emits a raw newline, so one data line carries the whole event.
  return `${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
