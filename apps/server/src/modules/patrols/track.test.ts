import { describe, expect, it } from 'vitest';
import {
  distanceM,
  GAP_MS,
  orderFixes,
  segmentsOf,
  summarizeTrack,
  trackDistanceM,
  type Fix,
} from './track.ts';

// About 11.1 m per 0.0001° of latitude.
const T0 = Date.parse('2026-03-02T01:00:00Z');
const walkNorth = (start: number, count: number, everyMs = 5000, lat0 = 30): Fix[] =>
  Array.from({ length: count }, (_, i): Fix => [start + i * everyMs, 114, lat0 + i * 0.0001, 8]);

describe('patrol tracks', () => {
  it('measures great-circle distance in metres', () => {
    expect(distanceM({ lng: 114, lat: 30 }, { lng: 114, lat: 30.001 })).toBeCloseTo(111.2, 0);
    expect(distanceM({ lng: 0, lat: 0 }, { lng: 1, lat: 0 })).toBeCloseTo(111_195, -1);
  });

  it('orders fixes by time and keeps one per instant', () => {
    const fixes = walkNorth(T0, 3);
    const ordered = orderFixes([fixes[2]!, fixes[0]!, fixes[1]!, fixes[0]!]);
    expect(ordered.map((f) => f[0])).toEqual([T0, T0 + 5000, T0 + 10000]);
  });

  it('cuts the track at a gap and counts no distance across it', () => {
    const before = walkNorth(T0, 10); // 9 steps ≈ 100 m
    const after = walkNorth(T0 + 9 * 5000 + GAP_MS + 1000, 10, 5000, 30.01); // 1.1 km further north
    const segments = segmentsOf(orderFixes([...after, ...before]));
    expect(segments.map((s) => s.length)).toEqual([10, 10]);
    const metres = trackDistanceM(segments);
    expect(metres).toBeGreaterThan(195);
    expect(metres).toBeLessThan(205);
  });

  it('keeps a pause shorter than the gap limit in one piece', () => {
    const first = walkNorth(T0, 5);
    const second = walkNorth(T0 + 4 * 5000 + GAP_MS - 1000, 5, 5000, 30.0004);
    expect(segmentsOf(orderFixes([...first, ...second]))).toHaveLength(1);
  });

  it('leaves vague fixes and jumps out of the distance but not out of the track', () => {
    const fixes = walkNorth(T0, 5);
    fixes[2] = [fixes[2]![0], 114, 30.0002, 500]; // a fix from a mobile mast
    const jump: Fix = [T0 + 22_000, 114.05, 30.0004, 10]; // 5 km in 2 s
    const summary = summarizeTrack([...fixes, jump]);
    expect(summary.pointCount).toBe(6);
    expect(summary.segmentCount).toBe(1);
    expect(summary.distanceM).toBeGreaterThan(40);
    expect(summary.distanceM).toBeLessThan(50);
  });

  it('follows the walk again when the jump was the fix before it', () => {
    const stray: Fix = [T0, 114.05, 30, 10];
    const walk = walkNorth(T0 + 5000, 6);
    // the first good-looking fix was the stray one: after a few refusals the walk is measured again
    const metres = trackDistanceM(segmentsOf(orderFixes([stray, ...walk])));
    expect(metres).toBeGreaterThan(25);
    expect(metres).toBeLessThan(60);
  });

  it('summarises an empty track as nothing', () => {
    expect(summarizeTrack([])).toEqual({ pointCount: 0, segmentCount: 0, distanceM: 0, last: undefined });
  });
});
