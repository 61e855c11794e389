import { ZPointBatch, type PointBatch } from '@minqing/contract';
import canonicalize from 'canonicalize';
import type { z } from 'zod';
import type { ZPointBatchResult } from '@minqing/contract';
import type { App } from '../../app.ts';
import { sha256Hex, type FieldCipher } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { MAX_CLIENT_AGE_MS, MAX_CLIENT_SKEW_MS } from './clock.ts';
import { patrolErrors } from './errors.ts';
import { canReadPatrol, cannotSee, mayRecord } from './policy.ts';
import {
  findPointBatch,
  insertPointBatch,
  lockPatrol,
  readPointBatches,
  updatePatrol,
  type PatrolRow,
} from './repository.ts';
import { summarizeTrack, type Fix } from './track.ts';

export type PointBatchResult = z.infer<typeof ZPointBatchResult>;

/** Fixes a little before the start or after the end are the same walk (clocks, a slow first fix). */
const SPAN_MARGIN_MS = 60_000;

/** Every fix of a patrol, decrypted. */
export async function readFixes(db: Db, cipher: FieldCipher, patrolId: string): Promise<Fix[]> {
  const batches = await readPointBatches(db, patrolId);
  return batches.flatMap((encrypted) => JSON.parse(cipher.decrypt(encrypted)) as Fix[]);
}

/**
 * Stores a batch of GPS fixes of the worker's patrol. The batch's Idempotency-Key makes it safe to
 * send again (the phone lost the answer, or lost the network mid-upload): a repeat stores nothing and
 * answers as the first time. Fixes outside the patrol's time span are not stored; nothing is ever
 * added between fixes. The fixes are encrypted at rest; the summary (points, distance, pieces of
 * track) is recomputed from all of them, since a phone that was offline sends old fixes late.
 */
export async function recordPoints(
  app: App,
  actor: Actor,
  patrolId: string,
  input: PointBatch,
  key: string,
  now = new Date(),
): Promise<{ status: 200 | 201; result: PointBatchResult }> {
  const body = ZPointBatch.parse(input);
  const requestHash = sha256Hex(canonicalize(body) ?? '');
  return inTransaction(app.db, async (trx) => {
    const patrol = await lockPatrol(trx, patrolId);
    if (!patrol) throw patrolErrors.patrolNotFound();
    if (!canReadPatrol(actor, patrol)) throw cannotSee(actor);
    if (!mayRecord(actor, patrol)) throw errors.forbidden();

    const earlier = await findPointBatch(trx, patrolId, key);
    if (earlier) {
      if (earlier.request_hash !== requestHash) throw patrolErrors.idempotencyKeyReused();
      return { status: 200, result: resultOf(patrol, earlier.point_count, 0, true) };
    }

    const fixes = body.points.map((p): Fix => [
      Date.parse(p.at),
      Math.round(p.lng * 1e7) / 1e7,
      Math.round(p.lat * 1e7) / 1e7,
      p.accuracy === undefined ? null : Math.round(p.accuracy),
    ]);
    const inSpan = fixes.filter((fix) => isInSpan(fix[0], patrol, now));
    const times = inSpan.map((fix) => fix[0]);
    await insertPointBatch(trx, {
      patrol_id: patrolId,
      batch_key: key,
      request_hash: requestHash,
      street_id: patrol.street_id,
      first_at: new Date(times.length > 0 ? Math.min(...times) : now.getTime()),
      last_at: new Date(times.length > 0 ? Math.max(...times) : now.getTime()),
      point_count: inSpan.length,
      points_enc: app.fieldCipher.encrypt(JSON.stringify(inSpan)),
      received_at: now,
    });
    if (inSpan.length === 0) return { status: 201, result: resultOf(patrol, 0, fixes.length, false) };

    const summary = summarizeTrack(await readFixes(trx, app.fieldCipher, patrolId));
    const last = summary.last!;
    const changes = {
      point_count: summary.pointCount,
      segment_count: summary.segmentCount,
      distance_m: summary.distanceM,
      last_point_at: new Date(last[0]),
      last_position_enc: app.fieldCipher.encrypt(
        JSON.stringify({ lng: last[1], lat: last[2], accuracy: last[3] }),
      ),
    };
    await updatePatrol(trx, patrolId, changes);
    return {
      status: 201,
      result: resultOf({ ...patrol, ...changes }, inSpan.length, fixes.length - inSpan.length, false),
    };
  });
}

function isInSpan(at: number, patrol: PatrolRow, now: Date): boolean {
  const end = patrol.ended_at
    ? patrol.ended_at.getTime() + SPAN_MARGIN_MS
    : now.getTime() + MAX_CLIENT_SKEW_MS;
  return (
    at >= patrol.started_at.getTime() - SPAN_MARGIN_MS && at <= end && at >= now.getTime() - MAX_CLIENT_AGE_MS
  );
}

function resultOf(
  patrol: Pick<PatrolRow, 'id' | 'point_count' | 'distance_m'>,
  accepted: number,
  ignored: number,
  repeated: boolean,
): PointBatchResult {
  return {
    patrolId: patrol.id,
    accepted,
    ignored,
    repeated,
    pointCount: patrol.point_count,
    distanceM: Math.round(patrol.distance_m),
  };
}
