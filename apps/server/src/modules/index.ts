import type { FastifyPluginAsync } from 'fastify';
import { areasModule } from './areas/routes.ts';
import { calendarPlugin } from './calendar/plugin.ts';
import { casesModule } from './cases/routes.ts';
import { categoriesRoutes } from './categories/routes.ts';
import { consoleModule } from './console/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { journalRoutes } from './journal/routes.ts';
import { liveModule } from './live/routes.ts';
import { mapModule } from './map/routes.ts';
import { notificationTemplatesRoutes } from './notification-templates/routes.ts';
import { noticesRoutes } from './notices/routes.ts';
import { orgRoutes } from './org/routes.ts';
import { patrolsModule } from './patrols/routes.ts';
import { peopleRoutes } from './people/routes.ts';
import { routingRoutes } from './routing/routes.ts';
import { siteRoutes } from './site/routes.ts';
import { figuresRoutes } from './figures/routes.ts';
import { financeModule } from './finance/routes.ts';
import { uploadsRoutes } from './uploads/routes.ts';
import { webRoutes } from './web/routes.ts';

/** Every capability's routes; app.ts registers them in this order. */
export const modules: FastifyPluginAsync[] = [
  healthRoutes,
  areasModule,
  orgRoutes,
  siteRoutes,
  figuresRoutes,
  calendarPlugin,
  casesModule,
  patrolsModule,
  financeModule,
  liveModule,
  mapModule,
  peopleRoutes,
  routingRoutes,
  uploadsRoutes,
  categoriesRoutes,
  journalRoutes,
  consoleModule,
  notificationTemplatesRoutes,
  noticesRoutes,
  webRoutes,
];
