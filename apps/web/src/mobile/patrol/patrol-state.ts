import { newId } from '../offline/uuid.ts';
import { enqueue } from '../offline/outbox.ts';

/**
 * The patrol under way on this phone, kept in localStorage so that a reload, WeChat closing the page or
 * a dead battery do not lose it: its id (chosen here, so it can start without a network), grid, start,
 * and the running figures shown on screen. The points themselves go to the outbox in batches.
 */
export interface ActivePatrol {
  id: string;
  gridId: string;
  gridName: string;
  startedAt: string;
  pointCount: number;
  distanceM: number;
  checkinCount: number;
  findingCount: number;
  lastFix: { lng: number; lat: number; at: number } | null;
  /** Fixes not yet put in the outbox. */
  buffer: Fix[];
}

export interface Fix {
  at: string;
  lng: number;
  lat: number;
  accuracy?: number;
}

const KEY = 'minqing.patrol';
/** A fix more than 2 minutes after the last is a gap: no distance is counted across it. */
export const GAP_MS = 120_000;

export function readActivePatrol(): ActivePatrol | null {
  try {
    const text = localStorage.getItem(KEY);
    return text ? (JSON.parse(text) as ActivePatrol) : null;
  } catch {
    return null;
  }
}

export function writeActivePatrol(patrol: ActivePatrol | null): void {
  if (patrol) localStorage.setItem(KEY, JSON.stringify(patrol));
  else localStorage.removeItem(KEY);
}

export function metresBetween(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}

/** Adds a fix to the running figures and the buffer. */
export function addFix(patrol: ActivePatrol, fix: Fix): ActivePatrol {
  const at = Date.parse(fix.at);
  const last = patrol.lastFix;
  const step = last && at - last.at <= GAP_MS ? metresBetween(last, fix) : 0;
  return {
    ...patrol,
    pointCount: patrol.pointCount + 1,
    distanceM: patrol.distanceM + step,
    lastFix: { lng: fix.lng, lat: fix.lat, at },
    buffer: [...patrol.buffer, fix],
  };
}

/** The next batch of buffered fixes (at most 500, the server's limit) and the patrol without them. */
export function takeBatch(patrol: ActivePatrol): [Fix[], ActivePatrol] {
  const points = patrol.buffer.slice(0, 500);
  return [points, { ...patrol, buffer: patrol.buffer.slice(points.length) }];
}

/** Puts a batch of fixes in the outbox with its own Idempotency-Key. */
export async function enqueueFixes(patrolId: string, points: Fix[]): Promise<void> {
  await enqueue({
    id: `points-${newId()}`,
    kind: 'points',
    patrolId,
    body: { points },
    photos: [],
    label: { zh: `巡查轨迹 ${points.length} 个点`, en: `Patrol track, ${points.length} points` },
  });
}
