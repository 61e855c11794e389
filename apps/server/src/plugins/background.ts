import fp from 'fastify-plugin';

export interface BackgroundJob {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Periodic in-process jobs (sealer, deadline scheduler). They start with the server, not in tests. */
    background: { register(job: BackgroundJob): void; jobs: BackgroundJob[] };
  }
}

/**
 * Runs each registered job every intervalMs, never two runs of the same job at once. Jobs keep their
 * state in the database, so a restart simply picks up where the last run stopped.
 */
export const backgroundPlugin = fp(
  async (app) => {
    const jobs: BackgroundJob[] = [];
    const timers: NodeJS.Timeout[] = [];
    const running = new Set<Promise<unknown>>();
    let stopped = false;
    app.decorate('background', { register: (job: BackgroundJob) => void jobs.push(job), jobs });

    app.addHook('onReady', async () => {
      if (!app.config.runBackgroundJobs) return;
      for (const job of jobs) {
        let busy = false;
        const tick = () => {
          if (busy || stopped) return;
          busy = true;
          const run = job
            .run()
            .catch((error: unknown) => app.log.error({ err: error, job: job.name }, 'background job failed'))
            .finally(() => {
              busy = false;
              running.delete(run);
            });
          running.add(run);
        };
        const timer = setInterval(tick, job.intervalMs);
        timer.unref();
        timers.push(timer);
      }
    });
    app.addHook('onClose', async () => {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.allSettled([...running]);
    });
  },
  { name: 'background' },
);
