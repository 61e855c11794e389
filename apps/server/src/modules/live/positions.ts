/**
 * Where a case is drawn, by who looks (docs/decisions/0661). Staff who may open a case see where it
 * is. Everyone else sees it at ~10 m (four decimal places of a degree), and a dispute or a request for
 * personal help (a sensitive category) only at its grid's centre: the location of a family dispute
 * says too much about the family. A case reported without a map point is at its grid's centre for all.
 */
export interface PositionSource {
  lng: number | null;
  lat: number | null;
  /** The grid's label point (else the community's, else the street's). */
  centre_lng: number | null;
  centre_lat: number | null;
}

export interface DrawnPosition {
  lng: number;
  lat: number;
  /** At the grid (or community) centre rather than at the place. */
  isCoarse: boolean;
}

/** 1e-4 degree: about 11 m of latitude, enough to tell a street corner, not a door. */
const PUBLIC_DECIMALS = 1e4;

export function roundPublic(value: number): number {
  return Math.round(value * PUBLIC_DECIMALS) / PUBLIC_DECIMALS;
}

function centre(row: PositionSource): DrawnPosition | null {
  if (row.centre_lng === null || row.centre_lat === null) return null;
  return { lng: row.centre_lng, lat: row.centre_lat, isCoarse: true };
}

/** The exact position, for those who may open the case. */
export function fullPosition(row: PositionSource): DrawnPosition | null {
  if (row.lng !== null && row.lat !== null) return { lng: row.lng, lat: row.lat, isCoarse: false };
  return centre(row);
}

/** The public position: rounded, and at the grid centre for sensitive categories. */
export function publicPosition(row: PositionSource, isSensitive: boolean): DrawnPosition | null {
  if (isSensitive || row.lng === null || row.lat === null) return centre(row);
  return { lng: roundPublic(row.lng), lat: roundPublic(row.lat), isCoarse: false };
}
