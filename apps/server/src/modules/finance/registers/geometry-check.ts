import { errors } from '../../../errors.ts';
import type { BBox } from '../../areas/geometry.ts';

type Ring = [number, number][];
export type ResourceGeometry =
  { type: 'Polygon'; coordinates: Ring[] } | { type: 'MultiPolygon'; coordinates: Ring[][] };

/** How far outside the village's outline a resource may reach: about 3 km (collective land lies outside the built-up area). */
export const NEAR_VILLAGE_DEGREES = 0.03;

function refuse(field: string, zh: string, en: string): never {
  throw errors.unprocessable(
    'geometry_invalid',
    { zh: `地块边界有误：${zh}`, en: `Bad outline: ${en}` },
    { field },
  );
}

function twiceSignedArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i]!;
    const [x1, y1] = ring[i + 1]!;
    sum += x0 * y1 - x1 * y0;
  }
  return sum;
}

function orientation(a: [number, number], b: [number, number], c: [number, number]): number {
  const value = (b[1] - a[1]) * (c[0] - b[0]) - (b[0] - a[0]) * (c[1] - b[1]);
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

function segmentsCross(
  p1: [number, number],
  p2: [number, number],
  q1: [number, number],
  q2: [number, number],
): boolean {
  const o1 = orientation(p1, p2, q1);
  const o2 = orientation(p1, p2, q2);
  const o3 = orientation(q1, q2, p1);
  const o4 = orientation(q1, q2, p2);
  return o1 !== o2 && o3 !== o4 && o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0;
}

/** The first pair of non-adjacent edges that cross, or null (O(n²): rings here are small, ≤ 5000 points). */
function selfCrossing(ring: Ring): number | null {
  const edges = ring.length - 1;
  for (let i = 0; i < edges; i++) {
    for (let j = i + 2; j < edges; j++) {
      if (i === 0 && j === edges - 1) continue; // the closing edge touches the first
      if (segmentsCross(ring[i]!, ring[i + 1]!, ring[j]!, ring[j + 1]!)) return i;
    }
  }
  return null;
}

function checkRing(ring: Ring, field: string): void {
  const first = ring[0]!;
  const last = ring.at(-1)!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    refuse(field, '环未闭合（首尾坐标须相同）', 'a ring must be closed (its last point equals its first)');
  }
  const distinct = new Set(ring.slice(0, -1).map(([x, y]) => `${x},${y}`));
  if (distinct.size < 3) refuse(field, '环至少需要 3 个不同的点', 'a ring needs at least 3 distinct points');
  const crossing = selfCrossing(ring);
  if (crossing !== null) {
    refuse(
      field,
      `边界自相交（第 ${crossing + 1} 条边）`,
      `the outline crosses itself (edge ${crossing + 1})`,
    );
  }
  if (Math.abs(twiceSignedArea(ring)) < 1e-14) refuse(field, '环的面积为零', 'a ring has no area');
}

/**
 * A resource's outline is a real one: closed rings of at least three distinct points, with area, not
 * crossing themselves, and every point inside the village's bounding box widened by NEAR_VILLAGE_DEGREES
 * (when the village has an outline). Each refusal names the field (`geometry.coordinates.0.1`).
 */
export function checkResourceGeometry(geometry: ResourceGeometry, village: BBox | null): void {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  polygons.forEach((polygon, p) => {
    polygon.forEach((ring, r) => {
      const field =
        geometry.type === 'Polygon' ? `geometry.coordinates.${r}` : `geometry.coordinates.${p}.${r}`;
      checkRing(ring, field);
      if (!village) return;
      const outside = ring.findIndex(
        ([lng, lat]) =>
          lng < village.minLng - NEAR_VILLAGE_DEGREES ||
          lng > village.maxLng + NEAR_VILLAGE_DEGREES ||
          lat < village.minLat - NEAR_VILLAGE_DEGREES ||
          lat > village.maxLat + NEAR_VILLAGE_DEGREES,
      );
      if (outside >= 0) {
        refuse(
          `${field}.${outside}`,
          `第 ${outside + 1} 个点不在本村范围附近`,
          `point ${outside + 1} is not in or near the village`,
        );
      }
    });
  });
}

/** The area of an outline in mu (亩; 1 亩 = 666.67 m²), on a local equirectangular projection. */
export function outlineAreaMu(geometry: ResourceGeometry): number {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let squareMetres = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, r) => {
      const lat0 = (ring[0]![1] * Math.PI) / 180;
      const kx = 111_320 * Math.cos(lat0);
      const ky = 110_574;
      const projected = ring.map(([lng, lat]) => [lng * kx, lat * ky] as [number, number]);
      const area = Math.abs(twiceSignedArea(projected)) / 2;
      squareMetres += r === 0 ? area : -area;
    });
  }
  return squareMetres / (10_000 / 15);
}
