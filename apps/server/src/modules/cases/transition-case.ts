import type { Case, CaseAction, CasePriority, CaseState } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import type { WorkingCalendar } from '../calendar/working-time.ts';
import { insertEntries, prepareEntry, readChainHead } from '../journal/append-entry.ts';
import { CASE_RECORD_TYPE, journalSet } from './case-journal.ts';
import { CategoryStore, type CaseCategory } from './category-store.ts';
import { attachCasePhotos, workingCalendar } from './collaborators.ts';
import { stageDeadline, type Stage } from './deadlines.ts';
import { notifyUsers, type NewNotification } from '../people/notify-users.ts';
import { reporterNotice, type ReporterNotice } from './notices.ts';
import { actingRole, authorizeAction, canReadCase, cannotSee } from './policy.ts';
import { presentCase } from './present.ts';
import {
  findCaseWithNames,
  lockCase,
  lockCases,
  updateCase,
  type CaseRow,
  type CaseUpdate,
} from './repository.ts';
import {
  isTerminal,
  nextState,
  SUPERVISED_STATES,
  type EventAction,
  type TransitionAction,
} from './state-machine.ts';

export interface ActionOptions {
  /** When it happened; defaults to now (the demo seeder replays the past). */
  at?: Date;
}

export interface ActionContext {
  trx: Db;
  row: CaseRow;
  at: Date;
  calendar: WorkingCalendar;
  category: CaseCategory;
}

/** What an action does to a case, decided by its use-case with the row locked. */
export interface ActionEffect {
  /** verify: 'pass' | 'fail'; rate and follow-up: the rating — picks the row of the transition table */
  outcome?: string;
  /** Columns the action sets besides the state and the stage's deadlines. */
  changes?: CaseUpdate;
  /** The event's own fields for the journal payload (reason, result, rating, note …), no personal data. */
  details?: Record<string, unknown>;
  photos?: { ids: string[]; stage: 'before' | 'after' | 'verify' };
  reporterNotice?: ReporterNotice;
  notifications?: (row: CaseRow) => Promise<NewNotification[]>;
  /** More writes in the same transaction once the case row and its entry are written (merge). */
  afterWrite?: (trx: Db, row: CaseRow) => Promise<void>;
}

export type ActingAs = { actor: Actor } | { system: true };

/**
 * Runs one action of a person on a case: lock the row, check the caller may see it, the version
 * they saw, that the state allows the action and their role does, let the use-case decide, then
 * write the row, its journal entry and notifications in the same transaction.
 */
export async function runCaseAction(
  app: App,
  actor: Actor,
  caseId: string,
  action: CaseAction,
  options: ActionOptions & {
    expectedVersion?: number | undefined;
    /** Other cases the action writes (merge): all are locked in id order before anything is read. */
    lockAlso?: string[];
  },
  decide: (context: ActionContext) => Promise<ActionEffect> | ActionEffect,
): Promise<Case> {
  const at = options.at ?? new Date();
  const [calendar, categories] = await Promise.all([workingCalendar(app), CategoryStore.of(app.db).all()]);
  const row = await inTransaction(app.db, async (trx) => {
    if (options.lockAlso) await lockCases(trx, [caseId, ...options.lockAlso]);
    const locked = await lockCase(trx, caseId);
    if (!locked || !canReadCase(actor, accessOf(locked))) throw locked ? cannotSee(actor) : notFound();
    if (options.expectedVersion !== undefined && options.expectedVersion !== locked.version) {
      throw errors.staleVersion(locked.version);
    }
    authorizeAction(actor, action, accessOf(locked));
    const category = categoryOf(categories, locked.category_code);
    const effect = await decide({ trx, row: locked, at, calendar, category });
    await applyCaseEffect(trx, locked, action, effect, { actor }, { at, calendar, category });
    return (await findCaseWithNames(trx, caseId))!;
  });
  return presentCase(row, { actor, calendar, categories, now: new Date() });
}

export function notFound() {
  return errors.notFound({ zh: '事件', en: 'Case' });
}

export function categoryOf(categories: ReadonlyMap<string, CaseCategory>, code: string): CaseCategory {
  const category = categories.get(code);
  // The foreign key guarantees the category exists; only a cache older than a new category can miss it.
  if (!category) throw new Error(`case category ${code} is not loaded`);
  return category;
}

export function accessOf(row: CaseRow) {
  return row as CaseRow & { state: CaseState; source: Case['source'] };
}

