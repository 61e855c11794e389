import type { ScreenSummary, UnitDetail, UnitSummary } from '@minqing/contract';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useLive } from '../features/live/use-live.ts';
import type { LiveMessage } from '../features/live/live-client.ts';
import { LiveMap } from '../features/map/LiveMap.tsx';
import type { BaseMapSettings } from '../features/map/base-layer.ts';
import {
  feedItem,
  LIVE_EVENT_TYPES,
  liveUrl,
  parseLiveCase,
  type FeedItem,
} from '../features/map/live-events.ts';
import { fetchBaseMap, fetchGridLoad, fetchMapCases, fetchPatrols } from '../features/map/map-api.ts';
import type { MapController } from '../features/map/map-controller.ts';
import { markerColour, STATE_NAMES } from '../features/map/styles.ts';
import { throttled } from '../features/map/throttle.ts';
import type { GridLoad, MapCaseMarker, MapUnitFeature } from '../features/map/types.ts';
import { fetchTopUnits, fetchUnit, fetchUnitOutlines } from '../features/map/units-api.ts';
import { useViewportData } from '../features/map/use-viewport-data.ts';
import { ApiError } from '../shared/api.ts';
import { pick, useLanguage, useT } from '../shared/i18n.ts';
import { CaseDrawer } from './CaseDrawer.tsx';
import { Clock } from './Clock.tsx';
import { BaseFigureTiles, PeriodCounterTable } from './Counters.tsx';
import { Feed, FEED_LIMIT } from './Feed.tsx';
import { Legend } from './Legend.tsx';
import { LoginDialog } from './LoginDialog.tsx';
import { Panel, PanelNote } from './Panel.tsx';
import { OverdueRent } from './OverdueRent.tsx';
import { Chart } from './charts/Chart.tsx';
import { gaugeOption, rankingOption, sourcesOption } from './charts/options.ts';
import { fetchSummary } from './summary-api.ts';
import { isStaff, useMe } from './use-me.ts';
import { useUrlUnit } from '../features/map/use-url-unit.ts';

const OUTLINE_KINDS = ['street', 'community', 'grid'] as const;
const AREA_KINDS = new Set<string>(OUTLINE_KINDS);
const DETAIL_KINDS = ['compound', 'building'] as const;
/** Side panels refresh at most this often from live events, and at least once a minute. */
const SUMMARY_THROTTLE_MS = 3000;
const SUMMARY_INTERVAL_MS = 60_000;
const PATROL_INTERVAL_MS = 15_000;
/** Feed lines that arrived live stay highlighted until this many newer ones came. */
const FRESH_LIMIT = 5;

function mergeFeed(current: FeedItem[], incoming: FeedItem[]): FeedItem[] {
  const byId = new Map<string, FeedItem>();
  for (const item of [...incoming, ...current]) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, FEED_LIMIT);
}

