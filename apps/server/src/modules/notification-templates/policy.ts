import { errors } from '../../errors.ts';
import { hasRoleCovering, type Actor, type Role } from '../../policy/index.ts';

/**
 * Who edits the notification templates of a unit: the administrators of a street (its communities
 * too) or of a community, and the system administrator. The auditor reads them. Templates are set
 * at streets and communities only: a grid's cases speak with their community's voice.
 */
export const EDIT_ROLES: readonly Role[] = ['community_admin', 'street_admin', 'system_admin'];
const READ_ROLES: readonly Role[] = [...EDIT_ROLES, 'auditor'];
export const TEMPLATE_UNIT_KINDS = ['street', 'community'];

export function mayReadTemplates(actor: Actor | null, unitPath: string): boolean {
  return hasRoleCovering(actor, READ_ROLES, unitPath);
}

export function mayEditTemplates(actor: Actor | null, unitPath: string): boolean {
  return hasRoleCovering(actor, EDIT_ROLES, unitPath);
}

/** 401 for the public; 404 for a unit outside the caller's area (its existence is not theirs to learn). */
export function authorizeTemplates(
  actor: Actor | null,
  unit: { path: string; kind: string } | undefined,
  need: 'read' | 'edit',
): asserts unit {
  if (!actor) throw errors.unauthenticated();
  if (!unit || !mayReadTemplates(actor, unit.path)) throw errors.notFound({ zh: '单位', en: 'Unit' });
  if (!TEMPLATE_UNIT_KINDS.includes(unit.kind)) {
    throw errors.unprocessable('template_unit_kind', {
      zh: '通知模板只能在街道（乡镇）或社区（村）设置',
      en: 'Notification templates are set at a street or a community',
    });
  }
  if (need === 'edit' && !mayEditTemplates(actor, unit.path))
    throw errors.forbidden({ requiredRoles: EDIT_ROLES });
}

export function templateActions(actor: Actor | null, unitPath: string, hasOwn: boolean): string[] {
  if (!mayEditTemplates(actor, unitPath)) return [];
  return hasOwn ? ['update', 'reset'] : ['update'];
}
