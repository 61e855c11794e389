import L from 'leaflet';
import type { DisplayCrs } from './projection.ts';

/** The base map as the server configures it (GET /api/map/config), in the shape Leaflet needs. */
export interface BaseMapSettings {
  provider: 'none' | 'tianditu' | 'amap' | 'url';
  /** Tile URL templates drawn one over the other (Tianditu: the map, then its labels). */
  layers: { url: string; subdomains?: string[] }[];
  attribution: string | null;
  crs: DisplayCrs;
  maxZoom: number;
}

export const NO_BASE_MAP: BaseMapSettings = {
  provider: 'none',
  layers: [],
  attribution: null,
  crs: 'wgs84',
  maxZoom: 19,
};

/** After this many tile errors without a single tile loaded, the tiles are given up for this page. */
const ERRORS_BEFORE_GIVING_UP = 6;

/**
 * The configured tiles, watched: on an isolated network or with a wrong key every tile fails, and the
 * screen must not sit there with grey squares. When tiles keep failing the layer is removed and the
 * map carries on with the area's own outlines, labels and buildings (`onFailed` tells the page, which
 * says so in a corner).
 */
export class BaseLayer {
  private readonly group = L.layerGroup();
  private loaded = 0;
  private failed = 0;
  private gaveUp = false;

  constructor(
    private readonly map: L.Map,
    readonly settings: BaseMapSettings,
    private readonly onFailed: () => void,
  ) {
    for (const spec of settings.layers) {
      const layer = L.tileLayer(spec.url, {
        subdomains: spec.subdomains && spec.subdomains.length > 0 ? spec.subdomains : 'abc',
        maxZoom: settings.maxZoom,
        attribution: settings.attribution ?? undefined,
        crossOrigin: false,
      });
      layer.on('tileload', () => {
        this.loaded++;
      });
      layer.on('tileerror', () => {
        this.failed++;
        if (!this.gaveUp && this.loaded === 0 && this.failed >= ERRORS_BEFORE_GIVING_UP) this.giveUp();
      });
      this.group.addLayer(layer);
    }
    if (settings.layers.length > 0) this.group.addTo(map);
  }

  get hasTiles(): boolean {
    return this.settings.layers.length > 0 && !this.gaveUp;
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.group.remove();
    this.onFailed();
  }

  remove(): void {
    this.group.remove();
    this.group.clearLayers();
  }
}
