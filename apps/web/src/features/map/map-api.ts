import type { MapCases, MapCaseState, MapConfig, MapGrids, MapPatrols } from '@minqing/contract';
import { api, ApiError, query } from '../../shared/api.ts';
import { NO_BASE_MAP, type BaseMapSettings } from './base-layer.ts';
import type { GridLoad, MapMarker, PatrolTrack, Viewport } from './types.ts';

/**
 * The map's calls to the server (issue 3's map API, issue 4's patrol layer), each turned into the shapes
 * the shared map draws. Everything the map knows about these answers' JSON is in this file.
 */

export interface MapFilters {
  states?: readonly MapCaseState[];
  /** 2-digit major or 4-digit minor category codes. */
  categories?: readonly string[];
  overdue?: boolean;
}

export async function fetchBaseMap(): Promise<BaseMapSettings> {
  try {
    const config = await api.get<MapConfig>('/api/map/config');
    return {
      provider: config.provider,
      layers: config.layers,
      attribution: config.attribution,
      crs: config.crs,
      maxZoom: config.maxZoom,
    };
  } catch {
    // Without a configuration the area's own outlines are the map: that works, offline too.
    return NO_BASE_MAP;
  }
}

export interface MapCasesResult {
  markers: MapMarker[];
  total: number;
  overdue: number;
  truncated: boolean;
  mode: MapCases['mode'];
}

function bboxParam(viewport: Viewport): string {
  return viewport.bbox.map((value) => value.toFixed(6)).join(',');
}

export async function fetchMapCases(
  viewport: Viewport,
  options: { unitId?: string | null; filters?: MapFilters; language: 'zh' | 'en' },
  signal?: AbortSignal,
): Promise<MapCasesResult> {
  const { filters } = options;
  const result = await api.get<MapCases>(
    `/api/map/cases${query({
      bbox: bboxParam(viewport),
      zoom: viewport.zoom,
      unitId: options.unitId ?? undefined,
      states: filters?.states?.length ? [...filters.states] : undefined,
      categories: filters?.categories?.length ? [...filters.categories] : undefined,
      overdue: filters?.overdue ? 'true' : undefined,
    })}`,
    { signal },
  );
  const name = (code: string) => {
    const category = result.categories[code];
    if (!category) return code;
    return options.language === 'zh' ? category.name.zh : category.name.en;
  };
  const markers: MapMarker[] = [
    ...result.clusters.map((cluster): MapMarker => ({
      kind: 'cluster',
      key: `c:${cluster.id}`,
      lng: cluster.lng,
      lat: cluster.lat,
      count: cluster.count,
      overdue: cluster.overdue,
      expansionZoom: cluster.expansionZoom,
      bbox: cluster.bbox,
    })),
    ...result.cases.map((item): MapMarker => ({
      kind: 'case',
      key: item.key,
      caseId: item.id,
      code: item.code,
      lng: item.lng,
      lat: item.lat,
      state: item.state,
      overdue: item.isOverdue,
      coarse: item.isCoarse,
      title: name(item.category),
      reportedAt: item.reportedAt,
    })),
  ];
  return {
    markers,
    total: result.total,
    overdue: result.overdue,
    truncated: result.truncated,
    mode: result.mode,
  };
}

/** Open-case load per grid (for shading), without the outlines the map already has. */
export async function fetchGridLoad(unitId: string): Promise<Map<string, GridLoad>> {
  const result = await api.get<MapGrids>(`/api/map/grids${query({ unitId, geometry: 'false' })}`);
  return new Map(
    result.items.map((item) => [item.id, { open: item.open, overdue: item.overdue, load: item.load }]),
  );
}

/**
 * Patrols on duty (issue 4's GET /api/map/patrols). A server without the patrol module answers 404 and
 * the layer simply stays empty.
 */
export async function fetchPatrols(
  viewport: Viewport,
  unitId: string | null,
  withTracks: boolean,
  signal?: AbortSignal,
): Promise<PatrolTrack[]> {
  try {
    const result = await api.get<MapPatrols>(
      `/api/map/patrols${query({
        bbox: bboxParam(viewport),
        unitId: unitId ?? undefined,
        tracks: withTracks ? 'true' : undefined,
      })}`,
      { signal },
    );
    return result.items.map((item) => ({
      key: item.id,
      label: item.worker ? `${item.grid.name} · ${item.worker.name}` : item.grid.name,
      position: item.position ? [item.position.lng, item.position.lat] : null,
      segments: (item.track ?? []).map((segment) =>
        segment.map(([lng, lat]) => [lng, lat] as [number, number]),
      ),
      exact: item.isPositionExact,
    }));
  } catch (caught) {
    if (caught instanceof ApiError && caught.status === 404) return [];
    throw caught;
  }
}
