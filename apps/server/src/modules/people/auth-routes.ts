import {
  errorResponses,
  ZErrorResponse,
  ZOk,
  ZSignInResult,
  ZSmsCodeRequest,
  ZSmsCodeSent,
  ZSmsLogin,
  ZStaffLogin,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clearSessionCookie, setSessionCookie } from '../../plugins/auth.ts';
import { rateLimited } from '../../plugins/rate-limit.ts';
import { clientOf, peopleContext } from './context.ts';
import { presentMe } from './present.ts';
import { requestSmsCode } from './request-sms-code.ts';
import { loadActor, SESSION_COOKIE } from './sessions.ts';
import { signInResident } from './sign-in-resident.ts';
import { signInStaff } from './sign-in-staff.ts';
import { signOut } from './sign-out.ts';

const TAGS = ['auth'];
const signInErrorResponses = { ...errorResponses, 423: ZErrorResponse, 503: ZErrorResponse };

/** Signing in and out: staff by password (+ TOTP), residents by SMS code. Every route here is rate limited. */
export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const ctx = peopleContext(app);

  app.post(
    '/api/auth/login',
    {
      config: rateLimited('login'),
      schema: {
        tags: TAGS,
        summary: '工作人员登录 Staff sign-in: username or mobile, password, and the TOTP code once enabled',
        body: ZStaffLogin,
        response: { 200: ZSignInResult, ...signInErrorResponses },
      },
    },
    async (request, reply) => {
      const signedIn = await signInStaff(ctx, request.body, clientOf(request));
      setSessionCookie(reply, signedIn.token, signedIn.maxAgeS, ctx.config.cookieSecure);
      const actor = await loadActor(ctx.db, signedIn.account.row.id);
      return { me: presentMe(signedIn.account, actor!), isNewAccount: false };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: TAGS,
        summary: '退出登录 Sign out: the session ends at once, in every server process',
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request, reply) => {
      await signOut(ctx, request.cookies[SESSION_COOKIE], request.actor?.userId ?? null, clientOf(request));
      clearSessionCookie(reply, ctx.config.cookieSecure);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/sms-code',
    {
      config: rateLimited('smsCode'),
      schema: {
        tags: TAGS,
        summary: '获取验证码 Send a 6-digit sign-in code to a mainland mobile (1 a minute, 5 an hour)',
        body: ZSmsCodeRequest,
        response: { 200: ZSmsCodeSent, ...signInErrorResponses },
      },
    },
    async (request) => requestSmsCode(ctx, request.body, clientOf(request)),
  );

  app.post(
    '/api/auth/sms-login',
    {
      config: rateLimited('smsLogin'),
      schema: {
        tags: TAGS,
        summary: '验证码登录 Resident sign-in with the SMS code; the first sign-in creates the account',
        body: ZSmsLogin,
        response: { 200: ZSignInResult, ...signInErrorResponses },
      },
    },
    async (request, reply) => {
      const signedIn = await signInResident(ctx, request.body, clientOf(request));
      setSessionCookie(reply, signedIn.token, signedIn.maxAgeS, ctx.config.cookieSecure);
      const actor = await loadActor(ctx.db, signedIn.account.row.id);
      return { me: presentMe(signedIn.account, actor!), isNewAccount: signedIn.isNewAccount };
    },
  );
};
