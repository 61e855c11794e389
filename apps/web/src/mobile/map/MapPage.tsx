import type { CategoryDictionary, UnitDetail } from '@minqing/contract';
import { Badge, Button, ErrorBlock, SpinLoading, Tabs } from 'antd-mobile';
import { FilterOutline, LeftOutline } from 'antd-mobile-icons';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLive } from '../../features/live/use-live.ts';
import type { LiveMessage } from '../../features/live/live-client.ts';
import type { BaseMapSettings } from '../../features/map/base-layer.ts';
import { LiveMap } from '../../features/map/LiveMap.tsx';
import { LIVE_EVENT_TYPES, liveUrl, parseLiveCase } from '../../features/map/live-events.ts';
import { fetchBaseMap, fetchGridLoad, fetchMapCases } from '../../features/map/map-api.ts';
import type { MapController } from '../../features/map/map-controller.ts';
import { markerColour } from '../../features/map/styles.ts';
import { throttled } from '../../features/map/throttle.ts';
import type { GridLoad, MapCaseMarker, MapUnitFeature, Viewport } from '../../features/map/types.ts';
import { fetchUnit, fetchUnitOutlines } from '../../features/map/units-api.ts';
import { useUrlUnit } from '../../features/map/use-url-unit.ts';
import { useViewportData } from '../../features/map/use-viewport-data.ts';
import { api, ApiError } from '../../shared/api.ts';
import { useLanguage, useT } from '../../shared/i18n.ts';
import { CaseList } from './CaseList.tsx';
import { CaseSheet } from './CaseSheet.tsx';
import { FilterSheet, NO_FILTERS, type PhoneMapFilters } from './FilterSheet.tsx';
import { useViewerArea } from './use-viewer-area.ts';
import './map-page.css';

const OUTLINE_KINDS = ['street', 'community', 'grid'] as const;
/** The list asks for single cases at this zoom whatever the map shows (the server caps the count). */
const LIST_ZOOM = 19;

/** [west, south, east, north] of a GeoJSON geometry, a little wider; null without one. */
function extentOf(geometry: { coordinates: unknown } | null): [number, number, number, number] | null {
  if (!geometry) return null;
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return;
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      box[0] = Math.min(box[0]!, value[0]);
      box[1] = Math.min(box[1]!, value[1]);
      box[2] = Math.max(box[2]!, value[0]);
      box[3] = Math.max(box[3]!, value[1]);
      return;
    }
    for (const item of value) walk(item);
  };
  walk(geometry.coordinates);
  if (!(box[0]! < box[2]! && box[1]! < box[3]!)) return null;
  const margin = 0.002;
  return [box[0]! - margin, box[1]! - margin, box[2]! + margin, box[3]! + margin];
}

