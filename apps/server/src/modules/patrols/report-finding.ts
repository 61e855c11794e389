import {
  ZPatrolFinding,
  type Case,
  type CaseDetail,
  type LocalizedText,
  type PatrolFindingInput,
  type PatrolFindingResult,
} from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { AppError, errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { performCaseAction } from '../cases/case-actions.ts';
import { createCase } from '../cases/create-case.ts';
import { getCase } from '../cases/get-case.ts';
import { patrolErrors } from './errors.ts';
import { appendPatrolEntry } from './patrol-entries.ts';
import { canReadPatrol, cannotSee, mayRecord } from './policy.ts';
import { findFinding, findPatrolAccess, insertFinding, lockPatrol, updatePatrol } from './repository.ts';

/**
 * A problem found on patrol becomes a case (source patrol) through the case intake, and is linked to
 * the patrol in the patrol's journal. With `onTheSpot` (即报即办) the worker then takes it through
 * accept → dispatch to themselves → start → submit with the after photos, each a case action with its
 * own journal entry, so the case waits for someone else's check (核查) already handled.
 *
 * The finding's Idempotency-Key makes the whole of it safe to send again: the intake returns the case
 * it made, the link is not made twice, and on-the-spot handling resumes from the case's current
 * state — so a connection dropped half-way loses nothing and doubles nothing.
 */
export async function reportFinding(
  app: App,
  actor: Actor,
  patrolId: string,
  input: PatrolFindingInput,
  key: string,
): Promise<{ status: 200 | 201; result: PatrolFindingResult }> {
  const body = ZPatrolFinding.parse(input);
  const patrol = await findPatrolAccess(app.db, patrolId);
  if (!patrol) throw patrolErrors.patrolNotFound();
  if (!canReadPatrol(actor, patrol)) throw cannotSee(actor);
  if (!mayRecord(actor, patrol)) throw errors.forbidden();

  const intake = await createCase(
    app,
    actor,
    {
      categoryCode: body.categoryCode,
      description: body.description,
      ...(body.location ? { location: body.location } : {}),
      ...(body.address ? { address: body.address } : {}),
      ...(body.unitId ? { unitId: body.unitId } : {}),
      ...(body.photoIds ? { photoIds: body.photoIds } : {}),
      priority: body.priority,
      isPublicAnonymous: false,
    },
    { idempotencyKey: `patrol:${patrolId}:${key}`, source: 'patrol' },
  );
  const caseId = intake.case.id;
  const linkedBefore = await linkFinding(
    app,
    actor,
    patrolId,
    key,
    intake.case,
    body.onTheSpot !== undefined,
  );

  let outcome: PatrolFindingResult['outcome'] = 'reported';
  let reason: LocalizedText | null = null;
  let current: Case = intake.case;
  if (body.onTheSpot) {
    const handled = await handleOnTheSpot(app, actor, caseId, body.onTheSpot);
    outcome = handled.outcome;
    reason = handled.reason;
    current = handled.case;
  } else if (linkedBefore) {
    current = await getCase(app, actor, caseId);
  }
  const repeated = intake.status === 200 && linkedBefore;
  return {
    status: repeated ? 200 : 201,
    result: { patrolId, outcome, reason, repeated, case: stripDetail(current) },
  };
}

/** Links the case to the patrol once, in the patrol's chain; true when it was linked before. */
async function linkFinding(
  app: App,
  actor: Actor,
  patrolId: string,
  key: string,
  reported: Case,
  onTheSpot: boolean,
): Promise<boolean> {
  return inTransaction(app.db, async (trx) => {
    const patrol = await lockPatrol(trx, patrolId);
    if (!patrol) throw patrolErrors.patrolNotFound();
    const earlier = await findFinding(trx, patrolId, key);
    if (earlier) {
      if (earlier.case_id !== reported.id) throw patrolErrors.idempotencyKeyReused();
      return true;
    }
    await insertFinding(trx, {
      patrol_id: patrolId,
      finding_key: key,
      case_id: reported.id,
      street_id: patrol.street_id,
      on_the_spot: onTheSpot,
    });
    const changes = {
      finding_count: patrol.finding_count + 1,
      handled_count: patrol.handled_count + (onTheSpot ? 1 : 0),
    };
    await updatePatrol(trx, patrolId, changes);
    await appendPatrolEntry(trx, {
      patrolId,
      streetId: patrol.street_id,
      action: 'finding',
      actorId: actor.userId,
      actorRole: 'grid_worker',
      at: new Date(reported.reportedAt),
      changes,
      details: {
        caseId: reported.id,
        caseCode: reported.code,
        categoryCode: reported.category.code,
        onTheSpot,
      },
    });
    return false;
  });
}

const NOT_YOURS: LocalizedText = {
  zh: '该事件已由社区接手，未能即报即办，将按正常流程处置',
  en: 'The community has taken this case on; it follows the usual workflow instead of on-the-spot handling',
};

/**
 * Takes the case from wherever it is now to "handled by me": each step is the case module's own
 * action (policy, state machine, journal). A refusal — the place is outside the worker's grid, no
 * organisation is responsible, an admin got there first — stops it, and the case follows the usual
 * workflow; the refusal is the reason given to the worker.
 */
async function handleOnTheSpot(
  app: App,
  actor: Actor,
  caseId: string,
  spot: { result: string; afterPhotoIds: string[] },
): Promise<{ outcome: 'handled' | 'pending'; reason: LocalizedText | null; case: Case }> {
  const note = '即报即办（巡查中当场处置）';
  let current: Case | CaseDetail = await getCase(app, actor, caseId);
  for (let step = 0; step < 5; step++) {
    const mine = current.assignee?.id === actor.userId;
    if (['handled', 'follow_up', 'closed'].includes(current.state) && mine) {
      return { outcome: 'handled', reason: null, case: current };
    }
    const next = nextStep(current, mine);
    if (!next || !current.allowedActions.includes(next)) break;
    try {
      current = await runStep(app, actor, current, next, note, spot);
    } catch (error) {
      // A business rule said no (4xx): the case stays where it is, in the usual workflow.
      if (error instanceof AppError && error.status >= 400 && error.status < 500) {
        return { outcome: 'pending', reason: error.text, case: await getCase(app, actor, caseId) };
      }
      throw error;
    }
  }
  return { outcome: 'pending', reason: NOT_YOURS, case: current };
}

function nextStep(current: Case, mine: boolean): 'accept' | 'dispatch' | 'start' | 'submit' | null {
  switch (current.state) {
    case 'reported':
      return 'accept';
    case 'accepted':
      return 'dispatch';
    case 'dispatched':
      return mine ? 'start' : null;
    case 'in_progress':
      return mine ? 'submit' : null;
    default:
      return null;
  }
}

function runStep(
  app: App,
  actor: Actor,
  current: Case,
  action: 'accept' | 'dispatch' | 'start' | 'submit',
  note: string,
  spot: { result: string; afterPhotoIds: string[] },
): Promise<Case> {
  const expectedVersion = current.version;
  switch (action) {
    case 'accept':
      return performCaseAction(app, actor, current.id, 'accept', { expectedVersion, note });
    case 'dispatch':
      return performCaseAction(app, actor, current.id, 'dispatch', {
        expectedVersion,
        assigneeId: actor.userId,
        note,
      });
    case 'start':
      return performCaseAction(app, actor, current.id, 'start', { expectedVersion });
    case 'submit':
      return performCaseAction(app, actor, current.id, 'submit', {
        expectedVersion,
        result: spot.result,
        photoIds: spot.afterPhotoIds,
      });
  }
}

/** The finding answer carries the case itself, not its timeline. */
function stripDetail(value: Case | CaseDetail): Case {
  if (!('timeline' in value)) return value;
  const { timeline: _timeline, photos: _photos, closureStandard: _standard, ...rest } = value;
  return rest;
}
