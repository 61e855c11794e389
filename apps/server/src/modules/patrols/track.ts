/**
 * A patrol's track from the fixes the phone sent: sorted by time, cut into segments wherever no fix
 * arrived for longer than GAP_MS. Nothing is drawn or counted across a gap — we do not know where the
 * worker walked while the phone was asleep or had no signal, so the track says so instead of guessing.
 */

/** [epoch ms, lng, lat, accuracy in metres or null] — the stored form of one fix. */
export type Fix = [number, number, number, number | null];

/** No fix for longer than this starts a new segment (the phone records every few seconds). */
export const GAP_MS = 2 * 60_000;
/** Fixes vaguer than this (metres) are kept in the track but not used to measure distance. */
export const MAX_ACCURACY_FOR_DISTANCE_M = 100;
/** Faster than this (m/s, ~90 km/h) between two fixes is a GPS jump, not a walk or a ride. */
const MAX_SPEED_MS = 25;

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres between two WGS-84 points (haversine). */
export function distanceM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Fixes in time order, one per instant (a batch sent twice under different keys adds nothing). */
export function orderFixes(fixes: Iterable<Fix>): Fix[] {
  const byTime = new Map<number, Fix>();
  for (const fix of fixes) if (!byTime.has(fix[0])) byTime.set(fix[0], fix);
  return [...byTime.values()].sort((a, b) => a[0] - b[0]);
}

/** The fixes cut at every gap longer than GAP_MS. */
export function segmentsOf(ordered: Fix[]): Fix[][] {
  const segments: Fix[][] = [];
  let current: Fix[] = [];
  for (const fix of ordered) {
    const previous = current.at(-1);
    if (previous && fix[0] - previous[0] > GAP_MS) {
      segments.push(current);
      current = [];
    }
    current.push(fix);
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

const isPrecise = (fix: Fix) => fix[3] === null || fix[3] <= MAX_ACCURACY_FOR_DISTANCE_M;

/**
 * Metres walked along the segments: between consecutive precise fixes of a segment, leaving out
 * jumps faster than a vehicle (a fix from a mobile mast rather than the satellites).
 */
export function trackDistanceM(segments: Fix[][]): number {
  let total = 0;
  for (const segment of segments) {
    let previous: Fix | undefined;
    let jumps = 0;
    for (const fix of segment) {
      if (!isPrecise(fix)) continue;
      if (previous) {
        const metres = distanceM({ lng: previous[1], lat: previous[2] }, { lng: fix[1], lat: fix[2] });
        const seconds = (fix[0] - previous[0]) / 1000;
        if (metres / seconds > MAX_SPEED_MS) {
          // A jump: measure the next step from the last good fix — unless the jumps go on, in which
          // case the "good" fix was the stray one and the walk continues from here.
          if (++jumps < 3) continue;
        } else {
          total += metres;
        }
      }
      jumps = 0;
      previous = fix;
    }
  }
  return total;
}

export interface TrackSummary {
  pointCount: number;
  segmentCount: number;
  distanceM: number;
  last: Fix | undefined;
}

export function summarizeTrack(fixes: Iterable<Fix>): TrackSummary {
  const ordered = orderFixes(fixes);
  const segments = segmentsOf(ordered);
  return {
    pointCount: ordered.length,
    segmentCount: segments.length,
    distanceM: trackDistanceM(segments),
    last: ordered.at(-1),
  };
}
