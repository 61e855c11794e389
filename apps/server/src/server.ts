import type { Config } from './config.ts';
import { buildApp, type App } from './app.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { loadReferenceData } from './reference-data.ts';

export interface RunningServer {
  app: App;
  database: Database;
  url: string;
  stop(): Promise<void>;
}

export type StartupHook = (context: { app: App; database: Database; config: Config }) => Promise<string[]>;

const startupHooks: StartupHook[] = [];

/** Lets a capability add lines to the start-up banner (the demo logins, for instance) or seed data. */
export function onStartup(hook: StartupHook): void {
  startupHooks.push(hook);
}

/** Opens the database, applies migrations, builds the app and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const startedAt = performance.now();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: `${config.dataDir}/pglite`,
    logger,
  });
  const applied = await migrate(database);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  await loadReferenceData(database.db);
  const app = await buildApp({ config, database, logger });
  const banner: string[] = [];
  for (const hook of startupHooks) banner.push(...(await hook({ app, database, config })));
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  logger.info(
    { url, database: database.kind, startupMs: Math.round(performance.now() - startedAt) },
    `minqing 民情 is running at ${url}`,
  );
  for (const line of banner) logger.info(line);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await database.close();
    })());
  return { app, database, url, stop };
}
