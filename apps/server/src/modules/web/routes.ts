import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

export const WEB_DIST = fileURLToPath(new URL('../../../../web/dist/', import.meta.url));

/**
 * The web apps that are built and ready, by URL prefix → their HTML entry in apps/web/dist. An app is
 * listed here when it works end to end, so the landing page never links to an unfinished one.
 */
export const WEB_APPS: { prefix: string; html: string }[] = [
  { prefix: '/console', html: 'console.html' },
  { prefix: '/screen', html: 'screen.html' },
  { prefix: '/books', html: 'books.html' },
];

/**
 * Serves the built web apps (apps/web/dist): hashed assets with a year-long cache, each app's HTML
 * without caching so a new release is picked up at once, and client-side routes under each prefix.
 */
export const webRoutes: FastifyPluginAsync = async (app) => {
  if (!existsSync(WEB_DIST)) {
    app.log.warn(`web apps not built (${WEB_DIST} is missing): run npm run build:web`);
    return;
  }
  await app.register(fastifyStatic, {
    root: `${WEB_DIST}assets`,
    prefix: '/assets/',
    immutable: true,
    maxAge: '365d',
    index: false,
    wildcard: true,
  });
  for (const { prefix, html } of WEB_APPS) {
    const file = `${WEB_DIST}${html}`;
    if (!existsSync(file)) continue;
    const send = async (_request: unknown, reply: import('fastify').FastifyReply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(file));
    app.get(prefix, { schema: { hide: true } }, send);
    app.get(`${prefix}/*`, { schema: { hide: true } }, send);
  }
};
