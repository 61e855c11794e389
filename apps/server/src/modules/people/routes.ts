import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth-routes.ts';
import { meRoutes } from './me-routes.ts';
import { purgeSignInRecords } from './purge-sign-in-records.ts';
import { userRoutes } from './user-routes.ts';

const PURGE_INTERVAL_MS = 60 * 60_000;

/** People, sign-in and permissions administration. */
export const peopleRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(meRoutes);
  await app.register(userRoutes);
  app.background.register({
    name: 'purge-sign-in-records',
    intervalMs: PURGE_INTERVAL_MS,
    run: () => purgeSignInRecords(app.db),
  });
};
