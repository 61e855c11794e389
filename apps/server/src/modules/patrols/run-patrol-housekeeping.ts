import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { endDetails } from './end-patrol.ts';
import { appendPatrolEntry } from './patrol-entries.ts';
import { findIdlePatrols, findPatrolsToPurge, lockPatrol, purgeTrack, updatePatrol } from './repository.ts';

/** A patrol with no sign of life (no fix, no start) for this long was left running: it is ended. */
export const IDLE_MS = 4 * 3600_000;
const BATCH = 200;

export interface HousekeepingResult {
  endedIdle: number;
  purged: number;
}

/**
 * The patrols module's background job: ends patrols a phone left running (at their last fix — the
 * round is not stretched over hours nobody walked), and deletes the tracks of patrols that ended
 * longer ago than PATROL_TRACK_RETENTION_DAYS (their fixes, check-in positions and last position;
 * the summary and the journal, which hold no coordinates, stay). `streetId` limits it to one street
 * (tests, and a city-wide deployment distributed by street).
 */
export async function runPatrolHousekeeping(
  app: App,
  now = new Date(),
  options: { streetId?: string } = {},
): Promise<HousekeepingResult> {
  let endedIdle = 0;
  for (const id of await findIdlePatrols(
    app.db,
    new Date(now.getTime() - IDLE_MS),
    BATCH,
    options.streetId,
  )) {
    const ended = await inTransaction(app.db, async (trx) => {
      const patrol = await lockPatrol(trx, id);
      if (!patrol || patrol.state !== 'active') return false;
      const lastSign = patrol.last_point_at ?? patrol.started_at;
      if (now.getTime() - lastSign.getTime() < IDLE_MS) return false;
      const changes = { state: 'ended', ended_at: lastSign, end_reason: 'idle' };
      await updatePatrol(trx, id, changes);
      await appendPatrolEntry(trx, {
        patrolId: id,
        streetId: patrol.street_id,
        action: 'end',
        actorId: null,
        actorRole: 'system',
        at: now,
        changes,
        details: endDetails(patrol, lastSign),
      });
      return true;
    });
    if (ended) endedIdle++;
  }

  let purged = 0;
  const cutoff = new Date(now.getTime() - app.config.patrolTrackRetentionDays * 86_400_000);
  for (const id of await findPatrolsToPurge(app.db, cutoff, BATCH, options.streetId)) {
    await inTransaction(app.db, async (trx) => {
      await lockPatrol(trx, id);
      await purgeTrack(trx, id, now);
    });
    purged++;
  }
  if (endedIdle > 0 || purged > 0) app.log.info({ endedIdle, purged }, 'patrol housekeeping');
  return { endedIdle, purged };
}
