import type { PatrolFigures } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import { localDayString } from '../calendar/working-time.ts';
import { gridsUnder, listPlans, patrolsStartedBetween, unitNames } from './repository.ts';
import {
  addDays,
  countWindows,
  dayStartMs,
  settleWindows,
  windowsOf,
  type ShiftOutcome,
} from './schedule.ts';

type Group = 'none' | 'street' | 'community' | 'grid';

export interface PeriodQuery {
  from?: string | undefined;
  to?: string | undefined;
}

/** The period of a query in China days, inclusive (default: the last 30 days), checked. */
export function periodOf(query: PeriodQuery, now: Date, defaultDays: number): { from: string; to: string } {
  const to = query.to ?? localDayString(now.getTime());
  const from = query.from ?? addDays(to, -(defaultDays - 1));
  if (to < from) {
    throw errors.badRequest(
      { zh: '统计周期的结束日期不能早于开始日期', en: 'The period ends before it starts' },
      { from, to },
    );
  }
  if (dayStartMs(to) - dayStartMs(from) > 366 * 86_400_000) {
    throw errors.badRequest({ zh: '统计周期最长一年', en: 'A period is at most one year long' });
  }
  return { from, to };
}

/**
 * 巡查率 of a unit over a period: planned windows that closed (due), those a patrol fulfilled (done),
 * the rest (missed) — by street, community or grid. Public like the other figures: counts only.
 */
export async function computePatrolFigures(
  app: App,
  query: PeriodQuery & { unitId?: string | undefined; groupBy: Group },
  now = new Date(),
): Promise<PatrolFigures> {
  const period = periodOf(query, now, 30);
  let unitPath = '/';
  if (query.unitId) {
    const unit = await app.areas.getUnit(query.unitId);
    if (!unit) throw errors.notFound({ zh: '区域', en: 'Unit' });
    unitPath = unit.path;
  }
  const [plans, grids, calendar] = await Promise.all([
    listPlans(app.db, { paths: [unitPath], fromDay: period.from, toDay: period.to }),
    gridsUnder(app.db, [unitPath]),
    app.calendar.get(),
  ]);
  const from = new Date(dayStartMs(period.from));
  const to = new Date(dayStartMs(addDays(period.to, 1)));
  const patrols = await patrolsStartedBetween(app.db, unitPath === '/' ? null : unitPath, from, to);
  const outcomes = settleWindows(
    windowsOf(plans, period.from, period.to, (day) => calendar.isWorkingDay(day)),
    patrols,
    now,
  );

  const gridInfo = new Map(grids.map((g) => [g.id, g]));
  const keyOf = (gridId: string): string | null => {
    const grid = gridInfo.get(gridId);
    switch (query.groupBy) {
      case 'grid':
        return gridId;
      case 'community':
        return grid?.parent_id ?? null;
      case 'street':
        return grid?.street_id ?? null;
      case 'none':
        return null;
    }
  };
  const groups = new Map<string | null, { outcomes: ShiftOutcome[]; patrols: typeof patrols }>();
  const groupOf = (key: string | null) => {
    let group = groups.get(key);
    if (!group) {
      group = { outcomes: [], patrols: [] };
      groups.set(key, group);
    }
    return group;
  };
  for (const outcome of outcomes) groupOf(keyOf(outcome.gridId)).outcomes.push(outcome);
  for (const patrol of patrols) groupOf(keyOf(patrol.grid_id)).patrols.push(patrol);

  const names = await unitNames(
    app.db,
    [...groups.keys()].filter((k): k is string => k !== null),
  );
  const row = (
    key: string | null,
    name: { zh: string; en: string },
    group: { outcomes: ShiftOutcome[]; patrols: typeof patrols },
  ) => {
    const counts = countWindows(group.outcomes);
    return {
      key,
      name,
      counts: {
        ...counts,
        patrols: group.patrols.length,
        distanceM: Math.round(group.patrols.reduce((sum, p) => sum + p.distance_m, 0)),
        findings: group.patrols.reduce((sum, p) => sum + p.finding_count, 0),
      },
      patrolRate: counts.due === 0 ? null : counts.done / counts.due,
    };
  };
  const rows =
    query.groupBy === 'none'
      ? []
      : [...groups.entries()]
          .map(([key, group]) =>
            row(
              key,
              key === null
                ? { zh: '未归属', en: 'Unassigned' }
                : { zh: names.get(key) ?? key, en: names.get(key) ?? key },
              group,
            ),
          )
          .sort((a, b) => (a.patrolRate ?? 2) - (b.patrolRate ?? 2));
  return {
    unitId: query.unitId ?? null,
    period,
    groupBy: query.groupBy,
    total: row(null, { zh: '合计', en: 'Total' }, { outcomes, patrols }),
    rows,
    generatedAt: now.toISOString(),
  };
}
