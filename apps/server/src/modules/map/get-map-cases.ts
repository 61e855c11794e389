import type { MapBBox, MapCase, MapCases, MapCasesQuery, MapCaseState, MapCluster } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { CategoryStore } from '../cases/category-store.ts';
import type { UnitInfo } from '../areas/service.ts';
import {
  KEY_SHIFT,
  LEAF_LEVEL,
  MAP_STATES,
  STATE_INDEX,
  fixed,
  meanOf,
  splitLevel,
  childKeys,
  leafXY,
  type CellPoint,
  type CellPyramid,
} from './cells.ts';
import {
  CASES_ZOOM,
  clampBBox,
  clusterPoints,
  expansionZoom,
  extentOf,
  mercatorX,
  mercatorY,
} from './cluster.ts';
import type { MapEntry, MapIndex } from './map-index.ts';
import { mapFormOf, mayViewArea } from './policy.ts';

/**
 * At most this many markers (clusters and cases) in one answer: about 300 bytes each keeps an answer
 * under 100 KB, and more markers than this are unreadable on a screen anyway.
 */
export const MAX_MARKERS = 300;

interface Placed extends CellPoint {
  entry: MapEntry;
  form: 'staff' | 'public';
  state: MapCaseState;
  isOverdue: boolean;
}

/** Counts by state, states with none left out, in the order of MAP_STATES (the same in both paths). */
function statesOf(counts: readonly number[]): Partial<Record<MapCaseState, number>> {
  const states: Partial<Record<MapCaseState, number>> = {};
  MAP_STATES.forEach((state, i) => {
    if (counts[i]) states[state] = counts[i];
  });
  return states;
}

function countStates(points: readonly Placed[]): Partial<Record<MapCaseState, number>> {
  const counts = MAP_STATES.map(() => 0);
  for (const point of points) counts[STATE_INDEX.get(point.state)!]!++;
  return statesOf(counts);
}

/** A cluster of the points of one cell (the walk, and cells cut by the viewport's edge). */
function clusterOf(id: string, points: readonly Placed[], level: number, zoom: number): MapCluster {
  let lng = 0;
  let lat = 0;
  let overdue = 0;
  for (const point of points) {
    lng += fixed(point.lng);
    lat += fixed(point.lat);
    if (point.isOverdue) overdue++;
  }
  return {
    id,
    lng: meanOf(lng, points.length),
    lat: meanOf(lat, points.length),
    count: points.length,
    overdue,
    states: countStates(points),
    expansionZoom: expansionZoom(points, level, zoom + 1),
    bbox: extentOf(points),
  };
}

/** The markers and counts of a viewport, by whichever path computed them. */
interface Binned {
  mode: MapCases['mode'];
  clusters: MapCluster[];
  cases: Placed[];
  total: number;
  overdue: number;
  states: Partial<Record<MapCaseState, number>>;
  truncated: boolean;
}

/** Which cell aggregates answer a query, or null when the cases must be walked. */
interface CellPlan {
  pyramids: CellPyramid<MapEntry>[];
  form: 'staff' | 'public';
}

/**
 * May `actor` open every case of a street, community or grid (so all of them are drawn in the staff
 * form)? Asked of a case at the unit itself: roles cover subtrees, so what holds there holds below.
 */
function seesUnitInFull(actor: Actor | null, unit: UnitInfo): boolean {
  if (!actor || !['street', 'community', 'grid'].includes(unit.kind)) return false;
  return (
    mapFormOf(actor, {
      state: 'reported',
      street_id: unit.kind === 'street' ? unit.id : unit.streetId!,
      community_id: unit.kind === 'community' ? unit.id : unit.kind === 'grid' ? unit.parentId : null,
      grid_id: unit.kind === 'grid' ? unit.id : null,
      unit_path: unit.path,
      source: 'resident',
      org_id: null,
      dispatched_at: null,
      assignee_id: null,
      reporter_id: null,
      handled_by: null,
      escalated_to_unit_id: null,
    }) === 'staff'
  );
}

/**
 * The cells answer a cluster zoom without filters when every case in view is drawn in one form: the
 * public's (no viewer), or the staff form of a street the viewer may open entirely. Anything else —
 * filters, a community's or grid's map, a viewer who sees some cases in full — walks the cases.
 */
