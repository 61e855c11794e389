/**
 * Validity and overlap checks for unit outlines, beyond what the contract's schema can say about one
 * ring at a time: rings that cross themselves or each other, holes outside their polygon, parts of a
 * MultiPolygon lying on top of each other, and the overlap of two grids. See
 * docs/decisions/0101-grid-geometry-rules.md.
 */
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { kinks } from '@turf/kinks';
import { intersection, type Geom } from 'polyclip-ts';
import type { LocalizedText } from '../../errors.ts';
import {
  bboxesIntersect,
  bboxOf,
  isAreal,
  polygonsOf,
  type MultiPolygonGeometry,
  type PolygonGeometry,
  type Position,
  type UnitGeometry,
} from './geometry.ts';

export interface GeometryProblem {
  reason: 'self_intersection' | 'zero_area' | 'hole_outside' | 'parts_overlap';
  text: LocalizedText;
}

const round = (n: number) => Math.round(n * 1e7) / 1e7;

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0 = 0, y0 = 0] = ring[i]!;
    const [x1 = 0, y1 = 0] = ring[i + 1]!;
    sum += x0 * y1 - x1 * y0;
  }
  return sum / 2;
}

function insideOrOn(point: Position, polygon: Position[][]): boolean {
  return booleanPointInPolygon([point[0] ?? 0, point[1] ?? 0], { type: 'Polygon', coordinates: polygon });
}

/**
 * What is wrong with an areal geometry, or [] when it is a valid (OGC simple) polygon. Point
 * geometries have nothing to check beyond the schema.
 */
export function geometryProblems(geometry: UnitGeometry): GeometryProblem[] {
  if (!isAreal(geometry)) return [];
  const problems: GeometryProblem[] = [];
  const polygons = polygonsOf(geometry);
  const crossings = kinks(geometry);
  const first = crossings.features[0]?.geometry.coordinates;
  if (first) {
    const where = `${round(first[0] ?? 0)}, ${round(first[1] ?? 0)}`;
    problems.push({
      reason: 'self_intersection',
      text: {
        zh: `边界自相交或相互接触（在 ${where} 附近）`,
        en: `the outline crosses or touches itself (near ${where})`,
      },
    });
    return problems;
  }
  for (const polygon of polygons) {
    if (polygon.some((ring) => ringArea(ring) === 0)) {
      problems.push({
        reason: 'zero_area',
        text: {
          zh: '多边形的环面积为零（点共线或重复）',
          en: 'a ring has zero area (collinear or repeated points)',
        },
      });
      return problems;
    }
  }
  for (const [outer = [], ...holes] of polygons) {
    if (holes.some((hole) => hole.some((position) => !insideOrOn(position, [outer])))) {
      problems.push({
        reason: 'hole_outside',
        text: { zh: '多边形的内环（洞）不在外环之内', en: 'a hole lies outside its polygon' },
      });
      return problems;
    }
  }
  // Without crossings, two parts overlap only if one lies inside the other: one vertex tells.
  for (let i = 0; i < polygons.length; i++) {
    for (let j = 0; j < polygons.length; j++) {
      const vertex = polygons[i]![0]![0]!;
      if (i !== j && insideOrOn(vertex, polygons[j]!)) {
        problems.push({
          reason: 'parts_overlap',
          text: { zh: '多面要素的各部分相互重叠', en: 'parts of the MultiPolygon overlap each other' },
        });
        return problems;
      }
    }
  }
  return problems;
}

function asClipGeom(geometry: PolygonGeometry | MultiPolygonGeometry): Geom {
  return polygonsOf(geometry).map((polygon) =>
    polygon.map((ring) => ring.map(([lng = 0, lat = 0]) => [lng, lat] as [number, number])),
  );
}

/** Geodesic area in square metres. */
export function areaOf(geometry: PolygonGeometry | MultiPolygonGeometry): number {
  return area(geometry);
}

/** Square metres two outlines have in common (0 when they only touch along edges or at vertices). */
export function overlapArea(
  a: PolygonGeometry | MultiPolygonGeometry,
  b: PolygonGeometry | MultiPolygonGeometry,
): number {
  if (!bboxesIntersect(bboxOf(a), bboxOf(b))) return 0;
  const common = intersection(asClipGeom(a), asClipGeom(b));
  if (common.length === 0) return 0;
  return area({ type: 'MultiPolygon', coordinates: common });
}

/**
 * Neighbouring grids drawn by hand or converted between coordinate systems rarely share edges to the
 * last digit: a sliver of 10 m², or 0.01% of the smaller grid, is noise rather than an overlap.
 */
export const OVERLAP_TOLERANCE_M2 = 10;
export const OVERLAP_TOLERANCE_SHARE = 0.0001;

export function overlapTolerance(
  a: PolygonGeometry | MultiPolygonGeometry,
  b: PolygonGeometry | MultiPolygonGeometry,
): number {
  return Math.max(OVERLAP_TOLERANCE_M2, OVERLAP_TOLERANCE_SHARE * Math.min(areaOf(a), areaOf(b)));
}

export interface OverlapCandidate {
  id: string;
  code: string;
  name: string;
  geometry: UnitGeometry | null;
}

export interface Overlap {
  other: { id: string; code: string; name: string };
  areaM2: number;
}

/** The first of `others` that `geometry` overlaps beyond the tolerance, or null. */
export function findOverlap(geometry: UnitGeometry, others: readonly OverlapCandidate[]): Overlap | null {
  if (!isAreal(geometry)) return null;
  for (const other of others) {
    if (!isAreal(other.geometry)) continue;
    const common = overlapArea(geometry, other.geometry);
    if (common > 0 && common > overlapTolerance(geometry, other.geometry)) {
      return {
        other: { id: other.id, code: other.code, name: other.name },
        areaM2: Math.round(common * 10) / 10,
      };
    }
  }
  return null;
}
