import { z } from 'zod';
import { ZAllowedActions, ZId, ZInstant, ZLocalizedText, ZPage, type LocalizedText } from './common.ts';

/**
 * People, sign-in and permissions: staff sign in with a password (and a TOTP code once enabled),
 * residents with their mobile number and a one-time SMS code; every permission is a role held at a
 * unit. The rules themselves live in the server (modules/people/policy.ts); these are the shapes.
 */

export const USER_ROLES = [
  'resident',
  'grid_worker',
  'handler',
  'community_admin',
  'street_admin',
  'bookkeeper',
  'finance_reviewer',
  'auditor',
  'security_officer',
  'system_admin',
] as const;
export const ZRole = z
  .enum(USER_ROLES)
  .describe(
    'Role held at a unit, covering its subtree: 居民, 网格员, 处置人员, 社区/村管理员, 街道/乡镇管理员, 报账员, 民主理财小组成员, 审计管理员, 安全管理员, 系统管理员',
  );
export type UserRole = z.infer<typeof ZRole>;

export const ROLE_NAMES: Record<UserRole, LocalizedText> = {
  resident: { zh: '居民', en: 'Resident' },
  grid_worker: { zh: '网格员', en: 'Grid worker' },
  handler: { zh: '处置人员', en: 'Handler' },
  community_admin: { zh: '社区/村管理员', en: 'Community administrator' },
  street_admin: { zh: '街道/乡镇管理员', en: 'Street administrator' },
  bookkeeper: { zh: '报账员', en: 'Bookkeeper' },
  finance_reviewer: { zh: '民主理财小组成员', en: 'Finance reviewer' },
  auditor: { zh: '审计管理员', en: 'Auditor' },
  security_officer: { zh: '安全管理员', en: 'Security officer' },
  system_admin: { zh: '系统管理员', en: 'System administrator' },
};

/**
 * Coarse abilities derived from the caller's roles, for the web apps' menus. Whether an action is
 * allowed on a particular object is always answered by that object's `allowedActions`.
 */
export const CAPABILITIES = [
  'case.report',
  'case.view_own',
  'case.view_area',
  'case.patrol',
  'case.accept',
  'case.dispatch',
  'case.handle',
  'case.verify',
  'case.follow_up',
  'case.supervise',
  'routing.manage',
  'area.manage',
  'figures.view',
  'finance.keep_books',
  'finance.review',
  'finance.publish',
  'notice.publish',
  'user.view',
  'user.manage',
  'security_log.view',
  'journal.verify',
] as const;
export const ZCapability = z.enum(CAPABILITIES);
export type Capability = z.infer<typeof ZCapability>;

// ---------------------------------------------------------------------------------------------
// Password rules (MLPS 2.0 level 3 practice, docs/decisions/0200): shared so the web can explain
// the rules as the person types; the server applies the same function.

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// Passwords that satisfy the class rule yet top every leaked-password list in China.
const COMMON_COMPLIANT_PASSWORDS = new Set([
  'p@ssw0rd',
  'p@ssw0rd1',
  'p@ssword1',
  'passw0rd!',
  'password1!',
  'password@1',
  'password@123',
  'admin@123',
  'admin@1234',
  'admin123!',
  'admin#123',
  'root@123',
  'test@123',
  'abc@1234',
  'abcd@1234',
  'a1b2c3d4!',
  'aa123456!',
  'qwer1234!',
  'qwer@1234',
  'qwe123!@#',
  '1qaz@wsx',
  '1qaz2wsx!',
  '1qaz!qaz',
  'zaq1@wsx',
  'welcome1!',
  'huawei@123',
  'changeme1!',
]);

export type PasswordProblemCode =
  'too_short' | 'too_long' | 'too_few_classes' | 'contains_username' | 'contains_phone' | 'too_common';

export interface PasswordProblem {
  code: PasswordProblemCode;
  zh: string;
  en: string;
}

/**
 * What is wrong with a proposed password, or [] when it meets the rules: 8–128 characters, at least
 * three of lower-case letters, upper-case letters, digits and symbols, not containing the account's
 * username or mobile number, and not one of the well-known compliant-but-weak passwords.
 */
