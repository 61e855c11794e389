import type { z } from 'zod';
import type { ZMissedPatrols } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { periodOf } from './compute-patrol-figures.ts';
import { mayReadMissed, supervisedPaths } from './policy.ts';
import { gridsUnder, gridWorkersOf, listPlans, patrolsStartedBetween } from './repository.ts';
import { addDays, dayStartMs, settleWindows, windowsOf } from './schedule.ts';

/**
 * The planned windows that closed without a patrol, for the community (or street) admin who
 * supervises the grids, with the grid workers who were to walk them. Latest first.
 */
export async function listMissedPatrols(
  app: App,
  actor: Actor,
  query: { unitId?: string | undefined; from?: string | undefined; to?: string | undefined },
  now = new Date(),
): Promise<z.infer<typeof ZMissedPatrols>> {
  const period = periodOf(query, now, 7);
  let paths = supervisedPaths(actor);
  if (query.unitId) {
    const unit = await app.areas.getUnit(query.unitId);
    if (!unit) throw errors.notFound({ zh: '区域', en: 'Unit' });
    if (!mayReadMissed(actor, unit.path)) throw errors.forbidden();
    paths = [unit.path];
  }
  if (paths.length === 0) throw errors.forbidden();
  const [plans, grids, calendar] = await Promise.all([
    listPlans(app.db, { paths, fromDay: period.from, toDay: period.to }),
    gridsUnder(app.db, paths),
    app.calendar.get(),
  ]);
  const from = new Date(dayStartMs(period.from));
  const to = new Date(dayStartMs(addDays(period.to, 1)));
  const patrols = (
    await Promise.all(paths.map((path) => patrolsStartedBetween(app.db, path, from, to)))
  ).flat();
  const missed = settleWindows(
    windowsOf(plans, period.from, period.to, (day) => calendar.isWorkingDay(day)),
    patrols,
    now,
  ).filter((o) => o.status === 'missed');
  const gridNames = new Map(grids.map((g) => [g.id, g.name]));
  const workers = await gridWorkersOf(app.db, [...new Set(missed.map((o) => o.gridId))]);
  return {
    period,
    items: missed
      .sort((a, b) => b.start.getTime() - a.start.getTime())
      .map((o) => ({
        planId: o.planId,
        grid: { id: o.gridId, name: gridNames.get(o.gridId) ?? '' },
        day: o.day,
        start: o.start.toISOString(),
        end: o.end.toISOString(),
        workers: workers.get(o.gridId) ?? [],
      })),
  };
}
