import { analyzeDatabase } from '../../db/maintenance.ts';
import fp from 'fastify-plugin';
import { readDemoInfo, seedDemo, isDatabaseEmpty, type DemoInfo } from './seed-demo.ts';
import type { App } from '../../app.ts';

export interface DemoStatus {
  state: 'none' | 'seeding' | 'ready' | 'failed';
  step: string;
  fraction: number;
  info: DemoInfo | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    demo: {
      status: DemoStatus;
      /** Seeds the demo when the database is empty; resolves when done (the server answers meanwhile). */
      seedIfEmpty(): Promise<DemoInfo | null>;
    };
  }
}

/** Holds the demo's seeding progress, so the landing page can show it while the first start seeds. */
export const demoPlugin = fp(
  async (fastify) => {
    const app = fastify as unknown as App;
    const status: DemoStatus = { state: 'none', step: '', fraction: 0, info: null };
    fastify.decorate('demo', {
      status,
      async seedIfEmpty() {
        if (!(await isDatabaseEmpty(app))) {
          status.info = await readDemoInfo(app);
          status.state = status.info ? 'ready' : 'none';
          return status.info;
        }
        status.state = 'seeding';
        try {
          status.info = await seedDemo(app, (step, fraction) => {
            status.step = step;
            status.fraction = fraction;
          });
          // Thousands of rows just arrived: give the planner their statistics now, not in ten minutes.
          await analyzeDatabase(app.db);
          status.state = 'ready';
          return status.info;
        } catch (error) {
          status.state = 'failed';
          throw error;
        }
      },
    });
  },
  { name: 'demo', dependencies: ['core'] },
);
