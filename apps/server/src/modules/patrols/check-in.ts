import { ZCheckIn } from '@minqing/contract';
import type { z } from 'zod';
import type { ZPatrolCheckIn } from '@minqing/contract';
import canonicalize from 'canonicalize';
import type { App } from '../../app.ts';
import { sha256Hex, type FieldCipher } from '../../crypto/index.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { clientTime } from './clock.ts';
import { patrolErrors } from './errors.ts';
import { appendPatrolEntry } from './patrol-entries.ts';
import { canReadPatrol, cannotSee, mayRecord } from './policy.ts';
import {
  findCheckin,
  insertCheckin,
  listCheckins,
  lockPatrol,
  updatePatrol,
  type CheckinRow,
} from './repository.ts';

export type PatrolCheckIn = z.infer<typeof ZPatrolCheckIn>;

const SPAN_MARGIN_MS = 5 * 60_000;

export function presentCheckin(
  row: CheckinRow & { unit_name: string | null },
  cipher: FieldCipher,
): PatrolCheckIn {
  return {
    id: row.id,
    at: row.at.toISOString(),
    unit: row.unit_id ? { id: row.unit_id, name: row.unit_name ?? '' } : null,
    label: row.label,
    note: row.note,
    location: row.location_enc
      ? (JSON.parse(cipher.decrypt(row.location_enc)) as { lng: number; lat: number })
      : null,
  };
}

/**
 * 打卡: the worker was at a point of the round — a building picked from the list, or where the phone
 * says. The phone chooses the id, so sending it again is safe. The journal records the check-in and
 * the building, not the coordinates.
 */
export async function checkIn(
  app: App,
  actor: Actor,
  patrolId: string,
  input: z.input<typeof ZCheckIn>,
  now = new Date(),
): Promise<{ status: 200 | 201; checkin: PatrolCheckIn }> {
  const body = ZCheckIn.parse(input);
  const requestHash = sha256Hex(canonicalize(body) ?? '');
  const at = clientTime(body.at, now, 'at');
  const unit = body.unitId ? await app.areas.getUnit(body.unitId) : undefined;
  const created = await inTransaction(app.db, async (trx) => {
    const patrol = await lockPatrol(trx, patrolId);
    if (!patrol) throw patrolErrors.patrolNotFound();
    if (!canReadPatrol(actor, patrol)) throw cannotSee(actor);
    if (!mayRecord(actor, patrol)) throw errors.forbidden();
    const earlier = await findCheckin(trx, body.id);
    if (earlier) {
      if (earlier.patrol_id !== patrolId || earlier.request_hash !== requestHash)
        throw patrolErrors.idReused();
      return false;
    }
    const spanEnd = (patrol.ended_at ?? now).getTime() + SPAN_MARGIN_MS;
    if (at.getTime() < patrol.started_at.getTime() - SPAN_MARGIN_MS || at.getTime() > spanEnd) {
      throw patrolErrors.outsidePatrol();
    }
    if (body.unitId && (!unit?.isActive || unit.streetId !== patrol.street_id)) {
      throw patrolErrors.unknownUnit(body.unitId);
    }
    await insertCheckin(trx, {
      id: body.id,
      patrol_id: patrolId,
      street_id: patrol.street_id,
      at,
      unit_id: body.unitId ?? null,
      label: body.label ?? null,
      note: body.note ?? null,
      request_hash: requestHash,
      location_enc: body.location ? app.fieldCipher.encrypt(JSON.stringify(body.location)) : null,
      received_at: now,
    });
    const changes = { checkin_count: patrol.checkin_count + 1 };
    await updatePatrol(trx, patrolId, changes);
    await appendPatrolEntry(trx, {
      patrolId,
      streetId: patrol.street_id,
      action: 'checkin',
      actorId: actor.userId,
      actorRole: 'grid_worker',
      at,
      changes,
      details: {
        checkinId: body.id,
        ...(body.unitId ? { unitId: body.unitId } : {}),
        ...(body.label ? { label: body.label } : {}),
      },
    });
    return true;
  });
  const rows = await listCheckins(app.db, patrolId);
  const row = rows.find((r) => r.id === body.id)!;
  return { status: created ? 201 : 200, checkin: presentCheckin(row, app.fieldCipher) };
}
