import type { PhotoDescriptor, PhotoStage } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import type { WorkingCalendar } from '../calendar/working-time.ts';
import { findOrganisation } from '../org/repository.ts';
import { resolveRoute } from '../routing/resolve-route.ts';
import { attachPhotos } from '../uploads/attach-photos.ts';
import { describePhoto } from '../uploads/present.ts';

/**
 * The one place where the case module calls other capabilities' services: areas (point → grid,
 * units), routing (category × area → responsible organisation), uploads (attach photos) and the
 * working calendar. Everything else in the module goes through these functions.
 */

export interface CasePlace {
  streetId: string;
  communityId: string | null;
  gridId: string | null;
  gridName: string | null;
  /** the deepest of grid, community, street that holds the place */
  unitPath: string;
}

/** The grid (and community, street) of a point, or null outside every street. */
export async function placeOfPoint(app: App, point: { lng: number; lat: number }): Promise<CasePlace | null> {
  const resolved = await app.areas.resolvePoint(point);
  if (!resolved) return null;
  return {
    streetId: resolved.streetId,
    communityId: resolved.communityId,
    gridId: resolved.gridId,
    gridName: resolved.gridName,
    unitPath: resolved.unitPath,
  };
}

/**
 * The street, community and grid a unit lies in — a household, a compound, a grid itself — or null
 * for an unknown or inactive unit, or one above street level.
 */
export async function placeOfUnit(app: App, unitId: string): Promise<CasePlace | null> {
  const unit = await app.areas.getUnit(unitId);
  if (!unit?.isActive || !unit.streetId) return null;
  const line = [...(await app.areas.ancestors(unitId)), unit];
  const of = (kind: string) => line.find((u) => u.kind === kind);
  const grid = of('grid');
  const deepest = grid ?? of('community') ?? of('street');
  if (!deepest) return null;
  return {
    streetId: unit.streetId,
    communityId: of('community')?.id ?? null,
    gridId: grid?.id ?? null,
    gridName: grid?.name ?? null,
    unitPath: deepest.path,
  };
}

/** The responsible organisation routing chooses for a category at a place, or null when none is set up. */
export async function routeCase(
  db: Db,
  where: { categoryCode: string; unitPath: string },
): Promise<{ orgId: string; orgName: string } | null> {
  const org = await resolveRoute(db, where);
  return org ? { orgId: org.id, orgName: org.name } : null;
}

/** An organisation a case can be dispatched to: its street and whether it is active. */
export async function organisationOf(
  db: Db,
  orgId: string,
): Promise<{ id: string; name: string; streetId: string | null; isActive: boolean } | undefined> {
  return findOrganisation(db, orgId);
}

/**
 * Links uploaded photos to a case at a stage of the workflow, in the caller's transaction, and gives
 * what the journal records of each (id, SHA-256, stage): the evidence is part of the verifiable chain.
 */
export async function attachCasePhotos(
  trx: Db,
  input: { caseId: string; uploadIds: string[]; stage: PhotoStage; actorId: string | null },
): Promise<PhotoDescriptor[]> {
  if (input.uploadIds.length === 0) return [];
  return attachPhotos(trx, input);
}

export function workingCalendar(app: App): Promise<WorkingCalendar> {
  return app.calendar.get();
}

/** What a case's photo list shows of an upload: the same descriptor its journal entry holds. */
export function photoDescriptor(upload: { id: string; sha256: string }, stage: PhotoStage): PhotoDescriptor {
  return describePhoto(upload, stage);
}