export function passwordProblems(
  password: string,
  account: { username?: string | null; phone?: string | null } = {},
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    problems.push({
      code: 'too_short',
      zh: `密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符`,
      en: `The password needs at least ${PASSWORD_MIN_LENGTH} characters`,
    });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    problems.push({
      code: 'too_long',
      zh: `密码不能超过 ${PASSWORD_MAX_LENGTH} 个字符`,
      en: `The password may have at most ${PASSWORD_MAX_LENGTH} characters`,
    });
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((pattern) =>
    pattern.test(password),
  ).length;
  if (classes < 3) {
    problems.push({
      code: 'too_few_classes',
      zh: '密码须包含小写字母、大写字母、数字、符号中的至少三类',
      en: 'Use at least three of: lower-case letters, upper-case letters, digits, symbols',
    });
  }
  const lower = password.toLowerCase();
  const username = account.username?.trim().toLowerCase();
  if (username && username.length >= 3 && lower.includes(username)) {
    problems.push({
      code: 'contains_username',
      zh: '密码不能包含用户名',
      en: 'The password must not contain the username',
    });
  }
  const phone = account.phone?.replace(/\D/g, '').slice(-11);
  if (phone && phone.length >= 7 && password.includes(phone)) {
    problems.push({
      code: 'contains_phone',
      zh: '密码不能包含手机号',
      en: 'The password must not contain the mobile number',
    });
  }
  if (COMMON_COMPLIANT_PASSWORDS.has(lower)) {
    problems.push({
      code: 'too_common',
      zh: '这个密码过于常见，容易被猜中',
      en: 'This password is too common and easily guessed',
    });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Field shapes

/** Lower-case sign-in name for staff; starts with a letter so it can never look like a phone number. */
export const ZUsername = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_.-]{2,31}$/, {
    error:
      '用户名为 3–32 位，以字母开头，只含字母、数字、下划线、点和连字符 / 3–32 characters: a letter first, then letters, digits, _ . -',
  })
  .describe('Staff sign-in name (stored lower-case)');

/** A mainland mobile number, as people type it: optional +86, spaces or dashes allowed. */
export const ZMobile = z
  .string()
  .trim()
  .regex(/^(\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}$/, {
    error: '请填写有效的中国大陆手机号 / enter a valid mainland China mobile number',
  })
  .describe('Mainland mobile number, 11 digits starting 13–19 (+86, spaces and dashes allowed)');

const ZPassword = z.string().min(1).max(PASSWORD_MAX_LENGTH);
const ZNewPassword = z
  .string()
  .min(1)
  .max(PASSWORD_MAX_LENGTH)
  .describe('At least 8 characters with three of: lower-case, upper-case, digits, symbols; not the username');
const ZSixDigits = z.string().regex(/^\d{6}$/, { error: '请输入 6 位数字 / enter the 6-digit code' });
const ZDisplayName = z.string().trim().min(1).max(40).describe('Name shown to others (masked where needed)');
const ZReason = z.string().trim().min(2).max(500);

export const ZUnitRef = z.object({
  id: ZId,
  name: z.string(),
  kind: z.string().describe('street, community, grid, …'),
  code: z.string(),
});
export type UnitRef = z.infer<typeof ZUnitRef>;

export const ZPersonRef = z.object({ id: ZId, name: z.string() });

// ---------------------------------------------------------------------------------------------
// Signing in

/** POST /api/auth/login — staff: username or mobile number, password, and the TOTP code once enabled. */
export const ZStaffLogin = z.strictObject({
  login: z.string().trim().min(1).max(64).describe('用户名或手机号 / username or mobile number'),
  password: ZPassword,
  totp: ZSixDigits.optional().describe('The 6-digit code of the authenticator app, when enabled'),
});
export type StaffLogin = z.infer<typeof ZStaffLogin>;

/** POST /api/auth/sms-code — sends a one-time code to a resident's mobile. */
export const ZSmsCodeRequest = z.strictObject({ phone: ZMobile });

export const ZSmsCodeSent = z.object({
  phone: z.string().describe('Where the code went, masked (138****1234)'),
  expiresInSeconds: z.number().int(),
  resendAfterSeconds: z.number().int().describe('When the next code may be requested'),
});

