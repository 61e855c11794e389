import type { FastifyPluginAsync } from 'fastify';
import { healthRoutes } from './health/routes.ts';

/** Every capability's routes; app.ts registers them in this order. */
export const modules: FastifyPluginAsync[] = [healthRoutes];