function cellPlan(
  app: App,
  actor: Actor | null,
  unit: UnitInfo | null,
  query: MapCasesQuery,
  zoom: number,
): CellPlan | null {
  if (zoom >= CASES_ZOOM || query.states || query.categories || query.overdue) return null;
  const index = app.map.index;
  if (unit) {
    if (unit.kind !== 'street') return null;
    if (actor === null) return { pyramids: [index.cellsOf(unit.id).public], form: 'public' };
    if (seesUnitInFull(actor, unit)) return { pyramids: [index.cellsOf(unit.id).exact], form: 'staff' };
    return null;
  }
  if (actor !== null) return null;
  return { pyramids: index.streetIds().map((id) => index.cellsOf(id).public), form: 'public' };
}

/** Mercator margin for deciding that a cell lies wholly inside or outside the viewport (~4 cm). */
const INSIDE_MARGIN = 1e-9;

/** The viewport in Web Mercator, as the cells are laid out. */
interface MercatorBox {
  west: number;
  east: number;
  north: number;
  south: number;
}

/**
 * Where cell (x, y) of a level with `n` cells a side lies: wholly inside the viewport, wholly outside, or
 * cut by its edge. Only sure answers are 'inside' or 'outside'; a cell on the edge within the margin is
 * 'edge', and its cases are then tested one by one with the viewer's own test (inBox).
 */
function placeOf(box: MercatorBox, n: number, x: number, y: number): 'inside' | 'outside' | 'edge' {
  const left = x / n;
  const right = (x + 1) / n;
  const top = y / n;
  const bottom = (y + 1) / n;
  if (
    right < box.west - INSIDE_MARGIN ||
    left > box.east + INSIDE_MARGIN ||
    bottom < box.north - INSIDE_MARGIN ||
    top > box.south + INSIDE_MARGIN
  ) {
    return 'outside';
  }
  if (
    left > box.west + INSIDE_MARGIN &&
    right < box.east - INSIDE_MARGIN &&
    top > box.north + INSIDE_MARGIN &&
    bottom < box.south - INSIDE_MARGIN
  ) {
    return 'inside';
  }
  return 'edge';
}

/**
 * A part of a cell cut by the viewport's edge that lies in view as a whole: a smaller cell wholly inside,
 * or the in-view cases of one leaf cell. What a cluster's expansion zoom needs of it: one leaf cell it
 * occupies, and the level at which it splits on its own (CASES_ZOOM if never).
 */
interface EdgeAtom {
  leafX: number;
  leafY: number;
  split: number;
}

interface CellGroup {
  key: number;
  /** Cells wholly inside the viewport (the same cell of several streets). */
  nodes: { pyramid: CellPyramid<MapEntry>; key: number }[];
  /** A cell cut by the viewport's edge: the in-view parts, and their sums. */
  atoms: EdgeAtom[];
  count: number;
  overdue: number;
  states: number[];
  sumLng: number;
  sumLat: number;
  extent: [number, number, number, number];
  /** The first in-view case of an edge cell: the marker when it holds only one. */
  single: Placed | null;
}

function newGroup(key: number): CellGroup {
  return {
    key,
    nodes: [],
    atoms: [],
    count: 0,
    overdue: 0,
    states: MAP_STATES.map(() => 0),
    sumLng: 0,
    sumLat: 0,
    extent: [Infinity, Infinity, -Infinity, -Infinity],
    single: null,
  };
}

function widen(extent: [number, number, number, number], w: number, s: number, e: number, n: number): void {
  if (w < extent[0]) extent[0] = w;
  if (s < extent[1]) extent[1] = s;
  if (e > extent[2]) extent[2] = e;
  if (n > extent[3]) extent[3] = n;
}

/**
 * Adds to an edge group what of cell (`level`, `key`) lies in view: its sub-cells wholly inside as
 * they are aggregated, the ones cut by the edge by going down, and at the leaves the cases themselves
 * — so only the cases of the leaf cells on the edge are looked at, with no object made for each.
 */
