import { describe, expect, it } from 'vitest';
import { CASES_ZOOM, clampBBox, clusterPoints, expansionZoom, mercatorX, mercatorY } from './cluster.ts';

function point(lng: number, lat: number) {
  return { lng, lat, x: mercatorX(lng), y: mercatorY(lat) };
}

/** A street-sized spread: 5,000 points over ~4 km, deterministic. */
function spread(count: number) {
  const points = [];
  let seed = 7;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < count; i++) points.push(point(120.1 + next() * 0.04, 30.2 + next() * 0.04));
  return points;
}

describe('server-side clustering', () => {
  it('puts every point in exactly one cell at every zoom', () => {
    const points = spread(5_000);
    for (let zoom = 0; zoom <= CASES_ZOOM; zoom++) {
      const { cells } = clusterPoints(points, zoom, Infinity);
      expect(cells.reduce((sum, cell) => sum + cell.points.length, 0)).toBe(points.length);
      expect(new Set(cells.map((cell) => cell.id)).size).toBe(cells.length);
    }
  });

  it('makes cells larger when a crowded viewport would give too many, and says so', () => {
    const points = spread(5_000);
    const capped = clusterPoints(points, 17, 300);
    expect(capped.truncated).toBe(true);
    expect(capped.level).toBeLessThan(17);
    expect(capped.cells.length).toBeLessThanOrEqual(300);
    expect(capped.cells.reduce((sum, cell) => sum + cell.points.length, 0)).toBe(5_000);
    expect(clusterPoints(points, 10, 300).truncated).toBe(false);
  });

  it('gives the same cell ids for the same points and zoom (markers do not flicker)', () => {
    const a = clusterPoints(spread(500), 14, 300)
      .cells.map((cell) => cell.id)
      .sort();
    const b = clusterPoints(spread(500).reverse(), 14, 300)
      .cells.map((cell) => cell.id)
      .sort();
    expect(a).toEqual(b);
  });

  it('finds the zoom where a cluster splits; points at one spot are listed at the cases zoom', () => {
    const pair = [point(120.1, 30.2), point(120.1005, 30.2)];
    const split = expansionZoom(pair, 10, 11);
    expect(split).toBeGreaterThan(10);
    expect(clusterPoints(pair, split, Infinity).cells).toHaveLength(2);
    expect(clusterPoints(pair, split - 1, Infinity).cells).toHaveLength(1);
    const stacked = [point(120.1, 30.2), point(120.1, 30.2), point(120.1, 30.2)];
    expect(expansionZoom(stacked, 10, 11)).toBe(CASES_ZOOM);
  });

  it('clamps a viewport larger than the world', () => {
    expect(clampBBox([-1000, -100, 1000, 100])).toEqual([-180, -85.05112878, 180, 85.05112878]);
    expect(clampBBox([120, 30, 121, 31])).toEqual([120, 30, 121, 31]);
  });
});
