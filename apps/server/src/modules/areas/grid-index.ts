/**
 * The in-memory index that answers "which grid is this point in?" without a query: flatbush packed
 * R-trees over the bounding boxes of streets, communities and grids, then an exact point-in-polygon
 * test (robust orientation predicates; holes and MultiPolygons honoured). The rules are in
 * docs/decisions/0100-point-to-grid-resolution.md.
 */
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import Flatbush from 'flatbush';
import type { UnitKind } from './repository.ts';
import {
  isAreal,
  type BBox,
  type MultiPolygonGeometry,
  type PolygonGeometry,
  type UnitGeometry,
} from './geometry.ts';

/** The levels the index keeps in memory: everything from the province down to the grid. */
export const AREA_KINDS: readonly UnitKind[] = ['province', 'city', 'county', 'street', 'community', 'grid'];

export interface AreaUnit {
  id: string;
  parentId: string | null;
  streetId: string | null;
  kind: UnitKind;
  code: string;
  name: string;
  path: string;
  depth: number;
  isActive: boolean;
  geometry: UnitGeometry | null;
}

/** Where the index reads units from: the database in the server, plain arrays in unit tests. */
export interface AreaUnitSource {
  loadAll(): Promise<AreaUnit[]>;
  loadByIds(ids: readonly string[]): Promise<AreaUnit[]>;
}

export interface Resolution {
  level: 'grid' | 'community' | 'street';
  streetId: string;
  streetName: string;
  communityId: string | null;
  communityName: string | null;
  gridId: string | null;
  gridCode: string | null;
  gridName: string | null;
  unitPath: string;
}

interface Layer {
  units: AreaUnit[];
  tree: Flatbush | null;
}

const RESOLVED_KINDS: readonly ('grid' | 'community' | 'street')[] = ['grid', 'community', 'street'];

// Past this many changed units at once (an import, a seed), one full reload is cheaper than a lookup by ids.
const FULL_RELOAD_THRESHOLD = 2_000;

function buildLayer(units: AreaUnit[]): Layer {
  const areal = units.filter(
    (unit): unit is AreaUnit & { geometry: PolygonGeometry | MultiPolygonGeometry } =>
      unit.isActive && isAreal(unit.geometry),
  );
  if (areal.length === 0) return { units: [], tree: null };
  const tree = new Flatbush(areal.length);
  for (const unit of areal) {
    const box = boxOf(unit.geometry);
    tree.add(box.minLng, box.minLat, box.maxLng, box.maxLat);
  }
  tree.finish();
  return { units: areal, tree };
}

function boxOf(geometry: PolygonGeometry | MultiPolygonGeometry): BBox {
  let minLng = Infinity;
  let minLat = Infinity;
  let maxLng = -Infinity;
  let maxLat = -Infinity;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    // The outer ring bounds the polygon; holes lie inside it.
    for (const [lng = 0, lat = 0] of polygon[0] ?? []) {
      if (lng < minLng) minLng = lng;
      if (lat < minLat) minLat = lat;
      if (lng > maxLng) maxLng = lng;
      if (lat > maxLat) maxLat = lat;
    }
  }
  return { minLng, minLat, maxLng, maxLat };
}

export class GridIndex {
  private readonly units = new Map<string, AreaUnit>();
  private readonly layers = new Map<UnitKind, Layer>();
  private readonly pending = new Set<string>();
  private reloadAll = true;
  private flushing: Promise<void> | undefined;

  constructor(private readonly source: AreaUnitSource) {}

  /** Units changed (in this process or another): they are re-read before the next answer. */
  markChanged(ids: Iterable<string>): void {
    for (const id of ids) this.pending.add(id);
  }

  /** Re-read everything before the next answer (after a lost LISTEN connection, for instance). */
  markAllChanged(): void {
    this.reloadAll = true;
  }

  /** Brings the index up to date with every change announced so far. */
  async refresh(): Promise<void> {
    // A flush in flight has already taken the pending changes but not yet rebuilt the layers: wait for it.
    while (this.flushing || this.reloadAll || this.pending.size > 0) {
      this.flushing ??= this.flush().finally(() => {
        this.flushing = undefined;
      });
      await this.flushing;
    }
  }