function addInView(
  group: CellGroup,
  plan: CellPlan,
  pyramid: CellPyramid<MapEntry>,
  level: number,
  key: number,
  box: MercatorBox,
  bbox: MapBBox,
): void {
  const node = pyramid.levels[level]!.get(key);
  if (!node) return;
  const x = Math.floor(key / KEY_SHIFT);
  const y = key % KEY_SHIFT;
  if (node.members) {
    let inView = 0;
    const { entries, points, coords } = node.members;
    const [west, south, east, north] = bbox;
    for (let i = 0; i < entries.length; i++) {
      const lng = coords[2 * i]!;
      const lat = coords[2 * i + 1]!;
      if (lng < west || lng > east || lat < south || lat > north) continue;
      const entry = entries[i]!;
      const overdue = entry.contribution?.overdue ?? false;
      inView++;
      group.count++;
      if (overdue) group.overdue++;
      group.states[STATE_INDEX.get(entry.row.state)!]!++;
      group.sumLng += fixed(lng);
      group.sumLat += fixed(lat);
      widen(group.extent, lng, lat, lng, lat);
      if (!group.single) {
        const point = points[i]!;
        group.single = {
          lng: point.lng,
          lat: point.lat,
          x: point.x,
          y: point.y,
          isCoarse: point.isCoarse,
          entry,
          form: plan.form,
          state: entry.row.state as MapCaseState,
          isOverdue: overdue,
        };
      }
    }
    if (inView > 0) group.atoms.push({ leafX: x, leafY: y, split: CASES_ZOOM });
    return;
  }
  const n = 2 ** (level + 3);
  for (const child of childKeys(key)) {
    const cx = Math.floor(child / KEY_SHIFT);
    const cy = child % KEY_SHIFT;
    if (!pyramid.levels[level + 1]!.has(child)) continue;
    const place = placeOf(box, n, cx, cy);
    if (place === 'outside') continue;
    if (place === 'edge') {
      addInView(group, plan, pyramid, level + 1, child, box, bbox);
      continue;
    }
    const inside = pyramid.levels[level + 1]!.get(child)!;
    group.count += inside.count;
    group.overdue += inside.overdue;
    inside.states.forEach((value, i) => (group.states[i]! += value));
    group.sumLng += inside.sumLng;
    group.sumLat += inside.sumLat;
    const [w, s, e, nn] = pyramid.extent(level + 1, child);
    widen(group.extent, w, s, e, nn);
    // A member's own leaf cell stands for the sub-cell: below its split it occupies one cell a level.
    const [entry, point] = pyramid.members(level + 1, child).next().value as [MapEntry, CellPoint];
    const [leafX, leafY] = leafXY(point);
    group.atoms.push({ leafX, leafY, split: splitLevel([{ pyramid, key: child }], level + 1) });
    if (!group.single && inside.count === 1) {
      group.single = {
        ...point,
        entry,
        form: plan.form,
        state: entry.row.state as MapCaseState,
        isOverdue: entry.contribution?.overdue ?? false,
      };
    }
  }
}

/**
 * The level at which the in-view parts of an edge cell first fall into different cells (what
 * cluster.ts expansionZoom finds from the points), searching above `level`: the earliest of each part's
 * own split and the first level at which two parts' cells differ; CASES_ZOOM if neither happens.
 */
function edgeSplit(atoms: readonly EdgeAtom[], level: number): number {
  let split = CASES_ZOOM;
  for (const atom of atoms) split = Math.min(split, atom.split);
  const first = atoms[0];
  if (!first) return split;
  for (let l = level + 1; l < split && l <= LEAF_LEVEL; l++) {
    const shift = LEAF_LEVEL - l;
    const x = first.leafX >> shift;
    const y = first.leafY >> shift;
    if (atoms.some((atom) => atom.leafX >> shift !== x || atom.leafY >> shift !== y)) return l;
  }
  return split;
}

/** The occupied cells of `level` meeting the viewport, each read whole or (at the edge) in part. */
function cellGroups(plan: CellPlan, bbox: MapBBox, level: number): Map<number, CellGroup> {
  const n = 2 ** (level + 2);
  const box: MercatorBox = {
    west: mercatorX(bbox[0]),
    east: mercatorX(bbox[2]),
    north: mercatorY(bbox[3]),
    south: mercatorY(bbox[1]),
  };
  const clamp = (value: number) => Math.min(n - 1, Math.max(0, value));
  const x0 = clamp(Math.floor(box.west * n) - 1);
  const x1 = clamp(Math.floor(box.east * n) + 1);
  const y0 = clamp(Math.floor(box.north * n) - 1);
  const y1 = clamp(Math.floor(box.south * n) + 1);
  const groups = new Map<number, CellGroup>();
  for (const pyramid of plan.pyramids) {
    const cells = pyramid.levels[level]!;
    const visit = (key: number) => {
      const x = Math.floor(key / KEY_SHIFT);
      const y = key % KEY_SHIFT;
      if (x < x0 || x > x1 || y < y0 || y > y1) return;
      const place = placeOf(box, n, x, y);
      if (place === 'outside') return;
      let group = groups.get(key);
      if (!group) {
        group = newGroup(key);
        groups.set(key, group);
      }
      if (place === 'inside') group.nodes.push({ pyramid, key });
      else addInView(group, plan, pyramid, level, key, box, bbox);
      if (group.nodes.length === 0 && group.count === 0) groups.delete(key);
    };
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > cells.size) {
      for (const key of cells.keys()) visit(key);
    } else {
      for (let x = x0; x <= x1; x++) {
        for (let y = y0; y <= y1; y++) {
          const key = x * KEY_SHIFT + y;
          if (cells.has(key)) visit(key);
        }
      }
    }
  }
  return groups;
}

