import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { WEB_DIST_DIR } from '../../paths.ts';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

export const WEB_DIST = `${WEB_DIST_DIR}/`;

/**
 * The web apps that are built and ready, by URL prefix → their HTML entry in apps/web/dist. An app is
 * listed here when it works end to end, so the landing page never links to an unfinished one.
 */
export const WEB_APPS: { prefix: string; html: string }[] = [
  { prefix: '/console', html: 'console.html' },
  { prefix: '/m', html: 'm.html' },
  { prefix: '/screen', html: 'screen.html' },
  { prefix: '/books', html: 'books.html' },
];

/**
 * Files an app keeps beside its HTML (apps/web/public/<app>/ → dist/<app>/): the phone site's service
 * worker, web app manifest and icons. Served without a long cache (a new service worker must be seen
 * at once); the service worker may control the whole of /m.
 */
const APP_FILE_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
};

function appFiles(prefix: string): { url: string; file: string; type: string }[] {
  const folder = `${WEB_DIST}${prefix.slice(1)}/`;
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .flatMap((entry) => {
      const file = `${entry.parentPath}/${entry.name}`.replace(/\/\/+/g, '/');
      const type = APP_FILE_TYPES[entry.name.slice(entry.name.lastIndexOf('.'))];
      return type ? [{ url: `${prefix}/${file.slice(folder.length)}`, file, type }] : [];
    });
}

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
    const send = async (_request: unknown, reply: FastifyReply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(file));
    for (const extra of appFiles(prefix)) {
      app.get(extra.url, { schema: { hide: true } }, async (_request, reply) => {
        reply.type(extra.type).header('cache-control', 'no-cache');
        if (extra.url.endsWith('/sw.js')) reply.header('service-worker-allowed', prefix);
        return reply.send(readFileSync(extra.file));
      });
    }
    app.get(prefix, { schema: { hide: true } }, send);
    app.get(`${prefix}/*`, { schema: { hide: true } }, send);
  }
};
