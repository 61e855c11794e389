/** GeoJSON geometry helpers for unit polygons (WGS-84 degrees). */
export type Position = [number, number] | number[];
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export interface PointGeometry {
  type: 'Point';
  coordinates: Position;
}
export type UnitGeometry = PolygonGeometry | MultiPolygonGeometry | PointGeometry;

export interface BBox {
  minLng: number;
  minLat: number;
  maxLng: number;
  maxLat: number;
}

function positions(geometry: UnitGeometry): Position[] {
  if (geometry.type === 'Point') return [geometry.coordinates];
  if (geometry.type === 'Polygon') return geometry.coordinates.flat();
  return geometry.coordinates.flat(2);
}

export function bboxOf(geometry: UnitGeometry): BBox {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  for (const [lng = 0, lat = 0] of positions(geometry)) {
    if (lng < minLng) minLng = lng;
    if (lat < minLat) minLat = lat;
    if (lng > maxLng) maxLng = lng;
    if (lat > maxLat) maxLat = lat;
  }
  return { minLng, minLat, maxLng, maxLat };
}

/** Area-weighted centroid of the outer rings (good enough for labels and the grid-centre of coarsened points). */
export function centroidOf(geometry: UnitGeometry): { lng: number; lat: number } {
  if (geometry.type === 'Point')
    return { lng: geometry.coordinates[0] ?? 0, lat: geometry.coordinates[1] ?? 0 };
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (const polygon of polygons) {
    const ring = polygon[0] ?? [];
    for (let i = 0; i < ring.length - 1; i++) {
      const [x0 = 0, y0 = 0] = ring[i]!;
      const [x1 = 0, y1 = 0] = ring[i + 1]!;
      const cross = x0 * y1 - x1 * y0;
      area += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
  }
  if (area === 0) {
    const box = bboxOf(geometry);
    return { lng: (box.minLng + box.maxLng) / 2, lat: (box.minLat + box.maxLat) / 2 };
  }
  return { lng: cx / (3 * area), lat: cy / (3 * area) };
}

/** The polygons of an areal geometry (a Point has none). */
export function polygonsOf(geometry: UnitGeometry): Position[][][] {
  if (geometry.type === 'Polygon') return [geometry.coordinates];
  if (geometry.type === 'MultiPolygon') return geometry.coordinates;
  return [];
}

export function isAreal(
  geometry: UnitGeometry | null | undefined,
): geometry is PolygonGeometry | MultiPolygonGeometry {
  return geometry?.type === 'Polygon' || geometry?.type === 'MultiPolygon';
}

export function bboxesIntersect(a: BBox, b: BBox): boolean {
  return a.minLng <= b.maxLng && b.minLng <= a.maxLng && a.minLat <= b.maxLat && b.minLat <= a.maxLat;
}

/** Two geometries are equal when their GeoJSON is (key order aside). */
export function sameGeometry(a: UnitGeometry | null, b: UnitGeometry | null): boolean {
  if (a === null || b === null) return a === b;
  return a.type === b.type && JSON.stringify(a.coordinates) === JSON.stringify(b.coordinates);
}
