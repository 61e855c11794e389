/**
 * Per-zoom cell aggregates of the map index (docs/decisions/0666): for one street and one form of
 * position (public or exact), the cells of every clustering level 0–16 that hold at least one case, each
 * with its count, overdue count, counts per state, the sums of its positions (fixed point, so adding and
 * removing never drifts) and its extent. The index adds and removes a case's contribution as the journal
 * and the clock change it; a viewport query at a cluster zoom then reads the few hundred cells it covers
 * instead of every case. Leaf cells (level 16) keep their members, for cells cut by the viewport's edge
 * and for a cell holding a single case.
 */
import { CASES_ZOOM } from './cluster.ts';

/** The deepest level with aggregates: from CASES_ZOOM every case is listed, so levels stop one short. */
export const LEAF_LEVEL = CASES_ZOOM - 1;

/** The states a case on the map can be in, in a fixed order (indices of CellNode.states). */
export const MAP_STATES = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'handled',
  'follow_up',
  'closed',
] as const;

export const STATE_INDEX: ReadonlyMap<string, number> = new Map(MAP_STATES.map((state, i) => [state, i]));

/** Positions are summed in 1e-7 degree units: integer sums are exact, so aggregates never drift. */
const FIXED = 1e7;
export function fixed(degrees: number): number {
  return Math.round(degrees * FIXED);
}

/** The mean of fixed-point sums, rounded to 1e-6° as the answer shows it (the same in both paths). */
export function meanOf(sum: number, count: number): number {
  return Math.round(sum / count / (FIXED / 1e6)) / 1e6;
}

export const KEY_SHIFT = 2 ** 21;

export interface CellPoint {
  lng: number;
  lat: number;
  x: number;
  y: number;
  isCoarse: boolean;
}

export interface CellNode<M> {
  count: number;
  overdue: number;
  states: number[];
  sumLng: number;
  sumLat: number;
  west: number;
  south: number;
  east: number;
  north: number;
  /** A point on the extent's edge was removed: recompute from the children (or members) on read. */
  stale: boolean;
  /** Occupied cells one level down (how a cluster's expansion zoom is found without its points). */
  children: number;
  /** Leaf cells only: the members and the position each was added with. */
  members: LeafMembers<M> | null;
}

/**
 * The members of a leaf cell, dense: their positions side by side in a plain array of numbers (lng, lat
 * …), so a viewport's edge tests numbers in contiguous memory and touches a case only when in view.
 */
export class LeafMembers<M> {
  readonly entries: M[] = [];
  readonly points: CellPoint[] = [];
  readonly coords: number[] = [];
  private readonly slots = new Map<M, number>();

  add(member: M, point: CellPoint): void {
    this.slots.set(member, this.entries.length);
    this.entries.push(member);
    this.points.push(point);
    this.coords.push(point.lng, point.lat);
  }

  remove(member: M): void {
    const slot = this.slots.get(member);
    if (slot === undefined) return;
    this.slots.delete(member);
    const last = this.entries.length - 1;
    if (slot !== last) {
      const moved = this.entries[last]!;
      this.entries[slot] = moved;
      this.points[slot] = this.points[last]!;
      this.coords[2 * slot] = this.coords[2 * last]!;
      this.coords[2 * slot + 1] = this.coords[2 * last + 1]!;
      this.slots.set(moved, slot);
    }
    this.entries.pop();
    this.points.pop();
    this.coords.length = 2 * last;
  }
}

function newNode<M>(leaf: boolean): CellNode<M> {
  return {
    count: 0,
    overdue: 0,
    states: MAP_STATES.map(() => 0),
    sumLng: 0,
    sumLat: 0,
    west: Infinity,
    south: Infinity,
    east: -Infinity,
    north: -Infinity,
    stale: false,
    children: 0,
    members: leaf ? new LeafMembers<M>() : null,
  };
}

/** The four keys one level down of the cell `key`. */
export function childKeys(key: number): [number, number, number, number] {
  const x = Math.floor(key / KEY_SHIFT) * 2;
  const y = (key % KEY_SHIFT) * 2;
  return [x * KEY_SHIFT + y, x * KEY_SHIFT + y + 1, (x + 1) * KEY_SHIFT + y, (x + 1) * KEY_SHIFT + y + 1];
}

/** Cells a side at the leaf level (cluster.ts: 2^(level + 2)). */
const LEAF_CELLS = 2 ** (LEAF_LEVEL + 2);

/**
 * The point's cell column and row at the leaf level; one level up is a halving (the same cells as
 * cluster.ts cellKey, which scales by a power of two: exact in floating point).
 */
export function leafXY(point: CellPoint): [number, number] {
  const x = Math.min(LEAF_CELLS - 1, Math.max(0, Math.floor(point.x * LEAF_CELLS)));
  const y = Math.min(LEAF_CELLS - 1, Math.max(0, Math.floor(point.y * LEAF_CELLS)));
  return [x, y];
}

