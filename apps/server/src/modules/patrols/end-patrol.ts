import { ZEndPatrol, type Patrol } from '@minqing/contract';
import type { z } from 'zod';
import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { clientTime } from './clock.ts';
import { patrolErrors } from './errors.ts';
import { appendPatrolEntry } from './patrol-entries.ts';
import { canReadPatrol, cannotSee, mayRecord } from './policy.ts';
import { presentPatrol, summaryOf } from './present.ts';
import { findPatrol, lockPatrol, updatePatrol, type PatrolRow } from './repository.ts';

/** What the journal keeps of a round when it ends: counts, never a coordinate. */
export function endDetails(row: PatrolRow, endedAt: Date): Record<string, unknown> {
  const summary = summaryOf({ ...row, ended_at: endedAt }, endedAt);
  return { summary };
}

/**
 * Ends the worker's round and gives its summary: how long, how far along the recorded track, how
 * many check-ins and findings. Sending the end again returns the ended patrol; a round the server
 * had already ended (the worker started another, or the phone fell silent for hours) stays as it is.
 */
export async function endPatrol(
  app: App,
  actor: Actor,
  patrolId: string,
  input: z.input<typeof ZEndPatrol>,
  now = new Date(),
): Promise<Patrol> {
  const body = ZEndPatrol.parse(input);
  await inTransaction(app.db, async (trx) => {
    const patrol = await lockPatrol(trx, patrolId);
    if (!patrol) throw patrolErrors.patrolNotFound();
    if (!canReadPatrol(actor, patrol)) throw cannotSee(actor);
    if (!mayRecord(actor, patrol)) throw errors.forbidden();
    if (patrol.state === 'ended') return;
    const endedAt = clientTime(body.endedAt, now, 'endedAt');
    if (endedAt < patrol.started_at) throw patrolErrors.outsidePatrol();
    const changes = { state: 'ended', ended_at: endedAt, end_reason: 'worker', note: body.note ?? null };
    await updatePatrol(trx, patrolId, changes);
    await appendPatrolEntry(trx, {
      patrolId,
      streetId: patrol.street_id,
      action: 'end',
      actorId: actor.userId,
      actorRole: 'grid_worker',
      at: endedAt,
      changes: body.note ? changes : { state: changes.state, ended_at: endedAt, end_reason: 'worker' },
      details: endDetails(patrol, endedAt),
    });
  });
  return presentPatrol((await findPatrol(app.db, patrolId))!, actor, now);
}
