import {
  errorResponses,
  ZMapCases,
  ZMapCasesQuery,
  ZMapConfig,
  ZMapGrids,
  ZMapGridsQuery,
  ZScreenSummary,
  ZScreenSummaryQuery,
} from '@minqing/contract';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.ts';
import { CategoryStore } from '../cases/category-store.ts';
import { DEMO_ACTIVITY_MS, stirDemoStreet } from './demo-activity.ts';
import { getMapCases } from './get-map-cases.ts';
import { getMapConfig } from './get-map-config.ts';
import { getMapGrids } from './get-map-grids.ts';
import { getScreenSummary } from './get-screen-summary.ts';
import { MapIndex } from './map-index.ts';
import { ScreenCounters } from './screen-counters.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The 民情地图's index of the cases on the map, kept current by the journal feed. */
    map: { index: MapIndex; counters: ScreenCounters };
  }
}

const TAGS = ['map'];

const mapRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const app: App = fastify;

  fastify.get(
    '/api/map/config',
    {
      schema: {
        tags: TAGS,
        summary: '底图配置 The base map as configured (none, Tianditu, AMap or a tile URL)',
        response: { 200: ZMapConfig },
      },
    },
    async () => getMapConfig(app.config),
  );

  fastify.get(
    '/api/map/cases',
    {
      schema: {
        tags: TAGS,
        summary: '地图事件 Cases in a viewport: clusters when zoomed out, cases when zoomed in',
        description:
          'Clusters are computed on the server from the positions the viewer may see: staff see the cases they ' +
          'may open at their place with their id; everyone else sees no id, positions rounded to ~10 m, and ' +
          'disputes and personal help at their grid’s centre. A huge viewport is clamped to the world and a ' +
          'crowded one answered with larger cells (truncated: true); counts always add up.',
        querystring: ZMapCasesQuery,
        response: { 200: ZMapCases, 400: errorResponses[400], 404: errorResponses[404] },
      },
    },
    async (request) => getMapCases(app, request.actor, request.query),
  );

  fastify.get(
    '/api/map/grids',
    {
      schema: {
        tags: TAGS,
        summary: '网格负荷 The grids of an area with their open-case load (for shading)',
        querystring: ZMapGridsQuery,
        response: { 200: ZMapGrids, 400: errorResponses[400], 404: errorResponses[404] },
      },
    },
    async (request) => getMapGrids(app, request.actor, request.query),
  );

  fastify.get(
    '/api/screen/summary',
    {
      schema: {
        tags: TAGS,
        summary: '大屏数据 The big screen’s figures for an area',
        description:
          'Base figures, today and this month, 按期结案率/返工率/满意率 over the last 30 days, sources, top ' +
          'categories, busiest grids, deadline warnings, sealing delay and the latest events (in the form the ' +
          'viewer may see). Counts are the same for everyone.',
        querystring: ZScreenSummaryQuery,
        response: { 200: ZScreenSummary, 400: errorResponses[400], 404: errorResponses[404] },
      },
    },
    async (request) => getScreenSummary(app, request.actor, request.query.unitId),
  );
};

/** The 民情地图's data: the map index on the journal feed and the map and screen routes. */
export const mapModule = fp(
  async (fastify) => {
    const app = fastify as unknown as App;
    const store = CategoryStore.of(app.db);
    const index = new MapIndex(app.db, app.live.feed, {
      closedDays: app.config.map.closedDays,
      categories: () => store.all(),
      log: app.log,
    });
    index.start();
    const counters = new ScreenCounters(app.db, app.live.feed);
    counters.start();
    app.decorate('map', { index, counters });
    if (app.config.runBackgroundJobs) {
      // Loaded at start, so the first screen to ask does not wait for it (a query waits if it must).
      app.addHook('onReady', async () => {
        for (const projection of [index, counters]) {
          projection
            .ready()
            .catch((error: unknown) => app.log.error({ err: error }, 'loading the map failed'));
        }
      });
    }
    if (app.config.demoActivity) {
      app.background.register({
        name: 'demo-activity',
        intervalMs: DEMO_ACTIVITY_MS,
        run: () => stirDemoStreet(app),
      });
    }
    app.addHook('onClose', async () => {
      index.stop();
      counters.stop();
    });
    await app.register(mapRoutes);
  },
  { name: 'map-module', dependencies: ['live', 'areas', 'calendar', 'background', 'demo'] },
);