/**
 * Writes what an action did: the new state (from the transition table), the deadlines of the stage
 * it enters, the row, the journal entry whose `payload.set` holds exactly the changed projected
 * columns, photos and notifications — all in the caller's transaction.
 */
export async function applyCaseEffect(
  trx: Db,
  row: CaseRow,
  action: TransitionAction | EventAction | 'absorb',
  effect: ActionEffect,
  by: ActingAs,
  context: { at: Date; calendar: WorkingCalendar; category: CaseCategory },
): Promise<CaseRow> {
  const { at } = context;
  const from = row.state as CaseState;
  const to = action === 'absorb' ? from : nextState(from, action, effect.outcome);
  if (!to) {
    // The policy checked the action; only an outcome outside the table (a bug) can land here.
    throw new Error(`no transition for ${action}/${effect.outcome ?? ''} from ${from}`);
  }
  const changes: CaseUpdate = { ...effect.changes };
  if (to !== from) {
    changes.state = to;
    Object.assign(changes, stageChanges(row, to, action, context));
    // A stage that ends after its deadline marks the case late for good (按期结案率).
    if (!row.was_overdue && row.due_at && at > row.due_at && SUPERVISED_STATES.includes(from)) {
      changes.was_overdue = true;
    }
  }
  if (to !== from || action === 'assign-grid') changes.version = row.version + 1;

  const actor = 'actor' in by ? by.actor : null;
  // The row first: photos point at the case, and their descriptors go into the entry.
  const head = await readChainHead(trx, CASE_RECORD_TYPE, row.id);
  changes.journal_seq = head.seq + 1;
  await updateCase(trx, row.id, changes);
  const photos = effect.photos
    ? await attachCasePhotos(trx, {
        caseId: row.id,
        uploadIds: effect.photos.ids,
        stage: effect.photos.stage,
        actorId: actor?.userId ?? null,
      })
    : [];
  const entry = prepareEntry(
    {
      streetId: row.street_id,
      recordType: CASE_RECORD_TYPE,
      recordId: row.id,
      action,
      actorId: actor?.userId ?? null,
      actorRole: actor ? actingRole(actor, accessOf(row)) : 'system',
      at,
      payload: { set: journalSet(changes), ...effect.details, ...(photos.length > 0 ? { photos } : {}) },
    },
    head,
  );
  await insertEntries(trx, [entry]);
  const updated: CaseRow = { ...row, ...(changes as Partial<CaseRow>) };

  const notifications = [
    ...(effect.reporterNotice ? await reporterNotice(trx, updated, effect.reporterNotice, at) : []),
    ...((await effect.notifications?.(updated)) ?? []),
  ].filter((n) => n.userId !== actor?.userId);
  await notifyUsers(trx, notifications);
  await effect.afterWrite?.(trx, updated);
  return updated;
}

/**
 * The deadline columns of the stage a transition enters. Accepting keeps the accept-and-dispatch
 * deadline running; a return to the dispatcher restarts it; dispatch (also for rework) starts the
 * handling time limit; handling starts the check; a passed check starts the follow-up window.
 */
function stageChanges(
  row: CaseRow,
  to: CaseState,
  action: string,
  context: { at: Date; calendar: WorkingCalendar; category: CaseCategory },
): CaseUpdate {
  if (isTerminal(to)) return { due_at: null, next_check_at: null };
  const stage = STAGE_OF[to];
  if (!stage || (to === 'accepted' && action === 'accept')) return {};
  const { dueAt, nextCheckAt } = stageDeadline(
    context.calendar,
    context.category.timeLimits,
    stage,
    row.priority as CasePriority,
    context.at,
  );
  const changes: CaseUpdate = { due_at: dueAt, next_check_at: nextCheckAt };
  if (row.reminded_at !== null) changes.reminded_at = null;
  if (to === 'dispatched') changes.handle_due_at = dueAt;
  return changes;
}

/** The stage a state starts; in_progress continues the handling stage begun at dispatch. */
const STAGE_OF: Partial<Record<CaseState, Stage>> = {
  accepted: 'accept',
  dispatched: 'handle',
  handled: 'verify',
  follow_up: 'follow_up',
};

/** The columns a rework (返工) resets: the case goes back to its organisation for another round. */
export function reworkChanges(row: CaseRow, at: Date): CaseUpdate {
  return {
    rework_count: row.rework_count + 1,
    dispatched_at: at,
    started_at: null,
    handled_at: null,
    handled_by: null,
    verified_at: null,
  };
}
