import type { Db } from '../../db/database.ts';
import { findCandidateRules, findCategoryRouting, findOrganisationsOfKind } from './repository.ts';

/** The rule that chose an organisation, as the "test this location" tool shows it. */
export interface MatchedRule {
  id: string;
  /** '0102', '01' or '*' */
  category: string;
  unitId: string;
}

/**
 * The responsible organisation for a category at a place. `id` and `name` are the organisation's;
 * `matchedBy` says whether a routing rule chose it or the category's default organisation kind did.
 */
export interface ResponsibleOrg {
  id: string;
  name: string;
  kind: string;
  /** The unit the organisation is attached to. */
  unitId: string;
  matchedBy: 'rule' | 'default_org_kind';
  rule: MatchedRule | null;
}

export interface RouteQuery {
  /** A minor class code, e.g. '0102'. */
  categoryCode: string;
  /** The materialised path of the case's unit ('/street/community/grid/'): every id on it is an ancestor. */
  unitPath: string;
}

/** How specific a rule's category is for `code`: minor code 3, its major code 2, '*' 1. */
function specificity(ruleCategory: string): number {
  if (ruleCategory === '*') return 1;
  return ruleCategory.length === 4 ? 3 : 2;
}

/** The unit ids on a materialised path, root first. */
export function pathIds(unitPath: string): string[] {
  return unitPath.split('/').filter(Boolean);
}

/** The uncached resolution; see `resolveRoute`. */
export async function resolveRouteUncached(db: Db, query: RouteQuery): Promise<ResponsibleOrg | null> {
  const category = await findCategoryRouting(db, query.categoryCode);
  if (!category) return null;
  const ancestors = pathIds(query.unitPath);
  const depthOf = new Map(ancestors.map((id, index) => [id, index]));
  const candidates = await findCandidateRules(db, ancestors, [category.code, category.majorCode, '*']);
  candidates.sort(
    (a, b) =>
      specificity(b.category) - specificity(a.category) ||
      (depthOf.get(b.unitId) ?? -1) - (depthOf.get(a.unitId) ?? -1) ||
      a.ruleId.localeCompare(b.ruleId),
  );
  const best = candidates[0];
  if (best) {
    return {
      id: best.orgId,
      name: best.orgName,
      kind: best.orgKind,
      unitId: best.orgUnitId,
      matchedBy: 'rule',
      rule: { id: best.ruleId, category: best.category, unitId: best.unitId },
    };
  }
  if (!category.defaultOrgKind) return null;
  const orgs = await findOrganisationsOfKind(db, ancestors, category.defaultOrgKind);
  // The nearest ancestor wins; among several organisations of the kind there, the oldest (stable order).
  let nearest: (typeof orgs)[number] | undefined;
  for (const org of orgs) {
    if (!nearest || (depthOf.get(org.unitId) ?? -1) > (depthOf.get(nearest.unitId) ?? -1)) nearest = org;
  }
  if (!nearest) return null;
  return { ...nearest, matchedBy: 'default_org_kind', rule: null };
}

/**
 * The channel on which triggers on routing_rules, case_categories and organisations announce changes
 * (migration 0007); the payload names the table.
 */
export const ROUTING_CHANNEL = 'minqing_routing';

// A safety net only: edits invalidate at once in this process and through NOTIFY in the others.
const TTL_MS = 5 * 60_000;
// Grids × categories of a large street is a few thousand answers; a city-wide deployment stays bounded.
const MAX_ENTRIES = 20_000;

/**
 * Routing answers cached in the process. Intake asks for every report, and rules change a few
 * times a year. A generation counter keeps a lookup that raced with an edit from caching its
 * pre-edit answer.
 */
export class RouteCache {
  private readonly answers = new Map<string, { value: ResponsibleOrg | null; at: number }>();
  private readonly inFlight = new Map<string, Promise<ResponsibleOrg | null>>();
  private generation = 0;

  async resolve(db: Db, query: RouteQuery): Promise<ResponsibleOrg | null> {
    const key = `${query.categoryCode}\n${query.unitPath}`;
    const hit = this.answers.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
    // A lookup on a transaction stays on it (PGlite has one connection, which the transaction holds)
    // and is never shared with another caller, whose request must not depend on someone else's commit.
    if (db.isTransaction) return this.load(db, query, key);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.load(db, query, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private async load(db: Db, query: RouteQuery, key: string): Promise<ResponsibleOrg | null> {
    const generation = this.generation;
    const value = await resolveRouteUncached(db, query);
    if (generation === this.generation) {
      if (this.answers.size >= MAX_ENTRIES) this.answers.clear();
      this.answers.set(key, { value, at: Date.now() });
    }
    return value;
  }

  invalidate(): void {
    this.generation++;
    this.answers.clear();
    this.inFlight.clear();
  }
}

/**
 * The process's routing cache. One process serves one database (server, command line, test worker),
 * so one cache is right; every app on the database invalidates it on NOTIFY minqing_routing.
 */
export const routeCache = new RouteCache();

/**
 * The organisation responsible for `categoryCode` at `unitPath`. Among active rules at the unit or
 * its ancestors whose category matches, the most specific category wins (minor code, then major
 * code, then '*'), then the deepest unit; rules of a deactivated organisation are skipped. Without a
 * rule, an active organisation of the category's default kind attached to the nearest ancestor
 * answers; otherwise null (the case waits for an admin to dispatch it by hand). Cached in the process.
 * Works on a transaction too: rules are read outside the caller's locks, which they never take.
 */
export function resolveRoute(db: Db, query: RouteQuery): Promise<ResponsibleOrg | null> {
  return routeCache.resolve(db, query);
}
