import { ROLE_NAMES, type Me, type Notification, type RoleAssignment, type User } from '@minqing/contract';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import type { Account } from './account.ts';
import { accountActions, capabilitiesOf, roleAssignmentActions } from './policy.ts';
import type { RoleAssignmentRow, UnitSummaryRow } from './repository.ts';

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

function unitRef(unit: UnitSummaryRow) {
  return { id: unit.id, name: unit.name, kind: unit.kind, code: unit.code };
}

function heldRole(assignment: RoleAssignmentRow) {
  return {
    id: assignment.id,
    role: assignment.role,
    roleName: ROLE_NAMES[assignment.role],
    unit: unitRef(assignment.unit),
    org: assignment.org,
  };
}

export function isLocked(account: Account, now = Date.now()): boolean {
  return account.row.locked_until !== null && account.row.locked_until.getTime() > now;
}

/** An account as an administrator sees it: phone masked, with what the viewer may do to it now. */
export function presentUser(account: Account, viewer: Actor | null): User {
  const { row } = account;
  return {
    id: row.id,
    kind: row.kind as User['kind'],
    username: row.username,
    displayName: row.display_name,
    phone: row.phone_masked,
    homeUnit: account.homeUnit ? unitRef(account.homeUnit) : null,
    isActive: row.is_active,
    deactivatedAt: iso(row.deactivated_at),
    mergedIntoId: row.merged_into_id,
    lockedUntil: isLocked(account) ? iso(row.locked_until) : null,
    totpEnabled: row.totp_enabled_at !== null,
    mustChangePassword: row.password_must_change,
    lastLoginAt: iso(row.last_login_at),
    createdAt: row.created_at.toISOString(),
    roles: account.assignments.map((assignment): RoleAssignment => ({
      ...heldRole(assignment),
      grantedAt: assignment.grantedAt.toISOString(),
      grantedBy: assignment.grantedBy,
      allowedActions: roleAssignmentActions(viewer, account.placement, {
        role: assignment.role,
        unitPath: assignment.unit.path,
      }),
    })),
    allowedActions: accountActions(viewer, account.placement, {
      kind: row.kind as User['kind'],
      isActive: row.is_active,
      isLocked: isLocked(account),
      totpEnabled: row.totp_enabled_at !== null,
      hasPhone: row.phone_enc !== null,
    }),
  };
}

/** The signed-in person's own view: roles, capabilities, and what they may change about themselves. */
export function presentMe(account: Account, actor: Actor): Me {
  const { row } = account;
  const kind = row.kind as Me['kind'];
  const needsCommunity = kind === 'resident' && !account.assignments.some((a) => a.role === 'resident');
  const totpEnabled = row.totp_enabled_at !== null;
  const allowedActions = ['update-profile', 'sign-out'];
  if (kind === 'staff') {
    allowedActions.push('change-password', totpEnabled ? 'disable-totp' : 'setup-totp');
  } else {
    allowedActions.push('choose-community');
  }
  return {
    id: row.id,
    kind,
    username: row.username,
    displayName: row.display_name,
    phone: row.phone_masked,
    homeUnit: account.homeUnit ? unitRef(account.homeUnit) : null,
    roles: account.assignments.map(heldRole),
    capabilities: capabilitiesOf(actor),
    needsCommunity,
    mustChangePassword: row.password_must_change,
    totpEnabled,
    passwordChangedAt: iso(row.password_changed_at),
    lastLoginAt: iso(row.last_login_at),
    allowedActions,
  };
}

export interface NotificationRow {
  id: string;
  kind: string;
  record_type: string | null;
  record_id: string | null;
  title_zh: string;
  title_en: string;
  created_at: Date;
  read_at: Date | null;
}

export function presentNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    recordType: row.record_type,
    recordId: row.record_id,
    title: { zh: row.title_zh, en: row.title_en },
    createdAt: row.created_at.toISOString(),
    readAt: iso(row.read_at),
    allowedActions: row.read_at ? [] : ['mark-read'],
  };
}

/** Opaque page cursors: the last item's id, base64url so clients do not build them. */
export function encodeCursor(id: string | number): string {
  return Buffer.from(String(id), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A cursor that must hold a record id; anything else is the caller's mistake (400), not a query. */
export function decodeIdCursor(cursor: string | undefined): string | undefined {
  const id = decodeCursor(cursor);
  if (id !== undefined && !UUID.test(id)) {
    throw errors.badRequest({ zh: '分页参数无效', en: 'The cursor is not valid' });
  }
  return id;
}
