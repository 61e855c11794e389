import type { Track } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { logAccess } from '../people/repository.ts';
import { patrolErrors } from './errors.ts';
import { canReadTrack, cannotSee, isTrackReadLogged } from './policy.ts';
import { readFixes } from './record-points.ts';
import { findPatrol } from './repository.ts';
import { orderFixes, segmentsOf } from './track.ts';

export const TRACK_RECORD_TYPE = 'patrol_track';

/** The track as pieces between gaps: [lng, lat, epoch ms] per fix. */
export async function trackSegments(app: App, patrolId: string): Promise<[number, number, number][][]> {
  const fixes = orderFixes(await readFixes(app.db, app.fieldCipher, patrolId));
  return segmentsOf(fixes).map((segment) => segment.map((fix) => [fix[1], fix[2], fix[0]]));
}

/**
 * A patrol's GPS track, for the worker and the supervisors of the grid. A supervisor states why they
 * look; the read is written to the access log (PIPL art. 28) before the track is returned.
 */
export async function readTrack(
  app: App,
  actor: Actor,
  patrolId: string,
  request: { purpose?: string | undefined; ip: string | null },
): Promise<Track> {
  const patrol = await findPatrol(app.db, patrolId);
  if (!patrol) throw patrolErrors.patrolNotFound();
  if (!canReadTrack(actor, patrol)) throw cannotSee(actor);
  if (isTrackReadLogged(actor, patrol)) {
    if (!request.purpose) {
      throw errors.badRequest(
        {
          zh: '查看他人的巡查轨迹须说明用途（purpose），将记入访问日志',
          en: "Reading someone else's patrol track needs a purpose, which is kept in the access log",
        },
        { field: 'purpose' },
      );
    }
    await logAccess(app.db, {
      actorId: actor.userId,
      action: 'read',
      recordType: TRACK_RECORD_TYPE,
      recordId: patrolId,
      fields: ['track'],
      purpose: request.purpose,
      ip: request.ip,
    });
  }
  const segments = await trackSegments(app, patrolId);
  return {
    patrolId,
    segments,
    pointCount: segments.reduce((sum, s) => sum + s.length, 0),
    isPurged: patrol.track_purged_at !== null,
  };
}
