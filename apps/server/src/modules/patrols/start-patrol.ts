import { ZStartPatrol, type Patrol, type StartPatrol } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import type { Actor } from '../../policy/index.ts';
import { clientTime } from './clock.ts';
import { activeGrid } from './create-patrol-plan.ts';
import { endDetails } from './end-patrol.ts';
import { patrolErrors } from './errors.ts';
import { appendPatrolEntry, withoutNulls } from './patrol-entries.ts';
import { mayPatrolGrid } from './policy.ts';
import { presentPatrol } from './present.ts';
import {
  findPatrol,
  gridsUnder,
  insertPatrol,
  lockActivePatrolOf,
  updatePatrol,
  type PatrolRow,
} from './repository.ts';

export interface StartPatrolResult {
  /** 201 for a new patrol, 200 when the phone sent the same start again */
  status: 200 | 201;
  patrol: Patrol;
}

/** The grid a worker patrols when they name none: their only one. */
async function onlyGridOf(app: App, actor: Actor): Promise<string> {
  const paths = actor.roles.filter((g) => g.role === 'grid_worker').map((g) => g.unitPath);
  const grids = await gridsUnder(app.db, paths);
  if (grids.length !== 1) throw patrolErrors.gridRequired(grids.map((g) => ({ id: g.id, name: g.name })));
  return grids[0]!.id;
}

/**
 * Starts a round of a grid by one of its grid workers. The phone chooses the id and the start time,
 * so a patrol begun without a network is the same patrol when it arrives; sending it again returns
 * it. A patrol the worker left running (the phone was closed) ends where its track ends.
 */
export async function startPatrol(
  app: App,
  actor: Actor,
  input: StartPatrol,
  now = new Date(),
): Promise<StartPatrolResult> {
  const body = ZStartPatrol.parse(input);
  const repeat = await findPatrol(app.db, body.id);
  if (repeat) {
    if (repeat.worker_id !== actor.userId) throw patrolErrors.idReused();
    return { status: 200, patrol: presentPatrol(repeat, actor, now) };
  }
  const startedAt = clientTime(body.startedAt, now, 'startedAt');
  const grid = await activeGrid(app, body.gridId ?? (await onlyGridOf(app, actor)));
  if (!mayPatrolGrid(actor, grid.path)) throw patrolErrors.notGridWorker();
  const community = await app.areas.communityOf(grid.id);

  try {
    await inTransaction(app.db, async (trx) => {
      const previous = await lockActivePatrolOf(trx, actor.userId);
      if (previous) await supersede(trx, previous, startedAt, actor, now);
      const row = {
        id: body.id,
        street_id: grid.streetId,
        community_id: community?.id ?? null,
        grid_id: grid.id,
        unit_path: grid.path,
        worker_id: actor.userId,
        state: 'active',
        started_at: startedAt,
        received_at: now,
      };
      await insertPatrol(trx, row);
      await appendPatrolEntry(trx, {
        patrolId: row.id,
        streetId: row.street_id,
        action: 'start',
        actorId: actor.userId,
        actorRole: 'grid_worker',
        at: startedAt,
        changes: withoutNulls(row),
      });
    });
  } catch (error) {
    // The same start sent twice at once: the second finds the first's row.
    if (!isUniqueViolation(error)) throw error;
    const raced = await findPatrol(app.db, body.id);
    if (!raced || raced.worker_id !== actor.userId) throw error;
    return { status: 200, patrol: presentPatrol(raced, actor, now) };
  }
  return { status: 201, patrol: presentPatrol((await findPatrol(app.db, body.id))!, actor, now) };
}

/** Ends the worker's patrol still under way where its track ends (never after the new start). */
async function supersede(
  trx: Parameters<typeof updatePatrol>[0],
  previous: PatrolRow,
  nextStart: Date,
  actor: Actor,
  now: Date,
) {
  const lastSign = previous.last_point_at ?? previous.started_at;
  const endedAt = new Date(
    Math.max(previous.started_at.getTime(), Math.min(lastSign.getTime(), nextStart.getTime())),
  );
  const changes = { state: 'ended', ended_at: endedAt, end_reason: 'superseded' };
  await updatePatrol(trx, previous.id, changes);
  await appendPatrolEntry(trx, {
    patrolId: previous.id,
    streetId: previous.street_id,
    action: 'end',
    actorId: actor.userId,
    actorRole: 'grid_worker',
    at: now,
    changes,
    details: endDetails(previous, endedAt),
  });
}
