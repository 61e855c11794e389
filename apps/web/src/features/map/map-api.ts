import type { CaseState } from '@minqing/contract';
import { api, ApiError, query } from '../../shared/api.ts';
import { NO_BASE_MAP, type BaseMapSettings } from './base-layer.ts';
import type { GridLoad, MapMarker, PatrolTrack, Viewport } from './types.ts';

/**
 * The map's calls to the server (issue 3's map API and issue 4's patrol layer), each turned into the
 * shapes the shared map draws. Everything the map knows about the API's JSON is in this file.
 */

export interface MapFilters {
  states?: readonly CaseState[];
  categories?: readonly string[];
}

export async function fetchBaseMap(): Promise<BaseMapSettings> {
  try {
    const config = await api.get<{
      provider: BaseMapSettings['provider'];
      layers?: { url: string; subdomains?: string[] }[];
      attribution?: string | null;
      crs?: 'wgs84' | 'gcj02';
      maxZoom?: number;
    }>('/api/map/config');
    return {
      provider: config.provider,
      layers: config.layers ?? [],
      attribution: config.attribution ?? null,
      crs: config.crs ?? 'wgs84',
      maxZoom: config.maxZoom ?? 19,
    };
  } catch {
    // Without a configuration the area's own outlines are the map: it works, offline too.
    return NO_BASE_MAP;
  }
}

export interface MapCasesResult {
  markers: MapMarker[];
  total: number;
  truncated: boolean;
}

interface ApiCluster {
  id: string;
  lng: number;
  lat: number;
  count: number;
  overdue: number;
  expansionZoom?: number | null;
  bbox?: [number, number, number, number] | null;
}
interface ApiMapCase {
  id: string | null;
  key?: string;
  lng: number;
  lat: number;
  state: CaseState;
  isOverdue: boolean;
  isCoarse: boolean;
  category: { code: string; name: { zh: string; en: string } };
}

export async function fetchMapCases(
  viewport: Viewport,
  options: { unitId?: string | null; filters?: MapFilters; language: 'zh' | 'en' },
  signal?: AbortSignal,
): Promise<MapCasesResult> {
  const path = `/api/map/cases${query({
    bbox: viewport.bbox.map((value) => value.toFixed(6)).join(','),
    zoom: viewport.zoom,
    unitId: options.unitId ?? undefined,
    states: options.filters?.states?.length ? [...options.filters.states] : undefined,
    categories: options.filters?.categories?.length ? [...options.filters.categories] : undefined,
  })}`;
  const result = await api.get<{
    clusters: ApiCluster[];
    cases: ApiMapCase[];
    total: number;
    truncated: boolean;
  }>(path, { signal });
  const markers: MapMarker[] = [
    ...result.clusters.map(
      (cluster): MapMarker => ({
        kind: 'cluster',
        key: `c:${cluster.id}`,
        lng: cluster.lng,
        lat: cluster.lat,
        count: cluster.count,
        overdue: cluster.overdue,
        expansionZoom: cluster.expansionZoom ?? null,
        bbox: cluster.bbox ?? null,
      }),
    ),
    ...result.cases.map(
      (item, index): MapMarker => ({
        kind: 'case',
        key: item.key ?? item.id ?? `p:${index}`,
        caseId: item.id,
        lng: item.lng,
        lat: item.lat,
        state: item.state,
        overdue: item.isOverdue,
        coarse: item.isCoarse,
        title: options.language === 'zh' ? item.category.name.zh : item.category.name.en,
      }),
    ),
  ];
  return { markers, total: result.total, truncated: result.truncated };
}

export async function fetchGridLoad(unitId: string): Promise<Map<string, GridLoad>> {
  const result = await api.get<{ items: { id: string; open: number; overdue: number }[] }>(
    `/api/map/grids${query({ unitId })}`,
  );
  return new Map(result.items.map((item) => [item.id, { open: item.open, overdue: item.overdue }]));
}

/**
 * Patrols on duty (issue 4's GET /api/map/patrols). A server without the patrol module answers 404:
 * the layer then simply stays empty.
 */
export async function fetchPatrols(
  viewport: Viewport,
  unitId: string | null,
  withTracks: boolean,
  signal?: AbortSignal,
): Promise<PatrolTrack[]> {
  try {
    const result = await api.get<{
      items: {
        id: string;
        grid: { id: string; name: string };
        worker: { id: string; name: string } | null;
        position: { lng: number; lat: number } | null;
        isPositionExact: boolean;
        track: [number, number, number][][] | null;
      }[];
    }>(
      `/api/map/patrols${query({
        bbox: viewport.bbox.map((value) => value.toFixed(6)).join(','),
        unitId: unitId ?? undefined,
        tracks: withTracks ? 'true' : undefined,
      })}`,
      { signal },
    );
    return result.items.map((item) => ({
      key: item.id,
      label: item.worker ? `${item.grid.name} · ${item.worker.name}` : item.grid.name,
      position: item.position ? [item.position.lng, item.position.lat] : null,
      segments: (item.track ?? []).map((segment) => segment.map(([lng, lat]) => [lng, lat] as [number, number])),
      exact: item.isPositionExact,
    }));
  } catch (caught) {
    if (caught instanceof ApiError && (caught.status === 404 || caught.status === 403)) return [];
    throw caught;
  }
}
