import type { UnitDetail, UnitKind, UnitSummary } from '@minqing/contract';
import { api } from '../../shared/api.ts';
import type { MapUnitFeature } from './types.ts';

interface FeatureCollection {
  features: {
    id: string;
    geometry: MapUnitFeature['geometry'];
    properties: { kind: UnitKind; name: string; parentId: string | null };
  }[];
  truncated: boolean;
}

/** Outlines (and points) below a unit, from the areas API: the map's own base when there are no tiles. */
export async function fetchUnitOutlines(
  unitId: string,
  kinds: readonly UnitKind[],
): Promise<MapUnitFeature[]> {
  const collection = await api.get<FeatureCollection>(
    `/api/units/${encodeURIComponent(unitId)}/map?kinds=${kinds.join(',')}`,
  );
  return collection.features.map((feature) => ({
    id: feature.id,
    kind: feature.properties.kind,
    name: feature.properties.name,
    parentId: feature.properties.parentId,
    geometry: feature.geometry,
  }));
}

export function fetchUnit(unitId: string): Promise<UnitDetail> {
  return api.get<UnitDetail>(`/api/units/${encodeURIComponent(unitId)}`);
}

/** The streets (and townships) at the top of the tree that the viewer may see. */
export async function fetchTopUnits(): Promise<UnitSummary[]> {
  const page = await api.get<{ items: UnitSummary[] }>('/api/units');
  return page.items;
}
