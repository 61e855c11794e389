/**
 * Who receives which form of a live event (DESIGN.md, "Live"; docs/decisions/0660). The stream never
 * decides on its own: a case event's staff form goes to whoever may open the case (the cases policy),
 * a patrol's to whoever may open the patrol, and everyone else gets the public form.
 */
import type { Actor } from '../../policy/index.ts';
import { canReadUnit, type UnitRef } from '../areas/policy.ts';
import { canReadCase, type CaseAccess } from '../cases/policy.ts';
import { canReadPatrol, type PatrolAccess } from '../patrols/policy.ts';

/** The staff form of a case event: the same people who may open the case (docs/decisions/0401). */
export function seesCaseInFull(actor: Actor | null, access: CaseAccess): boolean {
  return actor !== null && canReadCase(actor, access);
}

/**
 * The staff form of a patrol event (the patrol's id and its worker): whoever may open the patrol — the
 * worker and the supervisors of the grid (the patrols policy). Everyone else learns only that the grid
 * is being patrolled.
 */
export function seesPatrolInFull(actor: Actor | null, patrol: PatrolAccess): boolean {
  return actor !== null && canReadPatrol(actor, patrol);
}

/** A stream may follow any unit the viewer may see: streets, communities and grids are public. */
export function mayFollow(actor: Actor | null, unit: UnitRef): boolean {
  return canReadUnit(actor, unit);
}

/**
 * Internal notes (备注) are for staff: the public form of the stream leaves them out, as the case
 * timeline does for residents. A patrol's reads of its track are bookkeeping, not news.
 */
export function isPublicAction(recordType: string, action: string): boolean {
  if (recordType === 'case') return action !== 'note';
  if (recordType === 'patrol') return action !== 'read';
  // A disclosure becomes public when it is sealed; drafts and reviews are the committee's business.
  if (recordType === 'finance_disclosure') return action === 'seal';
  return false;
}

/** Which entries the stream shows at all, whatever the form. */
export function isStreamedAction(recordType: string, action: string): boolean {
  if (recordType === 'finance_disclosure') return action === 'seal';
  return !(recordType === 'patrol' && action === 'read');
}
