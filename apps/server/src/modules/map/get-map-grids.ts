import type { MapGrid, MapGrids, MapGridsQuery } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { deadlineWarning, nearDeadlineLimit } from './deadlines.ts';
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
  const load = new Map<string, { open: number; overdue: number; near: number }>();
  for (const entry of app.map.index.under(path)) {
    const gridId = entry.row.grid_id;
    if (!gridId) continue;
    const warning = deadlineWarning(entry.row, now, nearLimit);
    if (!warning) continue;
    const counts = load.get(gridId) ?? { open: 0, overdue: 0, near: 0 };
    counts.open++;
    if (warning === 'overdue') counts.overdue++;
    if (warning === 'near') counts.near++;
    load.set(gridId, counts);
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
