import type { Config } from './config.ts';
import { buildApp, type App } from './app.ts';
import { openDatabase, type Database } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import type { DemoInfo } from './modules/demo/seed-demo.ts';
import { loadReferenceData } from './reference-data.ts';

export interface RunningServer {
  app: App;
  database: Database;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, applies migrations, builds the app and listens. */
export async function startServer(config: Config): Promise<RunningServer> {
  const logger = createLogger(config.logLevel);
  const startedAt = performance.now();
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: `${config.dataDir}/pglite`,
    pgliteSharedBuffers: config.pgliteSharedBuffers,
    logger,
  });
  const applied = await migrate(database);
  if (applied.length > 0) logger.info({ applied }, 'migrations applied');
  await loadReferenceData(database.db);
  const app = await buildApp({ config, database, logger });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  logger.info(
    { url, database: database.kind, startupMs: Math.round(performance.now() - startedAt) },
    `minqing 民情 is running at ${url}`,
  );
  if (config.seedDemo) {
    // The server answers while the first start seeds the demo; the landing page shows the progress.
    const seeding = app.demo.status.state === 'none' ? app.demo.seedIfEmpty() : Promise.resolve(null);
    void seeding.then(
      (info) => {
        if (info) printDemoBanner(url, info);
      },
      (error: unknown) => logger.error({ err: error }, 'seeding the demo failed'),
    );
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await database.close();
    })());
  return { app, database, url, stop };
}

/** The start-up banner a newcomer reads: where to go and how to sign in to the demo. */
function printDemoBanner(url: string, info: DemoInfo): void {
  const lines = [
    '',
    `  民情 minqing — 演示数据已就绪 / demo ready: ${url}`,
    `  工作人员密码 / staff password: ${info.password}`,
    `  居民手机号 / resident phone: ${info.residentPhone}（验证码打印在本日志中 / the code appears in this log）`,
    '',
    ...info.logins.map((login) => `  ${login.username.padEnd(20)} ${login.role.padEnd(36)} ${login.unit}`),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
