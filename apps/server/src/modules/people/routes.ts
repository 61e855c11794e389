import type { FastifyPluginAsync } from 'fastify';
import { authRoutes } from './auth-routes.ts';
import { meRoutes } from './me-routes.ts';
import { userRoutes } from './user-routes.ts';

/** People, sign-in and permissions administration. */
export const peopleRoutes: FastifyPluginAsync = async (app) => {
  await app.register(authRoutes);
  await app.register(meRoutes);
  await app.register(userRoutes);
};
