import { errors } from '../../errors.ts';
import { hasRole, type Actor, type Role } from '../../policy/index.ts';

/**
 * Who may change the working calendar. It is one calendar for the whole instance (the national
 * schedule), so only the top administrators edit it: street admins and system admins. Everyone may
 * read it: it explains every deadline.
 */
export const CALENDAR_ADMIN_ROLES: readonly Role[] = ['street_admin', 'system_admin'];

export function mayAdministerCalendar(actor: Actor | null): boolean {
  return hasRole(actor, CALENDAR_ADMIN_ROLES);
}

/** 401 for the public, 403 for someone signed in without the right. */
export function authorizeCalendarAdmin(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthenticated();
  if (!mayAdministerCalendar(actor)) throw errors.forbidden({ requiredRoles: CALENDAR_ADMIN_ROLES });
  return actor;
}

export function yearActions(actor: Actor | null): string[] {
  return mayAdministerCalendar(actor) ? ['import', 'set_day'] : [];
}

export function dayActions(actor: Actor | null): string[] {
  return mayAdministerCalendar(actor) ? ['update', 'reset'] : [];
}
