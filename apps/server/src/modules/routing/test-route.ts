import type { RouteTestResult } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { authorizeRouteTest, mayReadRulesAt } from './policy.ts';
import { presentRule } from './present.ts';
import { findCategoryRouting, findRule } from './repository.ts';
import { resolveRoute } from './resolve-route.ts';

/**
 * The "test this location and category" tool: where a point lies (grid, community, street), which
 * organisation a report of the category there would go to, and the rule that decided it — so an
 * admin can check a rule set before residents meet it. Admins see answers inside their own units.
 */
export async function testRoute(
  app: App,
  actor: Actor | null,
  query: { lng: number; lat: number; category: string },
): Promise<RouteTestResult> {
  const admin = authorizeRouteTest(actor);
  const category = await findCategoryRouting(app.db, query.category);
  if (!category) {
    throw errors.unprocessable(
      'unknown_category',
      {
        zh: `分类 ${query.category} 不在分类目录中`,
        en: `Category ${query.category} is not in the category dictionary`,
      },
      { category: query.category },
    );
  }
  const categoryRef = { code: category.code, name: { zh: category.nameZh, en: category.nameEn } };
  const place = await app.areas.resolvePoint({ lng: query.lng, lat: query.lat });
  if (!place) return { location: null, category: categoryRef, org: null, matchedBy: null, rule: null };
  if (!mayReadRulesAt(admin, place.unitPath)) throw errors.forbidden({ reason: 'outside_your_units' });
  const route = await resolveRoute(app.db, { categoryCode: category.code, unitPath: place.unitPath });
  const rule = route?.rule ? await findRule(app.db, route.rule.id) : undefined;
  return {
    location: {
      level: place.level,
      street: { id: place.streetId, name: place.streetName },
      community: place.communityId ? { id: place.communityId, name: place.communityName ?? '' } : null,
      grid: place.gridId
        ? { id: place.gridId, code: place.gridCode ?? '', name: place.gridName ?? '' }
        : null,
      unitPath: place.unitPath,
    },
    category: categoryRef,
    org: route ? { id: route.id, name: route.name, kind: route.kind, unitId: route.unitId } : null,
    matchedBy: route?.matchedBy ?? null,
    rule: rule ? presentRule(rule, admin) : null,
  };
}
