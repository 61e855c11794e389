import { errorResponses, ZLiveQuery } from '@minqing/contract';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.ts';
import { livePlugin } from './plugin.ts';
import { streamLiveEvents } from './stream-live-events.ts';

const liveRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const app: App = fastify;
  fastify.get(
    '/api/live',
    {
      schema: {
        tags: ['live'],
        summary:
          'Live events (Server-Sent Events): cases, figures and patrols under a unit, as the viewer may see them',
        description:
          'text/event-stream. Event names: case, figures, patrol, ready, reset; each `id:` is a journal entry id ' +
          '(de-duplicate by event name and id). Reconnect with Last-Event-ID (or ?lastEventId=) to replay what was ' +
          'missed. Heartbeat comments every LIVE_HEARTBEAT_SECONDS. Public viewers get the coarsened, anonymised ' +
          'form; see packages/contract/src/live.ts.',
        querystring: ZLiveQuery,
        response: { 400: errorResponses[400], 404: errorResponses[404] },
      },
    },
    async (request, reply) => streamLiveEvents(app, request, reply, request.query),
  );
};

/** GET /api/live and the journal feed behind it. */
export const liveModule = fp(
  async (app) => {
    await app.register(livePlugin);
    await app.register(liveRoutes);
  },
  { name: 'live-module', dependencies: ['areas'] },
);
