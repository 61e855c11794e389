import type { PatrolPlan } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { localDayString } from '../calendar/working-time.ts';
import { canReadPlans, planReaderPaths } from './policy.ts';
import { presentPlan } from './present.ts';
import { listPlans } from './repository.ts';

/** The patrol plans under a unit (default: every unit the caller covers), current ones by default. */
export async function listPatrolPlans(
  app: App,
  actor: Actor,
  query: { unitId?: string | undefined; current: boolean },
  now = new Date(),
): Promise<{ items: PatrolPlan[] }> {
  const today = localDayString(now.getTime());
  let paths = planReaderPaths(actor);
  if (query.unitId) {
    const unit = await app.areas.getUnit(query.unitId);
    if (!unit) throw errors.notFound({ zh: '区域', en: 'Unit' });
    if (!canReadPlans(actor, unit.path)) throw errors.forbidden();
    paths = [unit.path];
  }
  const rows = await listPlans(app.db, { paths, fromDay: query.current ? today : undefined });
  return { items: rows.map((row) => presentPlan(row, actor, today)) };
}