/** POST /api/auth/sms-login — a resident signs in (and on the first time, signs up). */
export const ZSmsLogin = z.strictObject({
  phone: ZMobile,
  code: ZSixDigits.describe('The 6-digit code from the SMS'),
});

// ---------------------------------------------------------------------------------------------
// The signed-in person

export const ZHeldRole = z.object({
  id: ZId.describe('The role assignment'),
  role: ZRole,
  roleName: ZLocalizedText,
  unit: ZUnitRef.describe('Where the role is held; it covers this unit and everything below it'),
  org: ZPersonRef.nullable().describe('For handlers: the organisation they act for'),
});

export const ZMe = z.object({
  id: ZId,
  kind: z.enum(['staff', 'resident']),
  username: z.string().nullable(),
  displayName: z.string(),
  phone: z.string().nullable().describe('Masked (138****1234)'),
  homeUnit: ZUnitRef.nullable().describe("A resident's community"),
  roles: z.array(ZHeldRole),
  capabilities: z.array(ZCapability),
  needsCommunity: z.boolean().describe('A new resident who has not chosen a community yet'),
  mustChangePassword: z
    .boolean()
    .describe('The password was set by an administrator; nothing else works until it is changed'),
  totpEnabled: z.boolean(),
  passwordChangedAt: ZInstant.nullable(),
  lastLoginAt: ZInstant.nullable(),
  allowedActions: ZAllowedActions,
});
export type Me = z.infer<typeof ZMe>;

export const ZSignInResult = z.object({
  me: ZMe,
  isNewAccount: z.boolean().describe('A resident account was created by this sign-in'),
});

/** PATCH /api/me */
export const ZUpdateMe = z.strictObject({ displayName: ZDisplayName });

/** POST /api/me/password */
export const ZChangePassword = z.strictObject({
  currentPassword: ZPassword,
  newPassword: ZNewPassword,
});

/** POST /api/me/community — a resident picks (or moves to) their community. */
export const ZChooseCommunity = z.strictObject({
  communityId: ZId.describe('A community or village (kind community)'),
});

/** POST /api/me/totp/setup — re-entering the password keeps a borrowed session from binding a phone. */
export const ZTotpSetupRequest = z.strictObject({ password: ZPassword });
export const ZTotpSetup = z.object({
  secret: z.string().describe('Base32 secret for manual entry'),
  otpauthUri: z.string().describe('otpauth:// URI to show as a QR code'),
});
export const ZTotpConfirm = z.strictObject({ code: ZSixDigits });
export const ZTotpDisable = z.strictObject({ password: ZPassword, code: ZSixDigits });

// ---------------------------------------------------------------------------------------------
// Notifications

export const ZNotification = z.object({
  id: ZId,
  kind: z.string().describe('e.g. case_dispatched, case_overdue, case_escalated'),
  recordType: z.string().nullable(),
  recordId: ZId.nullable(),
  title: ZLocalizedText,
  createdAt: ZInstant,
  readAt: ZInstant.nullable(),
  allowedActions: ZAllowedActions,
});
export type Notification = z.infer<typeof ZNotification>;

const queryFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const ZListNotificationsQuery = z.strictObject({
  unreadOnly: queryFlag.optional(),
  cursor: z.string().max(200).optional().describe('Opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZNotificationPage = ZPage(ZNotification).extend({
  unreadCount: z.number().int().describe('Unread notifications in total'),
});
export const ZMarkAllRead = z.strictObject({});
export const ZMarkedRead = z.object({ updated: z.number().int() });

// ---------------------------------------------------------------------------------------------
// Users and roles administration

export const ZRoleAssignment = ZHeldRole.extend({
  grantedAt: ZInstant,
  grantedBy: ZPersonRef.nullable(),
  allowedActions: ZAllowedActions,
});
export type RoleAssignment = z.infer<typeof ZRoleAssignment>;

export const ZUser = z.object({
  id: ZId,
  kind: z.enum(['staff', 'resident']),
  username: z.string().nullable(),
  displayName: z.string(),
  phone: z.string().nullable().describe('Always masked; POST /api/users/:id/reveal shows it, logged'),
  homeUnit: ZUnitRef.nullable(),
  isActive: z.boolean(),
  deactivatedAt: ZInstant.nullable(),
  mergedIntoId: ZId.nullable().describe('A duplicate resident account: the account it was merged into'),
  lockedUntil: ZInstant.nullable().describe('Set while sign-in is locked after failed attempts'),
  totpEnabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lastLoginAt: ZInstant.nullable(),
  createdAt: ZInstant,
  roles: z.array(ZRoleAssignment).describe('Current (unrevoked) roles'),
  allowedActions: ZAllowedActions,
});
export type User = z.infer<typeof ZUser>;

export const ZUserIdParams = z.strictObject({ id: ZId });
export const ZNotificationIdParams = z.strictObject({ id: ZId });
export const ZRoleAssignmentParams = z.strictObject({ id: ZId, assignmentId: ZId });

/** GET /api/users — accounts inside the caller's scope; filters combine with AND. */
export const ZListUsersQuery = z.strictObject({
  q: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .optional()
    .describe('Part of the name or username, or a complete mobile number'),
  kind: z.enum(['staff', 'resident']).optional(),
  role: ZRole.optional().describe('Holding this role (anywhere in scope)'),
  unitId: ZId.optional().describe('With a role, or a home, inside this unit'),
  isActive: queryFlag.optional(),
  cursor: z.string().max(200).optional().describe('Opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListUsersQuery = z.infer<typeof ZListUsersQuery>;
export const ZUserPage = ZPage(ZUser);

export const ZRoleGrantInput = z.strictObject({
  role: ZRole,
  unitId: ZId.describe('The unit the role is held at'),
  orgId: ZId.optional().describe('Required for handler: the organisation they act for'),
});
export type RoleGrantInput = z.infer<typeof ZRoleGrantInput>;

/** POST /api/users — a staff account with its first roles; the owner must change the password. */
export const ZCreateStaffUser = z.strictObject({
  username: ZUsername,
  displayName: ZDisplayName,
  phone: ZMobile.optional(),
  password: ZNewPassword.describe('Initial password; the owner must change it at first sign-in'),
  roles: z.array(ZRoleGrantInput).min(1).max(10).describe('At least one role, so the account has a place'),
});
export type CreateStaffUser = z.infer<typeof ZCreateStaffUser>;

export const ZUpdateUser = z.strictObject({ displayName: ZDisplayName });
export const ZDeactivateUser = z.strictObject({
  reason: ZReason.describe('Why the account is closed (kept in the security log)'),
});
export const ZReactivateUser = z.strictObject({ reason: ZReason });
export const ZResetPassword = z.strictObject({
  newPassword: ZNewPassword.describe('Temporary password; the owner must change it at next sign-in'),
});
export const ZUnlockUser = z.strictObject({});
export const ZResetTotp = z.strictObject({ reason: ZReason });
export const ZRevokeRole = z.strictObject({ reason: ZReason.optional() });

/** POST /api/users/:id/reveal — the full mobile number, for a stated purpose; every reveal is logged. */
export const ZRevealPhone = z.strictObject({
  purpose: z.string().trim().min(4).max(200).describe('Why the number is needed (kept in the access log)'),
});
export const ZRevealedPhone = z.object({ phone: z.string().nullable() });

// ---------------------------------------------------------------------------------------------
// The security audit log

export const ZSecurityEvent = z.object({
  id: z.number().int(),
  at: ZInstant,
  action: z.string().describe('login, login_locked, logout, password_changed, role_granted, …'),
  outcome: z.enum(['success', 'failure']),
  actor: ZPersonRef.nullable(),
  subject: ZPersonRef.nullable(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
});
export type SecurityEvent = z.infer<typeof ZSecurityEvent>;

export const ZListSecurityEventsQuery = z.strictObject({
  action: z.string().max(40).optional(),
  subjectId: ZId.optional(),
  from: ZInstant.optional(),
  to: ZInstant.optional(),
  cursor: z.string().max(200).optional().describe('Opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZSecurityEventPage = ZPage(ZSecurityEvent);
