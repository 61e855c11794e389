/**
 * Who sees what on the 民情地图 (DESIGN.md, "Live"; docs/decisions/0661). The map asks the same
 * questions as the live stream: a case is drawn in full (its id, its exact place) for whoever may open
 * it — the cases policy decides — and in the public form for everyone else. Streets, communities and
 * grids are public, so their map, load and figures are too; compounds, buildings and households only
 * for staff whose roles cover them.
 */
import type { Actor } from '../../policy/index.ts';
import type { UnitRef } from '../areas/policy.ts';
import type { CaseAccess } from '../cases/policy.ts';
import { mayFollow, seesCaseInFull } from '../live/policy.ts';

export type MapForm = 'staff' | 'public';

/** The form in which `actor` sees a case on the map. */
export function mapFormOf(actor: Actor | null, access: CaseAccess): MapForm {
  return seesCaseInFull(actor, access) ? 'staff' : 'public';
}

/** May `actor` look at the map, the grid load and the figures of `unit`? */
export function mayViewArea(actor: Actor | null, unit: UnitRef): boolean {
  return mayFollow(actor, unit);
}
