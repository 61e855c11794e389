import type { MapPatrols } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { canReadTrack, isTrackReadLogged } from './policy.ts';
import { trackSegments } from './read-track.ts';
import { listActivePatrols, logLocationReads } from './repository.ts';

export const MAP_LAYER_PURPOSE = '民情地图巡查图层 / live map patrol layer';

/**
 * The live map's patrol layer: every patrol under way, with its latest position and (with tracks)
 * its track for the people who may see them — the worker and the supervisors of the grid, each
 * supervisor's read logged. Everyone else sees that the grid is being patrolled, at the grid's
 * centre, without a name.
 */
export async function mapPatrols(
  app: App,
  actor: Actor | null,
  query: { bbox?: string | undefined; unitId?: string | undefined; tracks: boolean },
  ip: string | null,
  now = new Date(),
): Promise<MapPatrols> {
  let path = '/';
  if (query.unitId) {
    const unit = await app.areas.getUnit(query.unitId);
    if (!unit) throw errors.notFound({ zh: '区域', en: 'Unit' });
    path = unit.path;
  }
  const bbox = query.bbox?.split(',').map(Number) as [number, number, number, number] | undefined;
  if (bbox && (bbox[0] > bbox[2] || bbox[1] > bbox[3])) {
    throw errors.badRequest({
      zh: 'bbox 的西边界应小于东边界、南边界应小于北边界',
      en: 'bbox must be west,south,east,north',
    });
  }
  const inBox = (p: { lng: number; lat: number } | null) =>
    !bbox || (!!p && p.lng >= bbox[0] && p.lng <= bbox[2] && p.lat >= bbox[1] && p.lat <= bbox[3]);

  const items: MapPatrols['items'] = [];
  const reads: Parameters<typeof logLocationReads>[1] = [];
  for (const row of await listActivePatrols(app.db, [path])) {
    const exact = canReadTrack(actor, row);
    const lastPosition =
      exact && row.last_position_enc
        ? (JSON.parse(app.fieldCipher.decrypt(row.last_position_enc)) as { lng: number; lat: number })
        : null;
    const centre =
      row.centroid_lng !== null && row.centroid_lat !== null
        ? { lng: row.centroid_lng, lat: row.centroid_lat }
        : null;
    const position = lastPosition ? { lng: lastPosition.lng, lat: lastPosition.lat } : centre;
    if (!inBox(position)) continue;
    const track = exact && query.tracks ? await trackSegments(app, row.id) : null;
    if (exact && actor && isTrackReadLogged(actor, row) && (lastPosition || track)) {
      reads.push({
        actorId: actor.userId,
        patrolId: row.id,
        fields: track ? ['position', 'track'] : ['position'],
        purpose: MAP_LAYER_PURPOSE,
        ip,
      });
    }
    items.push({
      id: row.id,
      grid: { id: row.grid_id, name: row.grid_name },
      startedAt: row.started_at.toISOString(),
      lastPointAt: exact ? (row.last_point_at?.toISOString() ?? null) : null,
      worker: exact ? { id: row.worker_id, name: row.worker_name } : null,
      position,
      isPositionExact: lastPosition !== null,
      findingCount: row.finding_count,
      track,
    });
  }
  await logLocationReads(app.db, reads);
  return { items, generatedAt: now.toISOString() };
}