/** /m/map: the live map of the viewer's area on a phone, with a list view and filters. */
export default function MapPage() {
  const t = useT();
  const [language, setLanguage] = useLanguage();
  const [urlUnit, setUrlUnit] = useUrlUnit();
  // The viewer's own area is worked out once; drilling down and back moves the focus from there.
  const [initialUnit] = useState(urlUnit);
  const area = useViewerArea(initialUnit);
  const [focus, setFocus] = useState<UnitDetail | null>(null);
  const [outlines, setOutlines] = useState<MapUnitFeature[]>([]);
  const [baseMap, setBaseMap] = useState<BaseMapSettings | null>(null);
  const [tilesFailed, setTilesFailed] = useState(false);
  const [gridLoad, setGridLoad] = useState<Map<string, GridLoad>>(new Map());
  const [view, setView] = useState<'map' | 'list'>('map');
  const [filters, setFilters] = useState<PhoneMapFilters>(NO_FILTERS);
  const [filterOpen, setFilterOpen] = useState(false);
  const [dictionary, setDictionary] = useState<CategoryDictionary | null>(null);
  const [tapped, setTapped] = useState<MapCaseMarker | null>(null);
  const [viewport, setViewportState] = useState<Viewport | null>(null);
  const controller = useRef<MapController | null>(null);

  useEffect(() => {
    if (!urlUnit || area.unit?.id === urlUnit) {
      setFocus(area.unit);
      return;
    }
    let live = true;
    fetchUnit(urlUnit)
      .then((value) => live && setFocus(value))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [urlUnit, area.unit]);
  const streetId = focus ? (focus.kind === 'street' ? focus.id : focus.streetId) : null;
  const unitId = focus?.id ?? null;

  useEffect(() => {
    void fetchBaseMap().then(setBaseMap);
    api
      .get<CategoryDictionary>('/api/categories')
      .then(setDictionary)
      .catch(() => setDictionary({ groups: [], allowedActions: [] }));
  }, []);

  useEffect(() => {
    if (!streetId) return;
    let live = true;
    fetchUnitOutlines(streetId, OUTLINE_KINDS)
      .then((features) => live && setOutlines(features))
      .catch(() => live && setOutlines([]));
    return () => {
      live = false;
    };
  }, [streetId]);

  const loadGrids = useCallback(() => {
    if (!streetId) return;
    fetchGridLoad(streetId)
      .then(setGridLoad)
      .catch(() => undefined);
  }, [streetId]);
  useEffect(loadGrids, [loadGrids]);

  const filterKey = `${filters.states.join(',')}|${filters.categories.join(',')}`;
  const markers = useViewportData(
    (current, signal) => fetchMapCases(current, { unitId, filters, language }, signal),
    [unitId, filterKey, language],
  );
  // The list shows every case of the area in focus, wherever the map happens to be looking.
  const focusBox = useMemo(() => extentOf(focus?.geometry ?? null), [focus]);
  const list = useViewportData(
    (current, signal) =>
      fetchMapCases(
        { bbox: focusBox ?? current.bbox, zoom: LIST_ZOOM },
        { unitId, filters, language },
        signal,
      ),
    [unitId, filterKey, language, view, focusBox],
  );

  const grids = useMemo(() => throttled(loadGrids, 3000), [loadGrids]);
  useEffect(() => () => grids.cancel(), [grids]);

  const onLive = useCallback(
    (message: LiveMessage) => {
      if (message.type === 'figures' || message.type === 'reset') {
        grids.request();
        if (message.type === 'reset') {
          markers.refresh();
          if (view === 'list') list.refresh();
        }
        return;
      }
      const event = parseLiveCase(message);
      if (!event) return;
      markers.refresh();
      if (view === 'list') list.refresh();
      if (event.position && event.isOnMap) {
        controller.current?.pulse(
          event.position.lng,
          event.position.lat,
          markerColour(event.state, event.isOverdue),
        );
      }
    },
    [markers.refresh, list.refresh, grids, view],
  );
  const { status } = useLive(unitId ? liveUrl(unitId, ['case', 'figures']) : null, LIVE_EVENT_TYPES, onLive);

  const onViewport = useCallback(
    (next: Viewport) => {
      setViewportState(next);
      markers.setViewport(next);
      list.setViewport(next);
    },
    [markers.setViewport, list.setViewport],
  );

  const drill = useCallback(
    (feature: MapUnitFeature) => {
      setUrlUnit(feature.id);
    },
    [setUrlUnit],
  );
  const mapText = useMemo(
    () => ({
      cluster: (count: number, overdue: number) =>
        language === 'zh'
          ? `${count} 件事件${overdue ? `，其中 ${overdue} 件超期` : ''}，点按放大`
          : `${count} cases${overdue ? `, ${overdue} overdue` : ''}; tap to zoom in`,
      openUnit: (name: string) => (language === 'zh' ? `进入${name}` : `Open ${name}`),
    }),
    [language],
  );

  const parent = focus?.ancestors.at(-1) ?? null;
  const filterCount = filters.states.length + filters.categories.length;
  const visibleCount = (markers.data?.markers ?? []).reduce(
    (sum, marker) => sum + (marker.kind === 'cluster' ? marker.count : 1),
    0,
  );

  if (area.loading && !focus) {
    return (
      <div className="pm-centre" role="status">
        <SpinLoading color="primary" />
        <span>{t('正在打开地图…', 'Opening the map…')}</span>
      </div>
    );
  }
  if (area.error && !focus) {
    return (
      <div className="pm-centre">
        <ErrorBlock
          status="disconnected"
          title={t('地图打不开', 'The map could not open')}
          description={area.error.text()}
        />
        <Button color="primary" onClick={() => location.reload()}>
          {t('重试', 'Try again')}
        </Button>
      </div>
    );
  }
  if (!focus) {
    return (
      <div className="pm-centre">
        <ErrorBlock
          status="empty"
          title={t('还没有区域', 'No area yet')}
          description={t(
            '管理员导入街道、社区和网格后，这里会显示民情地图。',
            'The map appears once the areas and grids are set up.',
          )}
        />
      </div>
    );
  }

  return (
    <div className="pm">
      {/* Not antd-mobile's NavBar: its left part is a role="button" even when there is nowhere to go back to. */}
      <header className="pm-nav">
        <div className="pm-nav-side">
          {parent ? (
            <button type="button" className="pm-back" onClick={() => setUrlUnit(parent.id)}>
              <LeftOutline aria-hidden="true" /> {t('上一级', 'Up')}
            </button>
          ) : null}
        </div>
        <h1 className="pm-title">{focus.name}</h1>
        <div className="pm-nav-side pm-nav-right">
          <button
            type="button"
            className="pm-lang"
            onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}
            lang={language === 'zh' ? 'en' : 'zh-CN'}
          >
            {language === 'zh' ? 'EN' : '中文'}
          </button>
        </div>
      </header>
      <div className="pm-toolbar">
        <Tabs activeKey={view} onChange={(key) => setView(key as 'map' | 'list')} className="pm-tabs">
          <Tabs.Tab title={t('地图', 'Map')} key="map" />
          <Tabs.Tab title={t('列表', 'List')} key="list" />
        </Tabs>
        <Badge content={filterCount > 0 ? filterCount : null}>
          <Button className="pm-filter" onClick={() => setFilterOpen(true)} aria-label={t('筛选', 'Filter')}>
            <FilterOutline /> {t('筛选', 'Filter')}
          </Button>
        </Badge>
      </div>
      <div className="pm-body">
        <div className="pm-map-wrap" hidden={view !== 'map'}>
          <LiveMap
            className="pm-map"
            theme="light"
            zoomControl={false}
            label={t(`${focus.name}民情地图`, `Live map of ${focus.name}`)}
            text={mapText}
            baseMap={baseMap}
            units={outlines}
            focusId={focus.id}
            gridLoad={gridLoad}
            markers={markers.data?.markers ?? []}
            onViewport={onViewport}
            onUnitClick={drill}
            onCaseClick={setTapped}
            onTilesFailed={() => setTilesFailed(true)}
            controllerRef={controller}
          />
          <div className="pm-status" role="status">
            <span className={`pm-dot pm-dot-${status}`} aria-hidden="true" />
            {status === 'open' ? t('实时', 'Live') : t('连接中', 'Connecting')} ·{' '}
            {t(`当前视野 ${visibleCount} 件`, `${visibleCount} in view`)}
          </div>
          {markers.error ? (
            <p className="pm-notice" role="alert">
              {markers.error instanceof ApiError
                ? markers.error.text()
                : t('事件暂时无法更新', 'Cases could not be updated')}
            </p>
          ) : tilesFailed ? (
            <p className="pm-notice" role="status">
              {t('底图无法加载，已改用区划图', 'Base map failed; showing area outlines')}
            </p>
          ) : null}
        </div>
        {view === 'list' ? (
          <CaseList
            result={list.data}
            loading={list.loading}
            error={list.error}
            hasViewport={viewport !== null}
            onOpen={setTapped}
          />
        ) : null}
      </div>
      <FilterSheet
        visible={filterOpen}
        value={filters}
        dictionary={dictionary}
        onClose={() => setFilterOpen(false)}
        onApply={setFilters}
      />
      <CaseSheet marker={tapped} onClose={() => setTapped(null)} />
    </div>
  );
}