export function ScreenApp() {
  const t = useT();
  const [language, setLanguage] = useLanguage();
  const [urlUnit, setUrlUnit] = useUrlUnit();
  const { me, setMe, signOut } = useMe();
  const staff = isStaff(me);

  const [streets, setStreets] = useState<UnitSummary[] | null>(null);
  const [unit, setUnit] = useState<UnitDetail | null>(null);
  const [unitError, setUnitError] = useState<string | null>(null);
  const [outlines, setOutlines] = useState<MapUnitFeature[]>([]);
  const [detailOutlines, setDetailOutlines] = useState<MapUnitFeature[]>([]);
  const [baseMap, setBaseMap] = useState<BaseMapSettings | null>(null);
  const [tilesFailed, setTilesFailed] = useState(false);
  const [gridLoad, setGridLoad] = useState<Map<string, GridLoad>>(new Map());
  const [summary, setSummary] = useState<ScreenSummary | null>(null);
  const [summaryError, setSummaryError] = useState<string | null>(null);
  const [feed, setFeed] = useState<FeedItem[]>([]);
  const [freshIds, setFreshIds] = useState<string[]>([]);
  const [openCase, setOpenCase] = useState<string | null>(null);
  const [loginOpen, setLoginOpen] = useState(false);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [picked, setPicked] = useState<MapCaseMarker | null>(null);
  const controller = useRef<MapController | null>(null);

  const unitId = urlUnit ?? streets?.[0]?.id ?? null;
  const streetId = unit ? (unit.kind === 'street' ? unit.id : unit.streetId) : null;
  const gridId = unit
    ? unit.kind === 'grid'
      ? unit.id
      : (unit.ancestors.find((ancestor) => ancestor.kind === 'grid')?.id ?? null)
    : null;
  // Figures, markers and the stream follow an area (street, community, grid); a building shows its grid's.
  const areaId = unit ? (AREA_KINDS.has(unit.kind) ? unit.id : gridId) : null;

  // The streets the viewer may choose from (and the default: the first).
  useEffect(() => {
    fetchTopUnits()
      .then(setStreets)
      .catch(() => setStreets([]));
  }, []);

  useEffect(() => {
    void fetchBaseMap().then(setBaseMap);
  }, []);

  // The unit in focus: its name, kind and ancestors (the breadcrumb).
  useEffect(() => {
    if (!unitId) return;
    let live = true;
    setUnitError(null);
    fetchUnit(unitId)
      .then((value) => live && setUnit(value))
      .catch((caught: unknown) => {
        if (!live) return;
        setUnitError(
          caught instanceof ApiError ? caught.text() : t('无法读取该区域', 'Could not load this area'),
        );
      });
    return () => {
      live = false;
    };
    // Signing in may reveal more of the unit (its buildings); the language does not change it.
  }, [unitId, me?.id]);

  // The street's outlines are loaded once per street; drilling down only restyles them.
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

  // Buildings inside a grid: staff only (the public map stops at grids).
  useEffect(() => {
    if (!gridId || !staff) {
      setDetailOutlines([]);
      return;
    }
    let live = true;
    fetchUnitOutlines(gridId, DETAIL_KINDS)
      .then((features) => live && setDetailOutlines(features))
      .catch(() => live && setDetailOutlines([]));
    return () => {
      live = false;
    };
  }, [gridId, staff]);

  const units = useMemo(() => [...outlines, ...detailOutlines], [outlines, detailOutlines]);

  // ---- data that follows the live stream ---------------------------------------------------------

  const loadGridLoad = useCallback(() => {
    if (!streetId) return;
    fetchGridLoad(streetId)
      .then(setGridLoad)
      .catch(() => undefined); // keep the last shading
  }, [streetId]);
  useEffect(loadGridLoad, [loadGridLoad]);

  const summaryAbort = useRef<AbortController | null>(null);
  const loadSummary = useCallback(() => {
    if (!areaId) return;
    summaryAbort.current?.abort();
    const abort = new AbortController();
    summaryAbort.current = abort;
    fetchSummary(areaId, abort.signal)
      .then((value) => {
        if (abort.signal.aborted) return;
        setSummary(value);
        setSummaryError(null);
        setFeed((current) => mergeFeed(current, value.feed.map(feedItem)));
      })
      .catch((caught: unknown) => {
        if (abort.signal.aborted) return;
        setSummaryError(
          caught instanceof ApiError ? caught.text() : t('统计数据暂不可用', 'Figures unavailable'),
        );
      });
  }, [areaId]);
  useEffect(() => {
    setFeed([]);
    setSummary(null);
    loadSummary();
    const timer = setInterval(loadSummary, SUMMARY_INTERVAL_MS);
    return () => {
      clearInterval(timer);
      summaryAbort.current?.abort();
    };
  }, [loadSummary]);

  const markers = useViewportData(
    (viewport, signal) =>
      fetchMapCases(viewport, { unitId: areaId, language, filters: { overdue: overdueOnly } }, signal),
    [areaId, language, me?.id, overdueOnly],
  );
  const patrols = useViewportData(
    (viewport, signal) => fetchPatrols(viewport, areaId, staff, signal),
    [areaId, staff],
    2000,
  );
  useEffect(() => {
    const timer = setInterval(patrols.refresh, PATROL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [patrols.refresh]);

  const refreshes = useMemo(
    () => ({
      summary: throttled(loadSummary, SUMMARY_THROTTLE_MS),
      grids: throttled(loadGridLoad, SUMMARY_THROTTLE_MS),
    }),
    [loadSummary, loadGridLoad],
  );
  useEffect(
    () => () => {
      refreshes.summary.cancel();
      refreshes.grids.cancel();
    },
    [refreshes],
  );

  const onLive = useCallback(
    (message: LiveMessage) => {
      switch (message.type) {
        case 'patrol':
          patrols.refresh();
          return;
        case 'figures':
          refreshes.summary.request();
          refreshes.grids.request();
          return;
        case 'reset':
          // More was missed than the server could replay: reload everything the screen shows.
          markers.refresh();
          patrols.refresh();
          refreshes.grids.request();
          refreshes.summary.request();
          return;
      }
      const event = parseLiveCase(message);
      if (!event) return;
      markers.refresh();
      if (event.position && event.isOnMap) {
        controller.current?.pulse(
          event.position.lng,
          event.position.lat,
          markerColour(event.state, event.isOverdue),
        );
      }
      const item = feedItem(event);
      setFeed((current) => mergeFeed(current, [item]));
      setFreshIds((current) => [item.id, ...current].slice(0, FRESH_LIMIT));
    },
    [markers.refresh, patrols.refresh, refreshes],
  );
  const { status: liveStatus } = useLive(areaId ? liveUrl(areaId) : null, LIVE_EVENT_TYPES, onLive);

  // ---- drill-down ----------------------------------------------------------------------------------

  const drill = useCallback(
    (feature: MapUnitFeature) => {
      setOpenCase(null);
      setPicked(null);
      setUrlUnit(feature.id);
    },
    [setUrlUnit],
  );
  useEffect(() => {
    // A new focus: fit the view to it (the controller fits only once per focus).
    controller.current?.fitFocus();
  }, [unit?.id]);

  const mapText = useMemo(
    () => ({
      cluster: (count: number, overdue: number) =>
        language === 'zh'
          ? `${count} 件事件${overdue ? `，其中 ${overdue} 件超期` : ''}，点击放大`
          : `${count} cases${overdue ? `, ${overdue} overdue` : ''}; click to zoom in`,
      openUnit: (name: string) => (language === 'zh' ? `进入${name}` : `Open ${name}`),
    }),
    [language],
  );

  const freshSet = useMemo(() => new Set(freshIds), [freshIds]);
  const areaName = unit?.name ?? (streets && streets.length === 0 ? t('尚无区域', 'No area yet') : '');
  const crumbs = unit
    ? [...unit.ancestors, { id: unit.id, kind: unit.kind, name: unit.name, code: unit.code }]
    : [];

  return (
    <div className="screen" data-live-status={liveStatus} data-mode={staff ? 'staff' : 'public'}>
      <header className="titlebar">
        <div className="titlebar-left">
          <Clock />
        </div>
        <h1 className="titlebar-title">
          <span className="titlebar-area" data-testid="area-name">
            {areaName}
          </span>
          <span className="titlebar-product">{t('民情地图', 'Live Governance Map')}</span>
        </h1>
        <div className="titlebar-right">
          <span className={`live-status live-${liveStatus}`} role="status">
            {liveStatus === 'open'
              ? t('实时更新中', 'Live')
              : liveStatus === 'reconnecting'
                ? t('正在重新连接…', 'Reconnecting…')
                : t('正在连接…', 'Connecting…')}
          </span>
          {streets && streets.length > 1 ? (
            <label className="area-picker">
              <span className="visually-hidden">{t('切换街道/乡镇', 'Choose a street or township')}</span>
              <select value={streetId ?? ''} onChange={(event) => setUrlUnit(event.target.value || null)}>
                {streets.map((street) => (
                  <option key={street.id} value={street.id}>
                    {street.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <button
            type="button"
            className="button-ghost"
            onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}
            lang={language === 'zh' ? 'en' : 'zh-CN'}
          >
            {language === 'zh' ? 'English' : '中文'}
          </button>
          {staff ? (
            <span className="staff-badge">
              {t('工作人员', 'Staff')} · {me?.displayName}
              <button type="button" className="button-ghost" onClick={() => void signOut()}>
                {t('退出', 'Sign out')}
              </button>
            </span>
          ) : (
            <button type="button" className="button-ghost" onClick={() => setLoginOpen(true)}>
              {t('工作人员登录', 'Staff sign-in')}
            </button>
          )}
        </div>
      </header>

      <div className="columns">
        <div className="column column-left">
          <Panel title={t('基础信息', 'The area')} aside={<OverdueRent unitId={unitId} />}>
            {summary ? <BaseFigureTiles figures={summary.base} /> : <SummaryNote error={summaryError} />}
          </Panel>
          <Panel title={t('事件统计', 'Cases')}>
            {summary ? (
              <PeriodCounterTable today={summary.today} month={summary.month} />
            ) : (
              <SummaryNote error={summaryError} />
            )}
          </Panel>
          <Panel title={t('绩效指标（近 30 天）', 'Performance (last 30 days)')}>
            {summary ? (
              <div className="gauges">
                <Chart
                  width={132}
                  height={150}
                  label={rateLabel(t('按期结案率', 'On-time closure'), summary.rates.onTimeClosureRate)}
                  option={gaugeOption(
                    summary.rates.onTimeClosureRate,
                    t('按期结案率', 'On-time closure'),
                    false,
                  )}
                />
                <Chart
                  width={132}
                  height={150}
                  label={rateLabel(t('返工率', 'Rework'), summary.rates.reworkRate)}
                  option={gaugeOption(summary.rates.reworkRate, t('返工率', 'Rework'), true)}
                />
                <Chart
                  width={132}
                  height={150}
                  label={rateLabel(t('满意率', 'Satisfaction'), summary.rates.satisfactionRate)}
                  option={gaugeOption(summary.rates.satisfactionRate, t('满意率', 'Satisfaction'), false)}
                />
              </div>
            ) : (
              <SummaryNote error={summaryError} />
            )}
          </Panel>
          <Panel title={t('事件来源（本月）', 'Sources (this month)')} className="panel-grow">
            {summary ? (
              summary.sources.some((row) => row.count > 0) ? (
                <Chart
                  width={398}
                  height={190}
                  label={summary.sources.map((row) => `${pick(row.name, language)} ${row.count}`).join('，')}
                  option={sourcesOption(
                    summary.sources.map((row) => ({ name: pick(row.name, language), value: row.count })),
                  )}
                />
              ) : (
                <PanelNote>{t('本月还没有上报。', 'No reports this month yet.')}</PanelNote>
              )
            ) : (
              <SummaryNote error={summaryError} />
            )}
          </Panel>
        </div>

        <main className="column column-centre">
          <div className="map-frame">
            <LiveMap
              className="map"
              theme="dark"
              label={t(`${areaName}民情地图`, `Live map of ${areaName}`)}
              text={mapText}
              baseMap={baseMap}
              units={units}
              focusId={unit?.id ?? null}
              gridLoad={gridLoad}
              markers={markers.data?.markers ?? []}
              patrols={patrols.data ?? []}
              onViewport={(viewport) => {
                markers.setViewport(viewport);
                patrols.setViewport(viewport);
              }}
              onUnitClick={drill}
              onCaseClick={(marker) => {
                if (staff && marker.caseId) setOpenCase(marker.caseId);
                else setPicked(marker);
              }}
              onTilesFailed={() => setTilesFailed(true)}
              controllerRef={controller}
            />
            <nav className="crumbs" aria-label={t('区域层级', 'Area levels')}>
              <ol>
                {crumbs.map((crumb, index) => (
                  <li key={crumb.id}>
                    {index < crumbs.length - 1 ? (
                      <button type="button" onClick={() => setUrlUnit(crumb.id)}>
                        {crumb.name}
                      </button>
                    ) : (
                      <span aria-current="page">{crumb.name}</span>
                    )}
                  </li>
                ))}
              </ol>
              {crumbs.length > 1 ? (
                <button
                  type="button"
                  className="crumbs-up"
                  onClick={() => setUrlUnit(crumbs[crumbs.length - 2]!.id)}
                >
                  {t('返回上级', 'Up one level')}
                </button>
              ) : null}
              <p className="crumbs-hint">
                {t(
                  '点击区域进入下一级，点击事件点查看事件',
                  'Click an area to go down a level, a marker to see the case',
                )}
              </p>
            </nav>
            {summary ? (
              <div className="deadlines" role="group" aria-label={t('时限预警', 'Deadline warnings')}>
                <button
                  type="button"
                  className="deadline deadline-red"
                  aria-pressed={overdueOnly}
                  title={t('只在地图上显示超期事件', 'Show only overdue cases on the map')}
                  onClick={() => setOverdueOnly((value) => !value)}
                >
                  <b>{summary.deadlines.overdue}</b> {t('超期', 'overdue')}
                </button>
                <span className="deadline deadline-amber">
                  <b>{summary.deadlines.nearDeadline}</b> {t('临期', 'due soon')}
                </span>
                <span className="deadline deadline-green">
                  <b>{summary.deadlines.onTime}</b> {t('正常', 'on time')}
                </span>
              </div>
            ) : null}
            {overdueOnly ? (
              <p className="map-filter-note" role="status">
                {t('地图只显示超期事件', 'The map shows overdue cases only')}
              </p>
            ) : null}
            {picked ? (
              <div className="marker-card" role="dialog" aria-labelledby="marker-card-title">
                <h2 id="marker-card-title">{picked.title}</h2>
                <p>
                  <span
                    className="feed-state"
                    style={{ background: markerColour(picked.state, picked.overdue) }}
                  >
                    {picked.overdue ? t('超期', 'Overdue') : pick(STATE_NAMES[picked.state], language)}
                  </span>{' '}
                  {t('编号', 'No.')} {picked.code}
                </p>
                <p className="marker-card-muted">
                  {t('上报于', 'Reported')}{' '}
                  {new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
                    timeZone: 'Asia/Shanghai',
                    month: '2-digit',
                    day: '2-digit',
                    hour: '2-digit',
                    minute: '2-digit',
                    hourCycle: 'h23',
                  }).format(new Date(picked.reportedAt))}
                  {picked.coarse ? t('；位置显示在网格中心', '; shown at the grid centre') : ''}
                </p>
                <p className="marker-card-muted">
                  {t('公众模式不显示上报人和详细描述。', 'The public view shows no reporter and no details.')}
                </p>
                <button type="button" className="button-ghost" onClick={() => setPicked(null)}>
                  {t('关闭', 'Close')}
                </button>
              </div>
            ) : null}
            <Legend />
            {markers.error ? (
              <p className="map-notice" role="alert">
                {markers.error instanceof ApiError
                  ? markers.error.text()
                  : t(
                      '事件数据暂时无法更新，显示的是最近一次的数据。',
                      'Cases could not be updated; showing the last data.',
                    )}
              </p>
            ) : tilesFailed ? (
              <p className="map-notice" role="status">
                {t(
                  '底图无法加载，已改用本地区划图。',
                  'Base map tiles failed; showing the area outlines instead.',
                )}
              </p>
            ) : null}
            {unitError ? (
              <p className="map-notice map-notice-centre" role="alert">
                {unitError}
              </p>
            ) : null}
            {streets && streets.length === 0 ? (
              <p className="map-notice map-notice-centre" role="status">
                {t(
                  '还没有任何街道或乡镇。请先导入区划与网格（minqing import-grids）。',
                  'There are no streets or townships yet. Import the areas and grids first (minqing import-grids).',
                )}
              </p>
            ) : null}
          </div>
        </main>

        <div className="column column-right">
          <Panel title={t('高发事件类型（本月）', 'Top categories (this month)')}>
            {summary ? (
              summary.topCategories.length > 0 ? (
                <Chart
                  width={398}
                  height={200}
                  label={summary.topCategories
                    .map((row) => `${pick(row.name, language)} ${row.count}`)
                    .join('，')}
                  option={rankingOption(
                    summary.topCategories.map((row) => ({
                      name: pick(row.name, language),
                      value: row.count,
                    })),
                    '#38bdf8',
                  )}
                />
              ) : (
                <PanelNote>{t('本月还没有事件。', 'No cases this month yet.')}</PanelNote>
              )
            ) : (
              <SummaryNote error={summaryError} />
            )}
          </Panel>
          <Panel title={t('待办最多的网格', 'Grids with most open cases')}>
            {summary ? (
              summary.busiestGrids.length > 0 ? (
                <Chart
                  width={398}
                  height={200}
                  label={summary.busiestGrids.map((row) => `${row.name} ${row.open}`).join('，')}
                  option={rankingOption(
                    summary.busiestGrids.map((row) => ({
                      name: row.name,
                      value: row.open,
                      highlight: row.overdue,
                    })),
                    '#a78bfa',
                  )}
                />
              ) : (
                <PanelNote>{t('各网格目前没有待办事件。', 'No grid has open cases now.')}</PanelNote>
              )
            ) : (
              <SummaryNote error={summaryError} />
            )}
          </Panel>
          <Panel title={t('实时动态', 'Latest events')} className="panel-grow panel-feed">
            {feed.length > 0 ? (
              <Feed items={feed} freshIds={freshSet} onOpen={staff ? setOpenCase : undefined} />
            ) : (
              <PanelNote>
                {summary || summaryError
                  ? t(
                      '暂无动态。新的上报和处置会实时出现在这里。',
                      'Nothing yet. New reports and updates appear here as they happen.',
                    )
                  : t('正在读取…', 'Loading…')}
              </PanelNote>
            )}
          </Panel>
        </div>
      </div>

      {openCase && staff ? <CaseDrawer caseId={openCase} onClose={() => setOpenCase(null)} /> : null}
      {loginOpen ? (
        <LoginDialog
          onClose={() => setLoginOpen(false)}
          onSignedIn={(value) => {
            setMe(value);
            setLoginOpen(false);
          }}
        />
      ) : null}
    </div>
  );
}

function rateLabel(name: string, value: number | null): string {
  return `${name}: ${value === null ? '—' : `${(value * 100).toFixed(1)}%`}`;
}

function SummaryNote({ error }: { error: string | null }) {
  const t = useT();
  return error ? (
    <PanelNote tone="error">{error}</PanelNote>
  ) : (
    <PanelNote>{t('正在读取…', 'Loading…')}</PanelNote>
  );
}
