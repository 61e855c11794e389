import { CASE_SOURCE_NAMES, CASE_SOURCES, type LiveCaseEvent, type ScreenSummary } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { CHINA_OFFSET_MS, localDayStart } from '../calendar/working-time.ts';
import { CategoryStore } from '../cases/category-store.ts';
import { resolvePeriod } from '../figures/compute-figures.ts';
import { computeRates } from '../figures/formulas.ts';
import { sealingDelay } from '../journal/sealer.ts';
import { isPublicAction } from '../live/policy.ts';
import { presentCaseEvent } from '../live/present-event.ts';
import { readLatestCaseEntries } from '../live/repository.ts';
import { nearDeadlineLimit } from './deadlines.ts';
import { lowerBound } from './map-index.ts';
import { mapFormOf, mayViewArea } from './policy.ts';
import { baseFigures, unitNames, type BaseFigures } from './repository.ts';
import { chinaDay } from './screen-counters.ts';

const FEED_LENGTH = 20;
const TOP = 8;
/** Base figures change with the register, not with cases: read them at most once a minute per unit. */
const BASE_TTL_MS = 60_000;

const baseCache = new WeakMap<App, Map<string, { at: number; value: Promise<BaseFigures> }>>();

function cachedBaseFigures(app: App, path: string): Promise<BaseFigures> {
  let cache = baseCache.get(app);
  if (!cache) {
    cache = new Map();
    baseCache.set(app, cache);
  }
  const hit = cache.get(path);
  if (hit && Date.now() - hit.at < BASE_TTL_MS) return hit.value;
  const value = baseFigures(app.db, path);
  cache.set(path, { at: Date.now(), value });
  value.catch(() => cache.delete(path));
  return value;
}

/** Midnight China time of the first day of the month containing `ms`. */
function monthStart(ms: number): Date {
  const local = new Date(ms + CHINA_OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - CHINA_OFFSET_MS);
}

/**
 * The big screen's figures for an area (contract: map.ts, ScreenSummary): base figures, today's and
 * this month's counters, the three gauges over the last 30 days (docs/kpis.md), sources and categories
 * of this month, the busiest grids, red/amber/green deadline warnings and the latest events. Open cases
 * and warnings come from the map index (current with every event); period counts are indexed queries.
 * Everything is a count except the feed, which each viewer gets in the form they may see.
 */
export async function getScreenSummary(
  app: App,
  actor: Actor | null,
  unitId: string,
  now = new Date(),
): Promise<ScreenSummary> {
  const unit = await app.areas.getUnit(unitId);
  if (!unit || !mayViewArea(actor, unit)) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
  const path = unit.path;
  const today = new Date(localDayStart(now.getTime()));
  const month = monthStart(now.getTime());
  const streetId = unit.kind === 'street' ? unit.id : unit.streetId;

  const [base, nearLimit, dictionary, sealing, entries] = await Promise.all([
    cachedBaseFigures(app, path),
    nearDeadlineLimit(app, now),
    CategoryStore.of(app.db).all(),
    streetId
      ? sealingDelay(app.db, { streetId, since: new Date(now.getTime() - 86_400_000) })
      : Promise.resolve(null),
    streetId
      ? readLatestCaseEntries(app.db, { streetId, unitPath: path, limit: FEED_LENGTH * 2 })
      : Promise.resolve([]),
    app.map.index.ready(),
    app.map.counters.ready(),
  ]);
  // Today, this month and the 30-day gauges from the maintained counters (docs/decisions/0120).
  const counted = app.map.counters.figuresUnder(path, chinaDay(now.getTime()), chinaDay(month.getTime()));
  const rates = computeRates(counted.cohort);
  const ratesPeriod = resolvePeriod({}, now);

  // Open cases, warnings and the grids' load, from the map index.
  const deadlines = { overdue: 0, nearDeadline: 0, onTime: 0 };
  const overdueSince = { today: 0, month: 0 };
  const grids = new Map<string, { open: number; overdue: number }>();
  const nowMs = now.getTime();
  for (const load of app.map.index.loadsUnder(path)) {
    const overdue = lowerBound(load.dues, nowMs);
    const near = lowerBound(load.dues, nearLimit.getTime(), true) - overdue;
    deadlines.overdue += overdue;
    deadlines.nearDeadline += near;
    deadlines.onTime += load.open - overdue - near;
    overdueSince.month += overdue - lowerBound(load.dues, month.getTime());
    overdueSince.today += overdue - lowerBound(load.dues, today.getTime());
    if (load.gridId) {
      const counts = grids.get(load.gridId) ?? { open: 0, overdue: 0 };
      counts.open += load.open;
      counts.overdue += overdue;
      grids.set(load.gridId, counts);
    }
  }
  const busiest = [...grids]
    .sort(([a, x], [b, y]) => y.open - x.open || y.overdue - x.overdue || a.localeCompare(b))
    .slice(0, TOP);
  const gridNames = await unitNames(
    app.db,
    busiest.map(([id]) => id),
  );

  const feed: LiveCaseEvent[] = [];
  for (const entry of entries) {
    if (!entry.case || feed.length >= FEED_LENGTH) continue;
    const form = mapFormOf(actor, entry.case);
    if (form === 'public' && !isPublicAction('case', entry.action)) continue;
    feed.push(presentCaseEvent({ ...entry, case: entry.case }, form, { categories: dictionary, now }));
  }

  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind, code: unit.code },
    base,
    today: {
      received: counted.receivedToday,
      closed: counted.closedToday,
      overdue: overdueSince.today,
    },
    month: {
      received: counted.receivedMonth,
      closed: counted.closedMonth,
      overdue: overdueSince.month,
    },
    rates: {
      onTimeClosureRate: rates.onTimeClosureRate,
      reworkRate: rates.reworkRate,
      satisfactionRate: rates.satisfactionRate,
    },
    ratesPeriod: { from: ratesPeriod.fromDay, to: ratesPeriod.toDay },
    sources: CASE_SOURCES.map((key) => ({
      key,
      name: CASE_SOURCE_NAMES[key],
      count: counted.sources.get(key) ?? 0,
    })),
    topCategories: counted.categories.slice(0, TOP).map(({ code, count }) => ({
      code,
      name: dictionary.get(code)?.name ?? { zh: code, en: code },
      count,
    })),
    busiestGrids: busiest.map(([id, counts]) => ({ id, name: gridNames.get(id) ?? '', ...counts })),
    deadlines,
    open: deadlines.overdue + deadlines.nearDeadline + deadlines.onTime,
    sealingDelay: {
      p50Ms: sealing?.p50 ?? null,
      p95Ms: sealing?.p95 ?? null,
      unsealedCount: sealing?.unsealedCount ?? 0,
      oldestUnsealedAgeMs: sealing?.oldestUnsealedAgeMs ?? 0,
    },
    feed,
    generatedAt: now.toISOString(),
  };
}
