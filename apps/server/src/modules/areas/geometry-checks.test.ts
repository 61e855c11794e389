import { describe, expect, it } from 'vitest';
import { findOverlap, geometryProblems, overlapArea } from './geometry-checks.ts';
import type { PolygonGeometry } from './geometry.ts';

const poly = (...rings: number[][][]): PolygonGeometry => ({ type: 'Polygon', coordinates: rings });
const square = (x: number, y: number, s: number) => [
  [x, y],
  [x + s, y],
  [x + s, y + s],
  [x, y + s],
  [x, y],
];

describe('outline validity', () => {
  it('accepts a square, a square with a hole and a two-part MultiPolygon', () => {
    expect(geometryProblems(poly(square(113, 22, 0.01)))).toEqual([]);
    expect(geometryProblems(poly(square(113, 22, 0.01), square(113.002, 22.002, 0.002)))).toEqual([]);
    expect(
      geometryProblems({
        type: 'MultiPolygon',
        coordinates: [[square(113, 22, 0.01)], [square(113.02, 22, 0.01)]],
      }),
    ).toEqual([]);
  });

  it('refuses a bow tie whose edges cross', () => {
    const [problem] = geometryProblems(
      poly([
        [113, 22],
        [113.01, 22.01],
        [113.01, 22],
        [113, 22.01],
        [113, 22],
      ]),
    );
    expect(problem?.reason).toBe('self_intersection');
    expect(problem?.text.zh).toContain('113.005, 22.005');
  });

  it('refuses a hole outside its polygon, overlapping parts and a flat ring', () => {
    expect(geometryProblems(poly(square(113, 22, 0.01), square(113.05, 22.05, 0.001)))[0]?.reason).toBe(
      'hole_outside',
    );
    expect(
      geometryProblems({
        type: 'MultiPolygon',
        coordinates: [[square(113, 22, 0.01)], [square(113.002, 22.002, 0.002)]],
      })[0]?.reason,
    ).toBe('parts_overlap');
    expect(
      geometryProblems(
        poly([
          [113, 22],
          [113.01, 22],
          [113.02, 22],
          [113, 22],
        ]),
      )[0]?.reason,
    ).toBe('zero_area');
  });
});

describe('grid overlap', () => {
  const west = poly(square(113, 22, 0.01));
  it('sees no overlap between grids that share an edge or a vertex', () => {
    expect(overlapArea(west, poly(square(113.01, 22, 0.01)))).toBe(0);
    expect(overlapArea(west, poly(square(113.01, 22.01, 0.01)))).toBe(0);
  });

  it('measures the overlap in square metres and names the grid overlapped', () => {
    // 0.001° × 0.01° at 22° N: roughly 103 m × 1,110 m.
    const shifted = poly(square(113.009, 22, 0.01));
    expect(overlapArea(west, shifted)).toBeGreaterThan(100_000);
    expect(overlapArea(west, shifted)).toBeLessThan(125_000);
    const overlap = findOverlap(shifted, [
      { id: 'w', code: '440000000000001', name: '西网格', geometry: west },
    ]);
    expect(overlap?.other).toEqual({ id: 'w', code: '440000000000001', name: '西网格' });
  });

  it('tolerates a sliver from edges digitised a few centimetres apart', () => {
    // 1e-7° ≈ 1 cm: the neighbour's shared edge is 1 cm inside this grid along 1.1 km (≈ 11 m²).
    const neighbour = poly(square(113.0099999, 22, 0.01));
    expect(overlapArea(west, neighbour)).toBeGreaterThan(0);
    expect(findOverlap(neighbour, [{ id: 'w', code: '1', name: 'w', geometry: west }])).toBeNull();
  });
});
