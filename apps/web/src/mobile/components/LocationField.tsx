import type { UnitSummary } from '@minqing/contract';
import { Button, List, Popup, SpinLoading } from 'antd-mobile';
import { EnvironmentOutline } from 'antd-mobile-icons';
import { lazy, Suspense, useEffect, useState } from 'react';
import { api } from '../../shared/api.ts';
import { useT } from '../../shared/i18n.ts';

const LocationMap = lazy(() => import('./LocationMap.tsx'));

export interface PlaceValue {
  location: { lng: number; lat: number } | null;
  accuracy: number | null;
  /** A building, compound or grid picked from the list when there is no GPS. */
  unit: { id: string; name: string } | null;
  source: 'gps' | 'map' | 'list' | null;
}

export const NO_PLACE: PlaceValue = { location: null, accuracy: null, unit: null, source: null };

type GpsState = 'idle' | 'locating' | 'refused' | 'unavailable';

/** One fix from the phone's GPS (WeChat's browser asks the user the first time). */
export function locateOnce(): Promise<GeolocationPosition> {
  return new Promise((resolve, reject) => {
    if (!('geolocation' in navigator)) {
      reject(Object.assign(new Error('no geolocation'), { code: 2 }));
      return;
    }
    navigator.geolocation.getCurrentPosition(resolve, reject, {
      enableHighAccuracy: true,
      timeout: 15_000,
      maximumAge: 30_000,
    });
  });
}

/**
 * Where the problem is: GPS first; a map to move the point; when GPS is refused or gives nothing, the
 * buildings (or grids) of the person's area to pick from.
 */
export function LocationField(props: {
  value: PlaceValue;
  onChange: (value: PlaceValue) => void;
  areaId: string | null;
}) {
  const t = useT();
  const [gps, setGps] = useState<GpsState>('idle');
  const [mapOpen, setMapOpen] = useState(false);
  const [listOpen, setListOpen] = useState(false);

  async function locate() {
    setGps('locating');
    try {
      const position = await locateOnce();
      setGps('idle');
      props.onChange({
        location: {
          lng: Math.round(position.coords.longitude * 1e7) / 1e7,
          lat: Math.round(position.coords.latitude * 1e7) / 1e7,
        },
        accuracy: Math.round(position.coords.accuracy),
        unit: null,
        source: 'gps',
      });
    } catch (error) {
      setGps((error as GeolocationPositionError).code === 1 ? 'refused' : 'unavailable');
    }
  }

  useEffect(() => {
    if (!props.value.location && !props.value.unit) void locate();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const { location, unit } = props.value;
  return (
    <div className="m-location" data-testid="location">
      {location ? (
        <div className="m-location-text">
          <EnvironmentOutline aria-hidden="true" />{' '}
          {unit
            ? unit.name
            : props.value.source === 'map'
              ? t('已在地图上选定位置', 'Place set on the map')
              : t(
                  `已定位（精度约 ${props.value.accuracy ?? '?'} 米）`,
                  `Located (within about ${props.value.accuracy ?? '?'} m)`,
                )}
          <span className="m-location-coords">
            {location.lng.toFixed(5)}, {location.lat.toFixed(5)}
          </span>
        </div>
      ) : unit ? (
        <div className="m-location-text">
          <EnvironmentOutline aria-hidden="true" /> {unit.name}
        </div>
      ) : gps === 'locating' ? (
        <div className="m-location-text" role="status">
          <SpinLoading style={{ '--size': '16px' }} /> {t('正在定位…', 'Locating…')}
        </div>
      ) : gps === 'refused' || gps === 'unavailable' ? (
        <div className="m-location-text m-warn" role="alert">
          {gps === 'refused'
            ? t(
                '定位未开启：请从列表选择所在楼栋或区域',
                'Location is off: pick the building or area from the list',
              )
            : t('暂时无法定位：请重试或从列表选择', 'No location yet: try again or pick from the list')}
        </div>
      ) : null}
      <div className="m-location-actions">
        <Button size="small" onClick={() => void locate()} loading={gps === 'locating'}>
          {t('重新定位', 'Locate again')}
        </Button>
        {location && (
          <Button size="small" onClick={() => setMapOpen(true)}>
            {t('在地图上调整', 'Adjust on the map')}
          </Button>
        )}
        <Button size="small" onClick={() => setListOpen(true)}>
          {t('从列表选择', 'Pick from a list')}
        </Button>
      </div>
      <Popup
        visible={mapOpen}
        onMaskClick={() => setMapOpen(false)}
        bodyStyle={{ height: '80vh' }}
        destroyOnClose
      >
        {location && mapOpen && (
          <div className="m-locmap-sheet">
            <Suspense fallback={<SpinLoading />}>
              <LocationMap
                value={location}
                areaId={props.areaId}
                onChange={(point) =>
                  props.onChange({ location: point, accuracy: null, unit: null, source: 'map' })
                }
              />
            </Suspense>
            <Button block color="primary" onClick={() => setMapOpen(false)}>
              {t('确定位置', 'Use this place')}
            </Button>
          </div>
        )}
      </Popup>
      <Popup
        visible={listOpen}
        onMaskClick={() => setListOpen(false)}
        bodyStyle={{ height: '70vh', overflowY: 'auto' }}
        destroyOnClose
      >
        {listOpen && (
          <UnitList
            rootId={props.areaId}
            onPick={(picked) => {
              setListOpen(false);
              props.onChange({
                location: picked.centroid,
                accuracy: null,
                unit: { id: picked.id, name: picked.name },
                source: 'list',
              });
            }}
          />
        )}
      </Popup>
    </div>
  );
}

/** The units below the person's area, level by level: grids, then compounds and buildings when visible. */
function UnitList(props: { rootId: string | null; onPick: (unit: UnitSummary) => void }) {
  const t = useT();
  const [trail, setTrail] = useState<UnitSummary[]>([]);
  const [items, setItems] = useState<UnitSummary[] | null>(null);
  const parentId = trail.at(-1)?.id ?? props.rootId;
  useEffect(() => {
    let live = true;
    setItems(null);
    const path = parentId ? `/api/units/${parentId}/children` : '/api/units';
    api
      .get<{ items: UnitSummary[] }>(path)
      .then((page) => live && setItems(page.items))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [parentId]);
  const current = trail.at(-1);
  return (
    <List header={current ? current.name : t('选择所在区域或楼栋', 'Pick the area or building')}>
      {trail.length > 0 && (
        <List.Item onClick={() => setTrail(trail.slice(0, -1))}>
          {t('‹ 返回上一级', '‹ Up one level')}
        </List.Item>
      )}
      {current && (
        <List.Item onClick={() => props.onPick(current)} extra={t('选这里', 'Use this')}>
          {t(`就在“${current.name}”`, `Somewhere in “${current.name}”`)}
        </List.Item>
      )}
      {items === null ? (
        <List.Item>
          <SpinLoading />
        </List.Item>
      ) : items.length === 0 ? (
        <List.Item>{t('没有更细的区域了', 'Nothing more detailed here')}</List.Item>
      ) : (
        items.map((unit) => (
          <List.Item
            key={unit.id}
            arrowIcon
            onClick={() =>
              unit.kind === 'building' || unit.kind === 'household'
                ? props.onPick(unit)
                : setTrail([...trail, unit])
            }
          >
            {unit.name}
          </List.Item>
        ))
      )}
    </List>
  );
}
