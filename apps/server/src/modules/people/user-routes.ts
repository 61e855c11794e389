import {
  errorResponses,
  ZMergeAccountsPreview,
  ZMergeAccountsPreviewRequest,
  ZMergeAccountsRequest,
  ZMergeAccountsResult,
  ZCreateStaffUser,
  ZDeactivateUser,
  ZListSecurityEventsQuery,
  ZListUsersQuery,
  ZReactivateUser,
  ZResetPassword,
  ZResetTotp,
  ZRevealedPhone,
  ZRevealPhone,
  ZRevokeRole,
  ZRoleAssignmentParams,
  ZRoleGrantInput,
  ZSecurityEventPage,
  ZUnlockUser,
  ZUpdateUser,
  ZUser,
  ZUserIdParams,
  ZUserPage,
  type SecurityEvent,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../plugins/auth.ts';
import { clientOf, peopleContext } from './context.ts';
import { createStaffUser } from './create-staff-user.ts';
import { deactivateUser } from './deactivate-user.ts';
import { getUser } from './get-user.ts';
import { grantRole } from './grant-role.ts';
import { listSecurityEvents } from './list-security-events.ts';
import { listUsers } from './list-users.ts';
import { mergeResidentAccounts, previewMerge } from './merge-resident-accounts.ts';
import { presentUser } from './present.ts';
import { reactivateUser } from './reactivate-user.ts';
import { resetUserPassword } from './reset-user-password.ts';
import { resetUserTotp } from './reset-user-totp.ts';
import { revealUserPhone } from './reveal-user-phone.ts';
import { revokeRole } from './revoke-role.ts';
import { unlockUser } from './unlock-user.ts';
import { updateUser } from './update-user.ts';

const TAGS = ['users'];

/** Accounts and roles administration, and the security audit log (docs/decisions/0201, 0202). */
export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = peopleContext(app);

  app.get(
    '/api/users',
    {
      schema: {
        tags: TAGS,
        summary: '用户列表 Accounts in the caller’s scope (phones masked), newest first',
        querystring: ZListUsersQuery,
        response: { 200: ZUserPage, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const page = await listUsers(ctx, actor, request.query);
      return {
        items: page.accounts.map((account) => presentUser(account, actor)),
        nextCursor: page.nextCursor,
      };
    },
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: TAGS,
        summary:
          '新建工作人员 Create a staff account with its first roles (password must be changed at first sign-in)',
        body: ZCreateStaffUser,
        response: { 201: ZUser, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const account = await createStaffUser(ctx, actor, request.body, clientOf(request));
      return reply.status(201).send(presentUser(account, actor));
    },
  );

  app.post(
    '/api/users/merge/preview',
    {
      schema: {
        tags: TAGS,
        summary: '合并重复账号（预览） What merging two resident accounts of one person would move',
        body: ZMergeAccountsPreviewRequest,
        response: { 200: ZMergeAccountsPreview, ...errorResponses },
      },
    },
    async (request) => previewMerge(ctx, requireActor(request), request.body),
  );

  app.post(
    '/api/users/merge',
    {
      schema: {
        tags: TAGS,
        summary:
          '合并重复账号 Merge a duplicate resident account into the one kept: its reports move, it is deactivated (never deleted)',
        body: ZMergeAccountsRequest,
        response: { 200: ZMergeAccountsResult, ...errorResponses },
      },
    },
    async (request) => mergeResidentAccounts(ctx, requireActor(request), request.body, clientOf(request)),
  );

  app.get(
    '/api/users/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One account with its roles and the actions the caller may take',
        params: ZUserIdParams,
        response: { 200: ZUser, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentUser(await getUser(ctx, actor, request.params.id), actor);
    },
  );

  app.patch(
    '/api/users/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Correct the name of an account',
        params: ZUserIdParams,
        body: ZUpdateUser,
        response: { 200: ZUser, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentUser(
        await updateUser(ctx, actor, request.params.id, request.body, clientOf(request)),
        actor,
      );
    },
  );

  app.post(
    '/api/users/:id/deactivate',
    {
      schema: {
        tags: TAGS,
        summary: '停用账号 Deactivate (never delete): sign-in refused, every session ends at once',
        params: ZUserIdParams,
        body: ZDeactivateUser,
        response: { 200: ZUser, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentUser(
        await deactivateUser(ctx, actor, request.params.id, request.body, clientOf(request)),
        actor,
      );
    },
  );

  app.post(
    '/api/users/:id/reactivate',
    {
      schema: {
        tags: TAGS,
        summary: 'Reactivate a deactivated account',
        params: ZUserIdParams,
        body: ZReactivateUser,
        response: { 200: ZUser, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentUser(
        await reactivateUser(ctx, actor, request.params.id, request.body, clientOf(request)),
        actor,
      );
    },
  );

  app.post(
    '/api/users/:id/unlock',
    {
      schema: {
        tags: TAGS,
        summary: 'Lift a sign-in lockout',
        params: ZUserIdParams,
        body: ZUnlockUser,
        response: { 200: ZUser, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentUser(await unlockUser(ctx, actor, request.params.id, clientOf(request)), actor);
    },
  );

  app.post(
    '/api/users/:id/reset-password',
    {
      schema: {
        tags: TAGS,
        summary: '重置密码 Set a temporary password (must be changed at next sign-in); sessions end',
        params: ZUserIdParams,
        body: ZResetPassword,
        response: { 200: ZUser, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentUser(
        await resetUserPassword(ctx, actor, request.params.id, request.body, clientOf(request)),
        actor,
      );
    },
  );

  app.post(
    '/api/users/:id/reset-totp',
    {
      schema: {
        tags: TAGS,
        summary: 'Remove the second factor of an account whose owner lost the phone; sessions end',
        params: ZUserIdParams,
        body: ZResetTotp,
        response: { 200: ZUser, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentUser(
        await resetUserTotp(ctx, actor, request.params.id, request.body, clientOf(request)),
        actor,
      );
    },
  );

  app.post(
    '/api/users/:id/roles',
    {
      schema: {
        tags: TAGS,
        summary:
          '授予角色 Grant a role at a unit (within the caller’s subtree and rank; separation of duties)',
        params: ZUserIdParams,
        body: ZRoleGrantInput,
        response: { 201: ZUser, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const account = await grantRole(ctx, actor, request.params.id, request.body, clientOf(request));
      return reply.status(201).send(presentUser(account, actor));
    },
  );

  app.post(
    '/api/users/:id/roles/:assignmentId/revoke',
    {
      schema: {
        tags: TAGS,
        summary: '收回角色 Revoke a role assignment (kept on record, never deleted)',
        params: ZRoleAssignmentParams,
        body: ZRevokeRole,
        response: { 200: ZUser, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const { id, assignmentId } = request.params;
      return presentUser(
        await revokeRole(ctx, actor, id, assignmentId, request.body, clientOf(request)),
        actor,
      );
    },
  );

  app.post(
    '/api/users/:id/reveal',
    {
      schema: {
        tags: TAGS,
        summary: '查看完整手机号 The full mobile number for a stated purpose; every reveal is logged',
        params: ZUserIdParams,
        body: ZRevealPhone,
        response: { 200: ZRevealedPhone, ...errorResponses },
      },
    },
    async (request) =>
      revealUserPhone(ctx, requireActor(request), request.params.id, request.body, clientOf(request)),
  );

  app.get(
    '/api/security-events',
    {
      schema: {
        tags: TAGS,
        summary:
          '安全审计日志 Sign-ins, lockouts, account and role changes, reveals (auditors, security officers)',
        querystring: ZListSecurityEventsQuery,
        response: { 200: ZSecurityEventPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await listSecurityEvents(ctx, requireActor(request), request.query);
      return {
        items: page.rows.map((row): SecurityEvent => ({
          id: row.id,
          at: row.at.toISOString(),
          action: row.action,
          outcome: row.outcome as SecurityEvent['outcome'],
          actor: row.actor,
          subject: row.subject,
          details: (row.details ?? {}) as Record<string, unknown>,
          ip: row.ip,
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
};
