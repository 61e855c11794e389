import {
  errorResponses,
  ZChangePassword,
  ZChooseCommunity,
  ZErrorResponse,
  ZListNotificationsQuery,
  ZMarkAllRead,
  ZMarkedRead,
  ZMe,
  ZNotification,
  ZNotificationPage,
  ZTotpConfirm,
  ZTotpDisable,
  ZTotpSetup,
  ZTotpSetupRequest,
  ZUpdateMe,
  ZNotificationIdParams,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../errors.ts';
import { requireActor } from '../../plugins/auth.ts';
import type { Account } from './account.ts';
import { changePassword } from './change-password.ts';
import { chooseCommunity } from './choose-community.ts';
import { confirmTotp } from './confirm-totp.ts';
import { clientOf, peopleContext } from './context.ts';
import { disableTotp } from './disable-totp.ts';
import { getMe } from './get-me.ts';
import { listMyNotifications } from './list-notifications.ts';
import { markAllNotificationsRead, markNotificationRead } from './mark-notification-read.ts';
import { presentMe, presentNotification } from './present.ts';
import { loadActor } from './sessions.ts';
import { setupTotp } from './setup-totp.ts';
import { updateMe } from './update-me.ts';

const TAGS = ['me'];
const withLocked = { ...errorResponses, 423: ZErrorResponse };

/** The signed-in person: who they are, what they may do, their password, second factor and inbox. */
export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = peopleContext(app);

  // After a change the roles may differ from the session's cached ones: present from the database.
  const present = async (account: Account) => {
    const actor = await loadActor(ctx.db, account.row.id);
    if (!actor) throw errors.unauthenticated();
    return presentMe(account, actor);
  };

  app.get(
    '/api/me',
    {
      schema: {
        tags: TAGS,
        summary: '当前用户 The signed-in person: masked phone, roles with their units, capabilities',
        response: { 200: ZMe, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      return presentMe(await getMe(ctx, actor), actor);
    },
  );

  app.patch(
    '/api/me',
    {
      schema: {
        tags: TAGS,
        summary: 'Change the name others see',
        body: ZUpdateMe,
        response: { 200: ZMe, ...errorResponses },
      },
    },
    async (request) => present(await updateMe(ctx, requireActor(request), request.body)),
  );

  app.post(
    '/api/me/password',
    {
      schema: {
        tags: TAGS,
        summary: '修改密码 Change the password (the current one is required); other sessions end',
        body: ZChangePassword,
        response: { 200: ZMe, ...withLocked },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const account = await changePassword(
        ctx,
        actor,
        request.session!.tokenHash,
        request.body,
        clientOf(request),
      );
      return present(account);
    },
  );

  app.post(
    '/api/me/community',
    {
      schema: {
        tags: TAGS,
        summary: '选择社区 A resident picks (or moves to) their community or village',
        body: ZChooseCommunity,
        response: { 200: ZMe, ...errorResponses },
      },
    },
    async (request) =>
      present(await chooseCommunity(ctx, requireActor(request), request.body, clientOf(request))),
  );

  app.post(
    '/api/me/totp/setup',
    {
      schema: {
        tags: TAGS,
        summary: '设置动态码 Start TOTP setup (password again): a secret and an otpauth:// URI',
        body: ZTotpSetupRequest,
        response: { 200: ZTotpSetup, ...withLocked },
      },
    },
    async (request) => setupTotp(ctx, requireActor(request), request.body),
  );

  app.post(
    '/api/me/totp/confirm',
    {
      schema: {
        tags: TAGS,
        summary: 'Confirm TOTP with a first code; from now on sign-in asks for a code',
        body: ZTotpConfirm,
        response: { 200: ZMe, ...errorResponses },
      },
    },
    async (request) =>
      present(await confirmTotp(ctx, requireActor(request), request.body, clientOf(request))),
  );

  app.post(
    '/api/me/totp/disable',
    {
      schema: {
        tags: TAGS,
        summary: 'Turn TOTP off (password and a current code)',
        body: ZTotpDisable,
        response: { 200: ZMe, ...withLocked },
      },
    },
    async (request) =>
      present(await disableTotp(ctx, requireActor(request), request.body, clientOf(request))),
  );

  app.get(
    '/api/me/notifications',
    {
      schema: {
        tags: TAGS,
        summary: '我的通知 Notifications, newest first, with the unread count',
        querystring: ZListNotificationsQuery,
        response: { 200: ZNotificationPage, ...errorResponses },
      },
    },
    async (request) => {
      const page = await listMyNotifications(ctx, requireActor(request), request.query);
      return {
        items: page.rows.map(presentNotification),
        nextCursor: page.nextCursor,
        unreadCount: page.unreadCount,
      };
    },
  );

  app.post(
    '/api/me/notifications/read-all',
    {
      schema: {
        tags: TAGS,
        summary: 'Mark every notification read',
        body: ZMarkAllRead,
        response: { 200: ZMarkedRead, ...errorResponses },
      },
    },
    async (request) => ({ updated: await markAllNotificationsRead(ctx, requireActor(request)) }),
  );

  app.post(
    '/api/me/notifications/:id/read',
    {
      schema: {
        tags: TAGS,
        summary: 'Mark one notification read',
        params: ZNotificationIdParams,
        response: { 200: ZNotification, ...errorResponses },
      },
    },
    async (request) =>
      presentNotification(await markNotificationRead(ctx, requireActor(request), request.params.id)),
  );
};
