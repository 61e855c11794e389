import { errors } from '../../errors.ts';
import { hasRole, type Actor, type Role } from '../../policy/index.ts';

/**
 * Who may change the category dictionary. It is one dictionary for the whole instance (time limits
 * and figures must be comparable across communities), so street and system administrators edit it.
 * Everyone reads it: residents choose a category when they report.
 */
export const CATEGORY_ADMIN_ROLES: readonly Role[] = ['street_admin', 'system_admin'];

export function mayAdministerCategories(actor: Actor | null): boolean {
  return hasRole(actor, CATEGORY_ADMIN_ROLES);
}

/** 401 for the public, 403 for someone signed in without the right. */
export function authorizeCategoryAdmin(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthenticated();
  if (!mayAdministerCategories(actor)) throw errors.forbidden({ requiredRoles: CATEGORY_ADMIN_ROLES });
  return actor;
}

export function categoryActions(actor: Actor | null, category: { is_active: boolean }): string[] {
  if (!mayAdministerCategories(actor)) return [];
  return category.is_active ? ['update', 'deactivate'] : ['activate'];
}

export function dictionaryActions(actor: Actor | null): string[] {
  return mayAdministerCategories(actor) ? ['create'] : [];
}
