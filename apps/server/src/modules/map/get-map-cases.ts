import type { MapBBox, MapCase, MapCases, MapCasesQuery, MapCaseState, MapCluster } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { CategoryStore } from '../cases/category-store.ts';
import { isCaseOverdue } from '../live/present-event.ts';
import { CASES_ZOOM, clampBBox, clusterPoints, expansionZoom, extentOf } from './cluster.ts';
import type { DrawnPoint, MapEntry } from './map-index.ts';
import { mapFormOf, mayViewArea } from './policy.ts';

/**
 * At most this many markers (clusters and cases) in one answer: about 300 bytes each keeps an answer
 * under 100 KB, and more markers than this are unreadable on a screen anyway.
 */
export const MAX_MARKERS = 300;

interface Placed extends DrawnPoint {
  entry: MapEntry;
  form: 'staff' | 'public';
  state: MapCaseState;
  isOverdue: boolean;
}

function inBox(point: DrawnPoint, bbox: MapBBox): boolean {
  return point.lng >= bbox[0] && point.lng <= bbox[2] && point.lat >= bbox[1] && point.lat <= bbox[3];
}

function countStates(points: readonly Placed[]): Partial<Record<MapCaseState, number>> {
  const states: Partial<Record<MapCaseState, number>> = {};
  for (const point of points) states[point.state] = (states[point.state] ?? 0) + 1;
  return states;
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

/**
 * Cases in a viewport as the viewer may see them (contract: map.ts): each case at the position of its
 * form, filtered, then clustered on the server — or listed one by one when zoomed in to a few streets.
 * Clusters are made of the positions the viewer sees, so a public cluster never reveals a place.
 */
export async function getMapCases(
  app: App,
  actor: Actor | null,
  query: MapCasesQuery,
  now = new Date(),
): Promise<MapCases> {
  let unitPath: string | null = null;
  if (query.unitId) {
    const unit = await app.areas.getUnit(query.unitId);
    if (!unit || !mayViewArea(actor, unit)) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
    unitPath = unit.path;
  }
  await app.map.index.ready();
  const dictionary = await CategoryStore.of(app.db).all();
  const bbox = clampBBox(query.bbox);
  if (!(bbox[0] < bbox[2] && bbox[1] < bbox[3])) {
    throw errors.badRequest({ zh: 'bbox 超出了地图范围', en: 'bbox lies outside the map' });
  }
  const zoom = Math.floor(query.zoom);
  const states = query.states ? new Set<string>(query.states) : null;
  const majors = query.categories?.filter((code) => code.length === 2) ?? [];
  const minors = new Set(query.categories?.filter((code) => code.length === 4) ?? []);
  const matchesCategory = (code: string) =>
    !query.categories || minors.has(code) || majors.some((major) => code.startsWith(major));

  const placed: Placed[] = [];
  for (const entry of app.map.index.near(bbox)) {
    const row = entry.row;
    if (unitPath && !row.unit_path.startsWith(unitPath)) continue;
    if (states && !states.has(row.state)) continue;
    if (!matchesCategory(row.category_code)) continue;
    if (!app.map.index.isShown(entry, now)) continue;
    const isOverdue = isCaseOverdue(row, now);
    if (query.overdue && !isOverdue) continue;
    const form = mapFormOf(actor, row);
    const point = form === 'staff' ? entry.exact : app.map.index.publicOf(entry);
    if (!point || !inBox(point, bbox)) continue;
    placed.push({ ...point, entry, form, state: row.state as MapCaseState, isOverdue });
  }

  const clusters: MapCluster[] = [];
  const cases: MapCase[] = [];
  let mode: MapCases['mode'] = 'clusters';
  let truncated = false;
  if (zoom >= CASES_ZOOM && placed.length <= MAX_MARKERS) {
    mode = 'cases';
    for (const point of placed) cases.push(presentCase(point));
  } else {
    const binned = clusterPoints(placed, zoom, MAX_MARKERS);
    truncated = binned.truncated;
    for (const cell of binned.cells) {
      if (cell.points.length === 1) {
        cases.push(presentCase(cell.points[0]!));
        continue;
      }
      let lng = 0;
      let lat = 0;
      let overdue = 0;
      for (const point of cell.points) {
        lng += point.lng;
        lat += point.lat;
        if (point.isOverdue) overdue++;
      }
      clusters.push({
        id: cell.id,
        lng: Math.round((lng / cell.points.length) * 1e6) / 1e6,
        lat: Math.round((lat / cell.points.length) * 1e6) / 1e6,
        count: cell.points.length,
        overdue,
        states: countStates(cell.points),
        expansionZoom: expansionZoom(cell.points, binned.level, zoom + 1),
        bbox: extentOf(cell.points),
      });
    }
  }
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
  return {
    bbox,
    zoom,
    mode,
    clusters,
    cases,
    categories,
    total: placed.length,
    overdue: placed.reduce((sum, point) => sum + (point.isOverdue ? 1 : 0), 0),
    states: countStates(placed),
    truncated,
    closedWithinDays: app.config.map.closedDays,
    generatedAt: now.toISOString(),
  };
}
