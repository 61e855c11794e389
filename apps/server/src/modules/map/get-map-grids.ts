import type { MapGrid, MapGrids, MapGridsQuery } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { nearDeadlineLimit } from './deadlines.ts';
import { lowerBound } from './map-index.ts';
import { mayViewArea } from './policy.ts';
import { listGridsUnder } from './repository.ts';

/** Kinds below a grid: their grid is the one listed. */
const BELOW_GRID = ['compound', 'building', 'household'];

function geometryOf(value: unknown): MapGrid['geometry'] {
  const geometry = value as { type?: string } | null;
  if (geometry?.type === 'Polygon' || geometry?.type === 'MultiPolygon') {
    return geometry as MapGrid['geometry'];
  }
  return null;
}

/**
 * The grids of an area with their open-case load, for shading the map: open, overdue and near the
 * deadline per grid (from the map index, so it moves with every event), and the load relative to
 * the busiest grid. Counts only: the same for every viewer.
 */
export async function getMapGrids(
  app: App,
  actor: Actor | null,
  query: MapGridsQuery,
  now = new Date(),
): Promise<MapGrids> {
  const unit = await app.areas.getUnit(query.unitId);
  if (!unit || !mayViewArea(actor, unit)) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
  let path = unit.path;
  if (BELOW_GRID.includes(unit.kind)) {
    const grid = (await app.areas.ancestors(unit.id)).find((ancestor) => ancestor.kind === 'grid');
    if (grid) path = grid.path;
  }
  const [grids, nearLimit] = await Promise.all([
    listGridsUnder(app.db, path, query.geometry),
    nearDeadlineLimit(app, now),
    app.map.index.ready(),
  ]);
  // From the index's maintained load of each unit: its open count and the sorted deadlines of its
  // supervised cases, so overdue and amber are two searches per grid rather than a walk of every case.
  const load = new Map<string, { open: number; overdue: number; near: number }>();
  const nowMs = now.getTime();
  for (const unitLoad of app.map.index.loadsUnder(path)) {
    if (!unitLoad.gridId) continue;
    const counts = load.get(unitLoad.gridId) ?? { open: 0, overdue: 0, near: 0 };
    const overdue = lowerBound(unitLoad.dues, nowMs);
    counts.open += unitLoad.open;
    counts.overdue += overdue;
    counts.near += lowerBound(unitLoad.dues, nearLimit.getTime(), true) - overdue;
    load.set(unitLoad.gridId, counts);
  }
  let maxOpen = 0;
  for (const grid of grids) maxOpen = Math.max(maxOpen, load.get(grid.id)?.open ?? 0);
  return {
    unitId: unit.id,
    items: grids.map((grid) => {
      const counts = load.get(grid.id) ?? { open: 0, overdue: 0, near: 0 };
      return {
        id: grid.id,
        code: grid.code,
        name: grid.name,
        communityId: grid.parent_id,
        centroid:
          grid.centroid_lng !== null && grid.centroid_lat !== null
            ? { lng: grid.centroid_lng, lat: grid.centroid_lat }
            : null,
        geometry: query.geometry ? geometryOf(grid.geometry) : null,
        open: counts.open,
        overdue: counts.overdue,
        nearDeadline: counts.near,
        load: maxOpen === 0 ? 0 : Math.round((counts.open / maxOpen) * 1000) / 1000,
      };
    }),
    maxOpen,
    generatedAt: now.toISOString(),
  };
}
