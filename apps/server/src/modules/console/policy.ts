/**
 * Who may use the console's own endpoints. Everything that acts on a record asks that record's
 * capability (a bulk action runs each case through the case policy); these rules cover only what the
 * console adds: a person's saved filters, and reading and verifying a street's journal as a whole.
 */
import { errors } from '../../errors.ts';
import { hasRole, hasRoleCovering, STAFF_ROLES, type Actor, type Role } from '../../policy/index.ts';

/**
 * Reading a street's whole journal (every record's entries, hashes and links) and running its
 * verification: the street's administrators and the auditor (审计管理员), whose task is exactly this
 * check; the system administrator keeps the instance running. Community admins read their records'
 * journals one at a time through each record (GET /api/journal/records/…).
 */
const JOURNAL_AUDIT_ROLES: readonly Role[] = ['street_admin', 'auditor', 'system_admin'];

export function mayAuditJournal(actor: Actor | null, streetPath: string): boolean {
  return hasRoleCovering(actor, JOURNAL_AUDIT_ROLES, streetPath);
}

/** The console is for staff: residents and the public have the phone site. */
export function requireStaff(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthenticated();
  if (!hasRole(actor, STAFF_ROLES)) throw errors.forbidden();
  return actor;
}

/** A saved filter is its owner's alone. */
export function maySeeSavedFilter(actor: Actor, filter: { user_id: string }): boolean {
  return filter.user_id === actor.userId;
}

export function savedFilterActions(actor: Actor, filter: { user_id: string }): string[] {
  return maySeeSavedFilter(actor, filter) ? ['delete'] : [];
}
