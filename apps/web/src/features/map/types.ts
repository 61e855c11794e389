import type { CaseState, UnitKind } from '@minqing/contract';

/** One case as the map draws it: public cases carry no id to open and may sit at their grid's centre. */
export interface MapCaseMarker {
  kind: 'case';
  /** Stable key for reusing the marker between updates. */
  key: string;
  /** The case id when the viewer may open it (staff); null on the public map. */
  caseId: string | null;
  /** The case number (public, as on receipts). */
  code: string;
  reportedAt: string;
  lng: number;
  lat: number;
  state: CaseState;
  overdue: boolean;
  /** Shown at the grid's centre instead of the real place (disputes, personal help). */
  coarse: boolean;
  title: string;
}

/** Several cases that crowd together at this zoom: the count, how many are overdue, where to zoom. */
export interface MapClusterMarker {
  kind: 'cluster';
  key: string;
  lng: number;
  lat: number;
  count: number;
  overdue: number;
  /** Zoom level at which the cluster splits, when the server says so. */
  expansionZoom: number | null;
  /** [minLng, minLat, maxLng, maxLat] of the cases inside, when known. */
  bbox: [number, number, number, number] | null;
}

export type MapMarker = MapCaseMarker | MapClusterMarker;

/** A unit outline to draw: the focus, its context and its children. */
export interface MapUnitFeature {
  id: string;
  kind: UnitKind;
  name: string;
  parentId: string | null;
  geometry:
    | { type: 'Polygon'; coordinates: number[][][] }
    | { type: 'MultiPolygon'; coordinates: number[][][][] }
    | { type: 'Point'; coordinates: number[] };
}

export interface GridLoad {
  open: number;
  overdue: number;
  /** open / the busiest grid's open count (0–1), for shading. */
  load: number;
}

/** A patrol on duty (issue 4): where the worker is (or the grid's centre) and, for supervisors, the track. */
export interface PatrolTrack {
  key: string;
  label: string;
  /** [lng, lat]: the latest fix for supervisors, the grid's centre for everyone else. */
  position: [number, number] | null;
  /** Pieces of track ([lng, lat] points); a gap in the GPS fixes starts a new piece. Empty for the public. */
  segments: [number, number][][];
  exact: boolean;
}

export interface Viewport {
  /** [west, south, east, north] in WGS-84 degrees. */
  bbox: [number, number, number, number];
  zoom: number;
}
