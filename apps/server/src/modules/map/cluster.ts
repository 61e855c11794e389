/**
 * Server-side clustering of map points (docs/decisions/0662): a grid of square cells in Web Mercator,
 * 64 screen pixels wide at the requested zoom. A cell holding one point shows the point; a cell holding
 * more shows a cluster at the mean of its points with their count. It is what supercluster's grid mode
 * does, without an index to rebuild: the points come from the map index, which is kept current case by
 * case, and binning the points of a viewport is one pass. Counts always add up to the points given.
 */

/** Cells are 64 px at 256 px tiles: four cells per tile side. */
const CELLS_PER_TILE_LOG2 = 2;
/** At this zoom and above every case is listed on its own (a building's doors, not a cluster). */
export const CASES_ZOOM = 17;
/** Web Mercator's latitude limit. */
export const MAX_LATITUDE = 85.05112878;

export interface ClusterPoint {
  lng: number;
  lat: number;
  /** Web Mercator x and y in [0, 1] (mercatorX/mercatorY of lng/lat), computed once per point. */
  x: number;
  y: number;
}

export interface Cell<P extends ClusterPoint> {
  /** Stable for the same cell at the same level: `level/x/y`. */
  id: string;
  level: number;
  points: P[];
}

export function mercatorX(lng: number): number {
  return (lng + 180) / 360;
}

export function mercatorY(lat: number): number {
  const clamped = Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, lat));
  const sin = Math.sin((clamped * Math.PI) / 180);
  return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
}

export function cellKey(point: ClusterPoint, level: number): number {
  const cells = 2 ** (level + CELLS_PER_TILE_LOG2);
  const x = Math.min(cells - 1, Math.max(0, Math.floor(point.x * cells)));
  const y = Math.min(cells - 1, Math.max(0, Math.floor(point.y * cells)));
  // level ≤ 18: at most 2^20 cells a side, so x·2^21 + y stays a safe integer
  return x * 2 ** 21 + y;
}

/** The points grouped into the cells of `level`. */
export function binPoints<P extends ClusterPoint>(points: readonly P[], level: number): Cell<P>[] {
  const cells = new Map<number, P[]>();
  for (const point of points) {
    const key = cellKey(point, level);
    const members = cells.get(key);
    if (members) members.push(point);
    else cells.set(key, [point]);
  }
  return [...cells].map(([key, members]) => ({
    id: `${level}/${Math.floor(key / 2 ** 21)}/${key % 2 ** 21}`,
    level,
    points: members,
  }));
}

/**
 * Bins at `zoom`, or at a coarser level while there would be more than `maxCells` cells (a huge or very
 * crowded viewport): the answer stays small, and `truncated` says the cells were made larger.
 */
export function clusterPoints<P extends ClusterPoint>(
  points: readonly P[],
  zoom: number,
  maxCells: number,
): { cells: Cell<P>[]; level: number; truncated: boolean } {
  let level = Math.max(0, Math.min(Math.floor(zoom), CASES_ZOOM));
  let cells = binPoints(points, level);
  let truncated = false;
  while (cells.length > maxCells && level > 0) {
    // Each level down quarters the number of cells a crowded area can fill.
    level -= 1;
    cells = binPoints(points, level);
    truncated = true;
  }
  return { cells, level, truncated };
}

/**
 * The zoom at which a cluster's points first fall into different cells (where clicking it should go);
 * CASES_ZOOM when they never do (several cases at one grid centre), since there everything is listed.
 */
export function expansionZoom(points: readonly ClusterPoint[], fromLevel: number, atLeast: number): number {
  const first = points[0];
  // Points at one spot (cases shown at their grid's centre) never split: list them.
  if (!first || points.every((point) => point.x === first.x && point.y === first.y)) return CASES_ZOOM;
  for (let level = fromLevel + 1; level < CASES_ZOOM; level++) {
    const key = cellKey(first, level);
    if (points.some((point) => cellKey(point, level) !== key)) {
      return Math.min(CASES_ZOOM, Math.max(level, atLeast));
    }
  }
  return CASES_ZOOM;
}

/** [west, south, east, north] of the points. */
export function extentOf(points: readonly { lng: number; lat: number }[]): [number, number, number, number] {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const { lng, lat } of points) {
    if (lng < west) west = lng;
    if (lng > east) east = lng;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  return [west, south, east, north];
}

/** The viewport clamped to the world: a huge or wrapped viewport is answered, not refused. */
export function clampBBox(bbox: readonly [number, number, number, number]): [number, number, number, number] {
  const clamp = (value: number, limit: number) => Math.max(-limit, Math.min(limit, value));
  return [
    clamp(bbox[0], 180),
    clamp(bbox[1], MAX_LATITUDE),
    clamp(bbox[2], 180),
    clamp(bbox[3], MAX_LATITUDE),
  ];
}
