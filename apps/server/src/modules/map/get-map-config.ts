import type { MapConfig } from '@minqing/contract';
import type { Config } from '../../config.ts';

/** 天地图's vector map and its Chinese labels (Web Mercator, the WMTS "w" matrix set), servers t0–t7. */
function tiandituLayer(layer: 'vec' | 'cva', key: string) {
  return {
    url:
      `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0` +
      `&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}` +
      `&tk=${encodeURIComponent(key)}`,
    subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'],
  };
}

/**
 * The base map as configured (MAP_TILES; docs/decisions/0652, 0664). The Tianditu key is a browser key
 * by Tianditu's design — every tile request carries it, restricted to the deployment's domain in the
 * Tianditu console — so handing it to browsers discloses nothing the tiles would not.
 */
export function getMapConfig(config: Config): MapConfig {
  const map = config.map;
  const base = { minZoom: 3, maxZoom: 18, closedWithinDays: map.closedDays };
  switch (map.tiles) {
    case 'tianditu':
      return {
        ...base,
        provider: 'tianditu',
        layers: [tiandituLayer('vec', map.tiandituKey ?? ''), tiandituLayer('cva', map.tiandituKey ?? '')],
        attribution: '© 天地图 国家地理信息公共服务平台',
        crs: 'wgs84',
        needsGcj02: false,
      };
    case 'amap':
      return {
        ...base,
        provider: 'amap',
        layers: [
          {
            url: 'https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}',
            subdomains: ['1', '2', '3', '4'],
          },
        ],
        attribution: '© 高德地图 AutoNavi',
        crs: 'gcj02',
        needsGcj02: true,
      };
    case 'url':
      return {
        ...base,
        provider: 'url',
        layers: [{ url: map.tileUrl ?? '', subdomains: map.tileSubdomains }],
        attribution: map.tileAttribution ?? null,
        crs: map.tileCrs,
        needsGcj02: map.tileCrs === 'gcj02',
      };
    default:
      return { ...base, provider: 'none', layers: [], attribution: null, crs: 'wgs84', needsGcj02: false };
  }
}

/**
 * The origins the browser loads tiles from, for the Content Security Policy's img-src: every other
 * image still comes from minqing itself. `{s}` expands to each subdomain.
 */
export function tileOrigins(config: Config): string[] {
  const origins = new Set<string>();
  for (const layer of getMapConfig(config).layers) {
    const subdomains = layer.url.includes('{s}') ? layer.subdomains : [''];
    for (const sub of subdomains) {
      try {
        origins.add(new URL(layer.url.replaceAll('{s}', sub)).origin);
      } catch {
        // a malformed template is refused by the configuration check; nothing to allow
      }
    }
  }
  return [...origins];
}
