import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errors } from '../errors.ts';
import { signInErrors } from '../modules/people/sign-in-errors.ts';
import { createSmsSender, type SmsSender } from '../modules/people/sms-sender.ts';
import { SESSION_COOKIE, SESSIONS_CHANNEL, type SessionRecord } from '../modules/people/sessions.ts';
import type { Actor } from '../policy/index.ts';
import { rateLimitPlugin } from './rate-limit.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Delivers one-time sign-in codes (SMS_PROVIDER: the log by default, or an HTTP gateway). */
    smsSender: SmsSender;
  }
  interface FastifyRequest {
    /** The signed-in person, or null for the public. */
    actor: Actor | null;
    /** The session behind `actor`, or null. */
    session: SessionRecord | null;
  }
}

// With a password an administrator set, the person may only look at themselves, change it, or leave.
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set([
  'GET /api/me',
  'POST /api/me/password',
  'POST /api/auth/logout',
  'POST /api/auth/login',
]);

/**
 * Resolves the session cookie to an actor on every request; routes ask their policy what it may do.
 * Also registers rate limiting and the SMS sender, and keeps the session cache of this process in
 * step with the others: a role change anywhere ends cached sessions everywhere (NOTIFY).
 */
export const authPlugin = fp(
  async (app) => {
    await app.register(cookie);
    await app.register(rateLimitPlugin);
    app.decorate('smsSender', createSmsSender(app.config, app.log));
    app.decorateRequest('actor', null);
    app.decorateRequest('session', null);
    app.addHook('onRequest', async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return;
      const session = await app.sessions.resolve(token);
      if (!session) return;
      request.session = session;
      request.actor = session.actor;
      if (
        session.mustChangePassword &&
        request.url.startsWith('/api/') &&
        !ALLOWED_BEFORE_PASSWORD_CHANGE.has(`${request.method} ${request.routeOptions.url ?? ''}`)
      ) {
        throw signInErrors.passwordChangeRequired();
      }
    });

    let unlisten: (() => Promise<void>) | undefined;
    let isClosed = false;
    app.addHook('onReady', async () => {
      unlisten = await app.database.listen(SESSIONS_CHANNEL, (userId) =>
        app.sessions.forget(userId || undefined),
      );
      // Announcements may have been missed while the LISTEN connection was down: trust nothing cached.
      app.database.onListenReconnect(() => {
        if (!isClosed) app.sessions.forget();
      });
    });
    app.addHook('onClose', async () => {
      isClosed = true;
      await unlisten?.();
    });
  },
  { name: 'auth', dependencies: ['core'] },
);

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw errors.unauthenticated();
  return request.actor;
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeS: number, secure: boolean): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: maxAgeS,
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  void reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}
