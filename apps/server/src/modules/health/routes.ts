import { ZHealth } from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { APP_VERSION } from '../../version.ts';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness: the server answers and knows its database engine',
        response: { 200: ZHealth },
      },
    },
    async () => ({
      status: 'ok' as const,
      database: app.database.kind,
      version: APP_VERSION,
      time: new Date().toISOString(),
    }),
  );
};