  private async flush(): Promise<void> {
    const all = this.reloadAll || this.pending.size > FULL_RELOAD_THRESHOLD;
    const ids = [...this.pending];
    this.reloadAll = false;
    this.pending.clear();
    // Only the layers whose units changed are rebuilt: a grid edit leaves streets and communities alone.
    const touched = new Set<UnitKind>(all ? RESOLVED_KINDS : []);
    try {
      if (all) {
        const loaded = await this.source.loadAll();
        this.units.clear();
        for (const unit of loaded) this.units.set(unit.id, unit);
      } else {
        const loaded = new Map((await this.source.loadByIds(ids)).map((unit) => [unit.id, unit]));
        for (const id of ids) {
          const before = this.units.get(id);
          const unit = loaded.get(id);
          if (before) touched.add(before.kind);
          if (unit && AREA_KINDS.includes(unit.kind)) {
            this.units.set(id, unit);
            touched.add(unit.kind);
          } else this.units.delete(id);
        }
      }
    } catch (error) {
      // Nothing was lost: the same changes are read again on the next call.
      if (all) this.reloadAll = true;
      for (const id of ids) this.pending.add(id);
      throw error;
    }
    const rebuild = RESOLVED_KINDS.filter((kind) => touched.has(kind));
    if (rebuild.length === 0) return;
    const byKind = new Map<UnitKind, AreaUnit[]>(rebuild.map((kind) => [kind, []]));
    for (const unit of this.units.values()) byKind.get(unit.kind)?.push(unit);
    for (const kind of rebuild) this.layers.set(kind, buildLayer(byKind.get(kind) ?? []));
  }

  /** Where a point lies: its grid, else (outside every grid) its community, else its street, else null. */
  async resolvePoint(point: { lng: number; lat: number }): Promise<Resolution | null> {
    if (this.flushing || this.reloadAll || this.pending.size > 0) await this.refresh();
    return this.resolveNow(point);
  }

  /** As resolvePoint, on what the index holds right now. */
  resolveNow({ lng, lat }: { lng: number; lat: number }): Resolution | null {
    const grid = this.containing('grid', lng, lat);
    if (grid) {
      const community = grid.parentId ? this.units.get(grid.parentId) : undefined;
      const street = grid.streetId ? this.units.get(grid.streetId) : undefined;
      if (street) {
        return {
          level: 'grid',
          streetId: street.id,
          streetName: street.name,
          communityId: community?.id ?? null,
          communityName: community?.name ?? null,
          gridId: grid.id,
          gridCode: grid.code,
          gridName: grid.name,
          unitPath: grid.path,
        };
      }
    }
    const community = this.containing('community', lng, lat);
    const communityStreet = community?.streetId ? this.units.get(community.streetId) : undefined;
    if (community && communityStreet) {
      return {
        level: 'community',
        streetId: communityStreet.id,
        streetName: communityStreet.name,
        communityId: community.id,
        communityName: community.name,
        gridId: null,
        gridCode: null,
        gridName: null,
        unitPath: community.path,
      };
    }
    const street = this.containing('street', lng, lat);
    if (street) {
      return {
        level: 'street',
        streetId: street.id,
        streetName: street.name,
        communityId: null,
        communityName: null,
        gridId: null,
        gridCode: null,
        gridName: null,
        unitPath: street.path,
      };
    }
    return null;
  }

  /**
   * The unit of `kind` whose outline contains the point, boundary included. On an edge or vertex
   * shared by several, the one with the smallest code wins: grid numbers run west to east, north to
   * south (GB/T 30428.1), so the answer is stable and the same in every process.
   */
  private containing(kind: 'grid' | 'community' | 'street', lng: number, lat: number): AreaUnit | undefined {
    const layer = this.layers.get(kind);
    if (!layer?.tree) return undefined;
    let best: AreaUnit | undefined;
    for (const index of layer.tree.search(lng, lat, lng, lat)) {
      const unit = layer.units[index]!;
      if (best && unit.code >= best.code) continue;
      if (booleanPointInPolygon([lng, lat], unit.geometry as PolygonGeometry | MultiPolygonGeometry))
        best = unit;
    }
    return best;
  }

  /** A unit from the province down to the grid, as the index holds it. */
  get(id: string): AreaUnit | undefined {
    return this.units.get(id);
  }

  get size(): number {
    return this.units.size;
  }
}