/** The answer from the cell aggregates (docs/decisions/0666): the same as walking the cases. */
function binFromCells(plan: CellPlan, bbox: MapBBox, zoom: number): Binned {
  let level = Math.max(0, Math.min(zoom, LEAF_LEVEL));
  let groups = cellGroups(plan, bbox, level);
  let truncated = false;
  while (groups.size > MAX_MARKERS && level > 0) {
    level -= 1;
    groups = cellGroups(plan, bbox, level);
    truncated = true;
  }
  const clusters: MapCluster[] = [];
  const cases: Placed[] = [];
  const stateCounts = MAP_STATES.map(() => 0);
  let total = 0;
  let overdue = 0;
  for (const group of groups.values()) {
    const id = `${level}/${Math.floor(group.key / KEY_SHIFT)}/${group.key % KEY_SHIFT}`;
    if (group.nodes.length === 0) {
      // A cell cut by the viewport's edge: its in-view parts, summed as they were gathered.
      total += group.count;
      overdue += group.overdue;
      group.states.forEach((value, i) => (stateCounts[i]! += value));
      if (group.count === 1) {
        cases.push(group.single!);
        continue;
      }
      const split = edgeSplit(group.atoms, level);
      clusters.push({
        id,
        lng: meanOf(group.sumLng, group.count),
        lat: meanOf(group.sumLat, group.count),
        count: group.count,
        overdue: group.overdue,
        states: statesOf(group.states),
        expansionZoom: split === CASES_ZOOM ? CASES_ZOOM : Math.min(CASES_ZOOM, Math.max(split, zoom + 1)),
        bbox: group.extent,
      });
      continue;
    }
    let count = 0;
    let late = 0;
    let lng = 0;
    let lat = 0;
    const states = MAP_STATES.map(() => 0);
    const extent: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const { pyramid, key } of group.nodes) {
      const node = pyramid.levels[level]!.get(key)!;
      count += node.count;
      late += node.overdue;
      lng += node.sumLng;
      lat += node.sumLat;
      node.states.forEach((value, i) => (states[i]! += value));
      const [w, s, e, n] = pyramid.extent(level, key);
      widen(extent, w, s, e, n);
    }
    total += count;
    overdue += late;
    states.forEach((value, i) => (stateCounts[i]! += value));
    if (count === 1) {
      const { pyramid, key } = group.nodes[0]!;
      const [entry, point] = pyramid.members(level, key).next().value as [MapEntry, CellPoint];
      cases.push({
        ...point,
        entry,
        form: plan.form,
        state: entry.row.state as MapCaseState,
        isOverdue: entry.contribution?.overdue ?? false,
      });
      continue;
    }
    const split = splitLevel(group.nodes, level);
    clusters.push({
      id,
      lng: meanOf(lng, count),
      lat: meanOf(lat, count),
      count,
      overdue: late,
      states: statesOf(states),
      expansionZoom: split === CASES_ZOOM ? CASES_ZOOM : Math.min(CASES_ZOOM, Math.max(split, zoom + 1)),
      bbox: extent,
    });
  }
  return { mode: 'clusters', clusters, cases, total, overdue, states: statesOf(stateCounts), truncated };
}

function presentCase(point: Placed): MapCase {
  const row = point.entry.row;
  return {
    key: row.code,
    id: point.form === 'staff' ? row.id : null,
    code: row.code,
    lng: point.lng,
    lat: point.lat,
    isCoarse: point.isCoarse,
    state: point.state,
    isOverdue: point.isOverdue,
    category: row.category_code,
    gridId: row.grid_id,
    reportedAt: row.reported_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
  };
}

