import type { MapBBox, MapCase, MapCases, MapCasesQuery, MapCaseState, MapCluster } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { CategoryStore } from '../cases/category-store.ts';
import { isCaseOverdue } from '../live/present-event.ts';
import type { UnitInfo } from '../areas/service.ts';
import {
  KEY_SHIFT,
  LEAF_LEVEL,
  MAP_STATES,
  STATE_INDEX,
  fixed,
  meanOf,
  splitLevel,
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

function inBox(point: CellPoint, bbox: MapBBox): boolean {
  return point.lng >= bbox[0] && point.lng <= bbox[2] && point.lat >= bbox[1] && point.lat <= bbox[3];
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

/** May `actor` open every case of the street (so all of them are drawn in the staff form)? */
function seesStreetInFull(actor: Actor, street: UnitInfo): boolean {
  return (
    mapFormOf(actor, {
      state: 'reported',
      street_id: street.id,
      community_id: null,
      grid_id: null,
      unit_path: street.path,
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
    if (seesStreetInFull(actor, unit)) return { pyramids: [index.cellsOf(unit.id).exact], form: 'staff' };
    return null;
  }
  if (actor !== null) return null;
  return { pyramids: index.streetIds().map((id) => index.cellsOf(id).public), form: 'public' };
}

/** Mercator margin for deciding that a cell lies wholly inside the viewport (~4 cm). */
const INSIDE_MARGIN = 1e-9;

interface CellGroup {
  key: number;
  /** Cells wholly inside the viewport (the same cell of several streets). */
  nodes: { pyramid: CellPyramid<MapEntry>; key: number }[];
  /** The in-view cases of a cell cut by the viewport's edge. */
  points: Placed[];
}

/** The occupied cells of `level` meeting the viewport, each read whole or (at the edge) walked. */
function cellGroups(plan: CellPlan, bbox: MapBBox, level: number): Map<number, CellGroup> {
  const n = 2 ** (level + 2);
  const west = mercatorX(bbox[0]);
  const east = mercatorX(bbox[2]);
  const north = mercatorY(bbox[3]);
  const south = mercatorY(bbox[1]);
  const clamp = (value: number) => Math.min(n - 1, Math.max(0, value));
  const x0 = clamp(Math.floor(west * n) - 1);
  const x1 = clamp(Math.floor(east * n) + 1);
  const y0 = clamp(Math.floor(north * n) - 1);
  const y1 = clamp(Math.floor(south * n) + 1);
  const groups = new Map<number, CellGroup>();
  for (const pyramid of plan.pyramids) {
    const cells = pyramid.levels[level]!;
    const visit = (key: number) => {
      const x = Math.floor(key / KEY_SHIFT);
      const y = key % KEY_SHIFT;
      if (x < x0 || x > x1 || y < y0 || y > y1) return;
      const inside =
        x / n > west &&
        (x + 1) / n < east &&
        y / n > north + INSIDE_MARGIN &&
        (y + 1) / n < south - INSIDE_MARGIN;
      let group = groups.get(key);
      if (!group) {
        group = { key, nodes: [], points: [] };
        groups.set(key, group);
      }
      if (inside) {
        group.nodes.push({ pyramid, key });
        return;
      }
      for (const [entry, point] of pyramid.members(level, key)) {
        if (!inBox(point, bbox)) continue;
        group.points.push({
          ...point,
          entry,
          form: plan.form,
          state: entry.row.state as MapCaseState,
          isOverdue: entry.contribution?.overdue ?? false,
        });
      }
      if (group.nodes.length === 0 && group.points.length === 0) groups.delete(key);
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
      const points = group.points;
      total += points.length;
      for (const point of points) {
        stateCounts[STATE_INDEX.get(point.state)!]!++;
        if (point.isOverdue) overdue++;
      }
      if (points.length === 1) cases.push(points[0]!);
      else clusters.push(clusterOf(id, points, level, zoom));
      continue;
    }
    let count = 0;
    let late = 0;
    let lng = 0;
    let lat = 0;
    const states = MAP_STATES.map(() => 0);
    let west = Infinity;
    let south = Infinity;
    let east = -Infinity;
    let north = -Infinity;
    for (const { pyramid, key } of group.nodes) {
      const node = pyramid.levels[level]!.get(key)!;
      count += node.count;
      late += node.overdue;
      lng += node.sumLng;
      lat += node.sumLat;
      node.states.forEach((value, i) => (states[i]! += value));
      const [w, s, e, n] = pyramid.extent(level, key);
      if (w < west) west = w;
      if (s < south) south = s;
      if (e > east) east = e;
      if (n > north) north = n;
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
      bbox: [west, south, east, north],
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
  unitPath: string | null,
  bbox: MapBBox,
  zoom: number,
  now: Date,
): Binned {
  const states = query.states ? new Set<string>(query.states) : null;
  const majors = query.categories?.filter((code) => code.length === 2) ?? [];
  const minors = new Set(query.categories?.filter((code) => code.length === 4) ?? []);
  const matchesCategory = (code: string) =>
    !query.categories || minors.has(code) || majors.some((major) => code.startsWith(major));

  const index = app.map.index;
  const placed: Placed[] = [];
  // Each case is looked at in the buckets of the position its viewer sees: its exact one for those who
  // may open it, its public one for everyone else (the index keeps both; the dictionary is synced).
  for (const positions of ['exact', 'public'] as const) {
    for (const entry of index.near(bbox, positions)) {
      const row = entry.row;
      if (unitPath && !row.unit_path.startsWith(unitPath)) continue;
      if (states && !states.has(row.state)) continue;
      if (!matchesCategory(row.category_code)) continue;
      const form = mapFormOf(actor, row);
      if ((form === 'staff') !== (positions === 'exact')) continue;
      if (!index.isShown(entry, now)) continue;
      const isOverdue = isCaseOverdue(row, now);
      if (query.overdue && !isOverdue) continue;
      const point = form === 'staff' ? entry.exact : entry.public;
      if (!point || !inBox(point, bbox)) continue;
      placed.push({ ...point, entry, form, state: row.state as MapCaseState, isOverdue });
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
    : binByWalking(app, actor, query, unit?.path ?? null, bbox, zoom, now);

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
