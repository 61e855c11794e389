import type { UnitDetail } from '@minqing/contract';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { api } from '../../shared/api.ts';
import { useT } from '../../shared/i18n.ts';

/**
 * The case's pin on its grid's outline. No tile layer: a base map is optional configuration
 * (DESIGN.md), and the grid outline alone places the pin for people who know their area.
 */
export function CaseMap({
  location,
  gridId,
}: {
  location: { lng: number; lat: number };
  gridId: string | null;
}) {
  const t = useT();
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const map = L.map(element.current, { zoomControl: true, attributionControl: false }).setView(
      [location.lat, location.lng],
      16,
    );
    const pin = L.circleMarker([location.lat, location.lng], {
      radius: 9,
      color: '#b91c1c',
      weight: 3,
      fillColor: '#ef4444',
      fillOpacity: 0.9,
    }).addTo(map);
    pin.bindTooltip(t('事件位置', 'Case location'));
    let cancelled = false;
    if (gridId) {
      api
        .get<UnitDetail>(`/api/units/${gridId}`)
        .then((grid) => {
          if (cancelled || !grid.geometry || grid.geometry.type === 'Point') return;
          const outline = L.geoJSON(grid.geometry as GeoJSON.GeoJsonObject, {
            style: { color: '#1d4ed8', weight: 2, fillOpacity: 0.06 },
          }).addTo(map);
          outline.bindTooltip(grid.name, { sticky: true });
          map.fitBounds(outline.getBounds().extend(pin.getLatLng()), { padding: [20, 20] });
        })
        .catch(() => undefined);
    }
    return () => {
      cancelled = true;
      map.remove();
    };
  }, [location.lat, location.lng, gridId, t]);
  return (
    <div>
      <div
        ref={element}
        // A region, not an image: Leaflet makes the map focusable and puts zoom buttons inside it.
        role="region"
        aria-label={t(
          `地图：经度 ${location.lng}，纬度 ${location.lat}`,
          `Map: ${location.lng}, ${location.lat}`,
        )}
        style={{ height: 260, background: '#eef2f7', borderRadius: 6 }}
      />
      <div style={{ fontSize: 12, color: '#4b5563', marginTop: 4 }}>
        {location.lng.toFixed(6)}, {location.lat.toFixed(6)} (WGS-84)
      </div>
    </div>
  );
}