/** At most this many public answers are kept (a few viewports of a few streets' screens). */
const CACHED_ANSWERS = 256;

/**
 * Public answers by question (area, viewport, zoom, filters), valid while the index keeps its version
 * (no case changed), the clock reaches no case's deadline or ageing-off time, and the dictionary is
 * the same (docs/decisions/0666).
 */
class AnswerCache {
  private version = -1;
  private dictionary: unknown = null;
  private validUntil = -Infinity;
  private readonly answers = new Map<string, MapCases>();

  get(index: MapIndex, dictionary: unknown, key: string, now: number): MapCases | undefined {
    if (index.version !== this.version || dictionary !== this.dictionary || now > this.validUntil) {
      this.answers.clear();
      this.version = index.version;
      this.dictionary = dictionary;
      this.validUntil = index.nextChange;
      return undefined;
    }
    return this.answers.get(key);
  }

  set(index: MapIndex, dictionary: unknown, key: string, answer: MapCases): void {
    // Computing the answer may have changed the index (a category's sensitivity taken up).
    if (index.version !== this.version || dictionary !== this.dictionary) return;
    if (this.answers.size >= CACHED_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    this.answers.set(key, answer);
  }
}

const answerCaches = new WeakMap<App, AnswerCache>();

function answersOf(app: App): AnswerCache {
  let cache = answerCaches.get(app);
  if (!cache) {
    cache = new AnswerCache();
    answerCaches.set(app, cache);
  }
  return cache;
}

/** The answer by walking every case near the viewport (filters, mixed forms, the cases zoom). */
function binByWalking(
  app: App,
  actor: Actor | null,
  query: MapCasesQuery,
  unit: UnitInfo | null,
  bbox: MapBBox,
  zoom: number,
  now: Date,
): Binned {
  // Is the case in the area asked for? By its street, community or grid id when the area is one.
  const isUnder: (row: MapEntry['row']) => boolean =
    unit?.kind === 'street'
      ? (row) => row.street_id === unit.id
      : unit?.kind === 'community'
        ? (row) => row.community_id === unit.id
        : unit?.kind === 'grid'
          ? (row) => row.grid_id === unit.id
          : (row) => row.unit_path.startsWith(unit!.path);
  const states = query.states ? new Set<string>(query.states) : null;
  const majors = query.categories?.filter((code) => code.length === 2) ?? [];
  const minors = new Set(query.categories?.filter((code) => code.length === 4) ?? []);
  const matchesCategory = (code: string) =>
    !query.categories || minors.has(code) || majors.some((major) => code.startsWith(major));

  const index = app.map.index;
  const nowMs = now.getTime();
  const [west, south, east, north] = bbox;
  const placed: Placed[] = [];
  // Each case is looked at in the buckets of the position its viewer sees: its exact one for those who
  // may open it, its public one for everyone else (the index keeps both; the dictionary is synced).
  // A viewer who may open every case of the area sees them all in the staff form: one pass.
  const seesAll = unit !== null && seesUnitInFull(actor, unit);
  for (const positions of seesAll ? (['exact'] as const) : (['exact', 'public'] as const)) {
    for (const bucket of index.near(bbox, positions)) {
      const { entries, coords } = bucket;
      for (let i = 0; i < entries.length; i++) {
        const lng = coords[2 * i]!;
        const lat = coords[2 * i + 1]!;
        if (lng < west || lng > east || lat < south || lat > north) continue;
        const entry = entries[i]!;
        const row = entry.row;
        if (unit && !isUnder(row)) continue;
        if (states && !states.has(row.state)) continue;
        if (!matchesCategory(row.category_code)) continue;
        if (!index.isShown(entry, nowMs)) continue;
        const point = (positions === 'exact' ? entry.exact : entry.public)!;
        const form = seesAll ? 'staff' : mapFormOf(actor, row);
        if ((form === 'staff') !== (positions === 'exact')) continue;
        const isOverdue = index.isOverdue(entry, nowMs);
        if (query.overdue && !isOverdue) continue;
        placed.push({
          lng: point.lng,
          lat: point.lat,
          x: point.x,
          y: point.y,
          isCoarse: point.isCoarse,
          entry,
          form,
          state: row.state as MapCaseState,
          isOverdue,
        });
      }
    }
  }

  const clusters: MapCluster[] = [];
  const cases: Placed[] = [];
  let mode: MapCases['mode'] = 'clusters';
  let truncated = false;
  if (zoom >= CASES_ZOOM && placed.length <= MAX_MARKERS) {
    mode = 'cases';
    cases.push(...placed);
  } else {
    const binned = clusterPoints(placed, zoom, MAX_MARKERS);
    truncated = binned.truncated;
    for (const cell of binned.cells) {
      if (cell.points.length === 1) cases.push(cell.points[0]!);
      else clusters.push(clusterOf(cell.id, cell.points, binned.level, zoom));
    }
  }
  return {
    mode,
    clusters,
    cases,
    total: placed.length,
    overdue: placed.reduce((sum, point) => sum + (point.isOverdue ? 1 : 0), 0),
    states: countStates(placed),
    truncated,
  };
}

/**
 * Cases in a viewport as the viewer may see them (contract: map.ts): each case at the position of its
 * form, filtered, then clustered on the server — or listed one by one when zoomed in to a few streets.
 * Clusters are made of the positions the viewer sees, so a public cluster never reveals a place. At a
 * cluster zoom without filters the answer is read from the index's cell aggregates (docs/decisions/0666)
 * rather than from every case; `via: 'walk'` forces the walk (tests compare the two).
 */
export async function getMapCases(
  app: App,
  actor: Actor | null,
  query: MapCasesQuery,
  at?: Date,
  via: 'auto' | 'walk' = 'auto',
): Promise<MapCases> {
  let unit: UnitInfo | null = null;
  if (query.unitId) {
    unit = (await app.areas.getUnit(query.unitId)) ?? null;
    if (!unit || !mayViewArea(actor, unit)) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
  }
  await app.map.index.ready();
  const dictionary = await CategoryStore.of(app.db).all();
  const bbox = clampBBox(query.bbox);
  if (!(bbox[0] < bbox[2] && bbox[1] < bbox[3])) {
    throw errors.badRequest({ zh: 'bbox 超出了地图范围', en: 'bbox lies outside the map' });
  }
  const zoom = Math.floor(query.zoom);

  // From here on nothing awaits: the index cannot change under the computation. The time is read after
  // the awaits, so it is never behind the index's clock (a batch applied meanwhile moved it).
  const now = at ?? new Date();
  const index = app.map.index;
  index.syncCategories(dictionary);
  const isCurrent = index.advance(now.getTime());
  // Every public screen asks the same question: one computation serves them until the index changes.
  const cache = actor === null && at === undefined && via === 'auto' && isCurrent ? answersOf(app) : null;
  const cacheKey = JSON.stringify([
    query.unitId ?? null,
    bbox,
    zoom,
    query.states ?? null,
    query.categories ?? null,
    query.overdue ?? false,
  ]);
  const hit = cache?.get(index, dictionary, cacheKey, now.getTime());
  if (hit) return { ...hit, generatedAt: now.toISOString() };

  const plan = via === 'auto' && isCurrent ? cellPlan(app, actor, unit, query, zoom) : null;
  const binned = plan
    ? binFromCells(plan, bbox, zoom)
    : binByWalking(app, actor, query, unit, bbox, zoom, now);

  const clusters = binned.clusters;
  const cases = binned.cases.map(presentCase);
  // Stable order: the same viewport gives the same answer (and markers do not flicker).
  clusters.sort((a, b) => a.id.localeCompare(b.id));
  cases.sort((a, b) => a.code.localeCompare(b.code));

  const categories: MapCases['categories'] = {};
  for (const item of cases) {
    if (categories[item.category]) continue;
    const category = dictionary.get(item.category);
    categories[item.category] = {
      name: category?.name ?? { zh: item.category, en: item.category },
      majorName: category?.majorName ?? { zh: item.category.slice(0, 2), en: item.category.slice(0, 2) },
      isSensitive: category?.isSensitive ?? true,
    };
  }
  const answer: MapCases = {
    bbox,
    zoom,
    mode: binned.mode,
    clusters,
    cases,
    categories,
    total: binned.total,
    overdue: binned.overdue,
    states: binned.states,
    truncated: binned.truncated,
    closedWithinDays: app.config.map.closedDays,
    generatedAt: now.toISOString(),
  };
  cache?.set(index, dictionary, cacheKey, answer);
  return answer;
}
