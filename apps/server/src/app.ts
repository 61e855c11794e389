import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { handleError, handleNotFound } from './errors.ts';
import { modules } from './modules/index.ts';
import { tileOrigins } from './modules/map/get-map-config.ts';
import { authPlugin } from './plugins/auth.ts';
import { embeddedMaintenanceJobs } from './db/maintenance.ts';
import { backgroundPlugin } from './plugins/background.ts';
import { demoPlugin } from './modules/demo/plugin.ts';
import { corePlugin } from './plugins/core.ts';
import { APP_VERSION } from './version.ts';

export interface AppOptions {
  config: Config;
  database: Database;
  logger?: Logger | boolean;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Builds the whole HTTP application from its options; server.ts only starts it. */
export async function buildApp({ config, database, logger = false }: AppOptions): Promise<App> {
  const app = Fastify({
    loggerInstance: typeof logger === 'object' ? logger : undefined,
    logger: typeof logger === 'boolean' ? logger : undefined,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  await app.register(helmet, {
    // Isolated networks: everything is served by minqing itself, so 'self' is the whole policy.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        // ...and the base map's tile servers, when one is configured (MAP_TILES).
        imgSrc: ["'self'", 'data:', 'blob:', ...tileOrigins(config)],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'minqing (民情) API',
        description:
          'Grassroots governance: areas and grids, the closed-loop case workflow, the verifiable journal.',
        version: APP_VERSION,
        license: { name: 'Apache-2.0' },
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'mq_session' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(corePlugin, { config, database });
  await app.register(authPlugin);
  await app.register(backgroundPlugin);
  for (const job of embeddedMaintenanceJobs(database)) app.background.register(job);
  await app.register(demoPlugin);

  for (const module of modules) await app.register(module);

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // A pino instance narrows the logger type; everything downstream only needs Fastify's base logger.
  return app as unknown as App;
}
