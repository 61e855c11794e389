import type { Schedule } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { localDayString } from '../calendar/working-time.ts';
import { canReadPlans, planReaderPaths } from './policy.ts';
import { gridsUnder, listPlans, patrolsStartedBetween } from './repository.ts';
import { dayStartMs, settleWindows, windowsOf } from './schedule.ts';

const DAY_MS = 86_400_000;

/**
 * A day's patrol windows of the grids the caller patrols (or, for a supervisor, of a unit), each with
 * its status — done, under way, open, upcoming, missed — and the caller's own patrol under way.
 */
export async function getSchedule(
  app: App,
  actor: Actor,
  query: { date?: string | undefined; unitId?: string | undefined },
  now = new Date(),
): Promise<Schedule> {
  const date = query.date ?? localDayString(now.getTime());
  let paths: string[];
  if (query.unitId) {
    const unit = await app.areas.getUnit(query.unitId);
    if (!unit) throw errors.notFound({ zh: '区域', en: 'Unit' });
    if (!canReadPlans(actor, unit.path)) throw errors.forbidden();
    paths = [unit.path];
  } else {
    const own = actor.roles.filter((g) => g.role === 'grid_worker').map((g) => g.unitPath);
    paths = own.length > 0 ? own : planReaderPaths(actor);
  }
  const grids = await gridsUnder(app.db, paths);
  if (grids.length === 0) return { date, grids: [] };
  const [plans, calendar] = await Promise.all([
    listPlans(app.db, { paths, fromDay: date, toDay: date }),
    app.calendar.get(),
  ]);
  const from = new Date(dayStartMs(date));
  const patrols = (
    await Promise.all(
      paths.map((path) => patrolsStartedBetween(app.db, path, from, new Date(from.getTime() + DAY_MS))),
    )
  ).flat();
  const outcomes = settleWindows(
    windowsOf(plans, date, date, (day) => calendar.isWorkingDay(day)),
    patrols,
    now,
  );
  const mineActive = patrols.filter((p) => p.worker_id === actor.userId && p.state === 'active');
  return {
    date,
    grids: grids.map((grid) => ({
      grid: { id: grid.id, name: grid.name },
      shifts: outcomes
        .filter((o) => o.gridId === grid.id)
        .map((o) => ({
          planId: o.planId,
          day: o.day,
          start: o.start.toISOString(),
          end: o.end.toISOString(),
          status: o.status,
          patrolId: o.patrolId,
        })),
      activePatrolId: mineActive.find((p) => p.grid_id === grid.id)?.id ?? null,
    })),
  };
}
