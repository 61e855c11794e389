import cookie from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { errors } from '../errors.ts';
import { SESSION_COOKIE } from '../modules/people/sessions.ts';
import type { Actor } from '../policy/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person, or null for the public. */
    actor: Actor | null;
  }
}

/** Resolves the session cookie to an actor on every request; routes ask their policy what it may do. */
export const authPlugin = fp(
  async (app) => {
    await app.register(cookie);
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return;
      const session = await app.sessions.resolve(token);
      request.actor = session?.actor ?? null;
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
