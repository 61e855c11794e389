import gcoordModule from 'gcoord';

// gcoord ships CommonJS types for an ES module: under the bundler the default import is the API itself.
const gcoord = (
  'default' in gcoordModule ? gcoordModule.default : gcoordModule
) as typeof gcoordModule.default;

/**
 * minqing stores WGS-84/CGCS2000 coordinates and converts only for display: AMap (and Tencent) tiles are
 * drawn in GCJ-02, so every point placed on them is shifted the same way (by gcoord, a maintained
 * library), and a viewport read from the map is shifted back before it goes to the API.
 */
export type DisplayCrs = 'wgs84' | 'gcj02';

export interface Projection {
  crs: DisplayCrs;
  /** WGS-84 [lng, lat] → the Leaflet [lat, lng] to draw at. */
  toDisplay(lng: number, lat: number): [number, number];
  /** A Leaflet [lat, lng] → WGS-84 { lng, lat }. */
  fromDisplay(lat: number, lng: number): { lng: number; lat: number };
}

const identity: Projection = {
  crs: 'wgs84',
  toDisplay: (lng, lat) => [lat, lng],
  fromDisplay: (lat, lng) => ({ lng, lat }),
};

const gcj02: Projection = {
  crs: 'gcj02',
  toDisplay: (lng, lat) => {
    const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    return [y, x];
  },
  fromDisplay: (lat, lng) => {
    const [x, y] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    return { lng: x, lat: y };
  },
};

export function projectionFor(crs: DisplayCrs): Projection {
  return crs === 'gcj02' ? gcj02 : identity;
}

type Ring = number[][];

/** GeoJSON polygon rings (WGS-84) → Leaflet lat/lng rings in the display CRS. */
export function ringsToDisplay(projection: Projection, rings: Ring[]): [number, number][][] {
  return rings.map((ring) => ring.map(([lng = 0, lat = 0]) => projection.toDisplay(lng, lat)));
}
