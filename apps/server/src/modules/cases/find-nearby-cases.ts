import type { z } from 'zod';
import type { ZNearbyCases, ZNearbyCasesQuery } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { CategoryStore } from './category-store.ts';
import { canReadCase, isStaff } from './policy.ts';
import { casesInBox } from './repository.ts';
import { OPEN_STATES, STATE_NAMES } from './state-machine.ts';
import { accessOf } from './transition-case.ts';
import type { CaseRow } from './repository.ts';

const METRES_PER_DEGREE = 111_320;
const MAX_RESULTS = 20;

/**
 * Open cases of the same category near a point, so a reporter sees that the problem is already known
 * before reporting it again. Coarse for everyone — code, state, distance — with the description only
 * for staff who may open the case. Disputes and personal help (sensitive categories) are shown to
 * staff only: their mere location says too much about the people involved.
 */
export async function findNearbyCases(
  app: App,
  actor: Actor | null,
  query: z.infer<typeof ZNearbyCasesQuery>,
): Promise<z.infer<typeof ZNearbyCases>> {
  if (!actor && !app.config.publicReports) throw errors.unauthenticated();
  const category = await CategoryStore.of(app.db).get(query.category);
  if (!category) {
    throw errors.unprocessable('unknown_category', {
      zh: `没有这个事件分类：${query.category}`,
      en: `No such case category: ${query.category}`,
    });
  }
  if (category.isSensitive && !isStaff(actor)) return { items: [] };
  const dLat = query.radius / METRES_PER_DEGREE;
  const dLng = query.radius / (METRES_PER_DEGREE * Math.max(Math.cos((query.lat * Math.PI) / 180), 0.01));
  const rows = await casesInBox(
    app.db,
    {
      minLng: query.lng - dLng,
      maxLng: query.lng + dLng,
      minLat: query.lat - dLat,
      maxLat: query.lat + dLat,
    },
    query.category,
    OPEN_STATES,
  );
  return {
    items: rows
      .map((row) => ({ row, distance: distanceMetres(query, { lng: row.lng!, lat: row.lat! }) }))
      .filter(({ distance }) => distance <= query.radius)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, MAX_RESULTS)
      .map(({ row, distance }) => {
        const visible = isStaff(actor) && canReadCase(actor, accessOf(row as CaseRow));
        return {
          code: row.code,
          category: row.category_code,
          state: row.state as (typeof OPEN_STATES)[number],
          stateName: STATE_NAMES[row.state as (typeof OPEN_STATES)[number]],
          distanceM: Math.round(distance),
          reportedAt: row.reported_at.toISOString(),
          id: visible ? row.id : null,
          description: visible ? row.description : null,
        };
      }),
  };
}

/** Great-circle distance (haversine) in metres; exact enough at the scale of a neighbourhood. */
export function distanceMetres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(h)));
}