export class CellPyramid<M> {
  /** levels[l]: the occupied cells of level l by key (cluster.ts cellKey). */
  readonly levels: Map<number, CellNode<M>>[] = Array.from(
    { length: LEAF_LEVEL + 1 },
    () => new Map<number, CellNode<M>>(),
  );

  add(point: CellPoint, member: M, state: number, overdue: boolean): void {
    const lng = fixed(point.lng);
    const lat = fixed(point.lat);
    const [leafX, leafY] = leafXY(point);
    let parent: CellNode<M> | null = null;
    for (let level = 0; level <= LEAF_LEVEL; level++) {
      const cells = this.levels[level]!;
      const shift = LEAF_LEVEL - level;
      const key = (leafX >> shift) * KEY_SHIFT + (leafY >> shift);
      let node = cells.get(key);
      if (!node) {
        node = newNode<M>(level === LEAF_LEVEL);
        cells.set(key, node);
        if (parent) parent.children++;
      }
      node.count++;
      node.states[state]!++;
      if (overdue) node.overdue++;
      node.sumLng += lng;
      node.sumLat += lat;
      if (point.lng < node.west) node.west = point.lng;
      if (point.lng > node.east) node.east = point.lng;
      if (point.lat < node.south) node.south = point.lat;
      if (point.lat > node.north) node.north = point.lat;
      node.members?.add(member, point);
      parent = node;
    }
  }

  remove(point: CellPoint, member: M, state: number, overdue: boolean): void {
    const lng = fixed(point.lng);
    const lat = fixed(point.lat);
    const [leafX, leafY] = leafXY(point);
    let childGone = false;
    for (let level = LEAF_LEVEL; level >= 0; level--) {
      const cells = this.levels[level]!;
      const shift = LEAF_LEVEL - level;
      const key = (leafX >> shift) * KEY_SHIFT + (leafY >> shift);
      const node = cells.get(key);
      if (!node) throw new Error(`map cells: removing a case from an empty cell ${level}/${key}`);
      if (childGone) node.children--;
      node.count--;
      node.states[state]!--;
      if (overdue) node.overdue--;
      node.sumLng -= lng;
      node.sumLat -= lat;
      node.members?.remove(member);
      if (
        point.lng === node.west ||
        point.lng === node.east ||
        point.lat === node.south ||
        point.lat === node.north
      ) {
        node.stale = true;
      }
      childGone = node.count === 0;
      if (childGone) cells.delete(key);
    }
  }

  /** The cell's [west, south, east, north], recomputed from below if a removal left it stale. */
  extent(level: number, key: number): [number, number, number, number] {
    const node = this.levels[level]!.get(key)!;
    if (node.stale) {
      node.west = Infinity;
      node.south = Infinity;
      node.east = -Infinity;
      node.north = -Infinity;
      if (node.members) {
        for (const point of node.members.points) {
          if (point.lng < node.west) node.west = point.lng;
          if (point.lng > node.east) node.east = point.lng;
          if (point.lat < node.south) node.south = point.lat;
          if (point.lat > node.north) node.north = point.lat;
        }
      } else {
        for (const child of childKeys(key)) {
          if (!this.levels[level + 1]!.has(child)) continue;
          const [w, s, e, n] = this.extent(level + 1, child);
          if (w < node.west) node.west = w;
          if (e > node.east) node.east = e;
          if (s < node.south) node.south = s;
          if (n > node.north) node.north = n;
        }
      }
      node.stale = false;
    }
    return [node.west, node.south, node.east, node.north];
  }

  /** Every member of the cell, with its position (a walk of the occupied cells below it). */
  *members(level: number, key: number): Generator<[M, CellPoint]> {
    const node = this.levels[level]!.get(key);
    if (!node) return;
    if (node.members) {
      const { entries, points } = node.members;
      for (let i = 0; i < entries.length; i++) yield [entries[i]!, points[i]!];
      return;
    }
    for (const child of childKeys(key)) yield* this.members(level + 1, child);
  }
}

/**
 * The level at which the points of the cells `nodes` (the same cell of several pyramids) first fall
 * into different cells, searching above `level` up to LEAF_LEVEL; CASES_ZOOM if they never do (what
 * cluster.ts expansionZoom finds from the points).
 */
export function splitLevel<M>(nodes: { pyramid: CellPyramid<M>; key: number }[], level: number): number {
  let current = nodes;
  for (let l = level; l < LEAF_LEVEL; l++) {
    const next: { pyramid: CellPyramid<M>; key: number }[] = [];
    let first: number | undefined;
    for (const { pyramid, key } of current) {
      const node = pyramid.levels[l]!.get(key)!;
      if (node.children > 1) return l + 1;
      for (const child of childKeys(key)) {
        if (!pyramid.levels[l + 1]!.has(child)) continue;
        if (first === undefined) first = child;
        else if (child !== first) return l + 1;
        next.push({ pyramid, key: child });
      }
    }
    current = next;
  }
  return CASES_ZOOM;
}
