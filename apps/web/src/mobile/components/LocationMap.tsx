import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef } from 'react';
import { BaseLayer } from '../../features/map/base-layer.ts';
import { fetchBaseMap } from '../../features/map/map-api.ts';
import { projectionFor, ringsToDisplay } from '../../features/map/projection.ts';
import { fetchUnitOutlines } from '../../features/map/units-api.ts';
import { useT } from '../../shared/i18n.ts';

/**
 * A map to adjust the reported place: the pin stays in the middle, the map moves under it. Drawn on
 * the configured tiles, else on the community's own grid outlines (the map needs no outside service).
 */
export default function LocationMap(props: {
  value: { lng: number; lat: number };
  areaId: string | null;
  onChange: (point: { lng: number; lat: number }) => void;
}) {
  const t = useT();
  const element = useRef<HTMLDivElement>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  const start = useRef(props.value);

  useEffect(() => {
    if (!element.current) return;
    let live = true;
    const map = L.map(element.current, { zoomControl: false, attributionControl: true }).setView(
      [start.current.lat, start.current.lng],
      17,
    );
    let base: BaseLayer | null = null;
    (async () => {
      const settings = await fetchBaseMap();
      if (!live) return;
      const projection = projectionFor(settings.crs);
      base = new BaseLayer(map, settings, () => undefined);
      map.setView(projection.toDisplay(start.current.lng, start.current.lat), 17);
      map.on('moveend', () => {
        const centre = map.getCenter();
        onChange.current(projection.fromDisplay(centre.lat, centre.lng));
      });
      if (props.areaId) {
        const outlines = await fetchUnitOutlines(props.areaId, ['community', 'grid']).catch(() => []);
        if (!live) return;
        for (const outline of outlines) {
          const geometry = outline.geometry as { type: string; coordinates: unknown };
          const polygons =
            geometry.type === 'Polygon'
              ? [geometry.coordinates as number[][][]]
              : geometry.type === 'MultiPolygon'
                ? (geometry.coordinates as number[][][][])
                : [];
          for (const rings of polygons) {
            L.polygon(ringsToDisplay(projection, rings), {
              color: outline.kind === 'grid' ? '#0f766e' : '#334155',
              weight: outline.kind === 'grid' ? 1.5 : 2.5,
              fillOpacity: 0.04,
              interactive: false,
            })
              .bindTooltip(outline.name, { permanent: outline.kind === 'grid', direction: 'center' })
              .addTo(map);
          }
        }
      }
    })();
    return () => {
      live = false;
      base?.remove();
      map.remove();
    };
  }, [props.areaId]);

  return (
    <div className="m-locmap">
      <div
        ref={element}
        className="m-locmap-map"
        role="application"
        aria-label={t('位置地图', 'Location map')}
      />
      <div className="m-locmap-pin" aria-hidden="true" />
      <div className="m-locmap-hint">
        {t('拖动地图，使红点对准问题位置', 'Drag the map to put the red dot on the problem')}
      </div>
    </div>
  );
}
