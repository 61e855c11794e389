import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';

let databasePromise: Promise<Database> | undefined;

/**
 * The worker's database: PGlite loaded from the migrated template, or the run's PostgreSQL database.
 * Shared by every file the worker runs; tests never truncate it, each builds its own community.
 */
export function testDatabase(): Promise<Database> {
  databasePromise ??= (async () => {
    const backend = process.env.MINQING_TEST_BACKEND ?? 'pglite';
    if (backend === 'postgres') return openDatabase({ databaseUrl: inject('postgresUrl'), poolSize: 10 });
    const template = readFileSync(inject('pgliteTemplate'));
    return openDatabase({ dataDir: 'memory://', loadDataDir: new Blob([template]) });
  })();
  return databasePromise;
}

export function testDataDir(): string {
  const dir = join(inject('testWorkDir'), `worker-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const config = loadConfig({ DATA_DIR: testDataDir(), LOG_LEVEL: 'silent' });
  return { ...config, runBackgroundJobs: false, ...overrides };
}

/** A fresh app on the worker's database; close it in afterAll. */
export async function buildTestApp(overrides: Partial<Config> = {}): Promise<App> {
  const app = await buildApp({ config: testConfig(overrides), database: await testDatabase() });
  await app.ready();
  return app;
}

export interface Reply<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

/** Calls the app over HTTP semantics (app.inject), as one signed-in person or as the public. */
export class Client {
  constructor(
    readonly app: App,
    readonly cookie?: string,
  ) {}

  async request<T = any>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
    options: { remoteAddress?: string } = {},
  ): Promise<Reply<T>> {
    const response = await this.app.inject({
      method,
      url,
      ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
      ...(body === undefined
        ? {}
        : typeof body === 'string' || Buffer.isBuffer(body)
          ? { body }
          : { payload: body as object }),
    });
    const type = String(response.headers['content-type'] ?? '');
    return {
      status: response.statusCode,
      body: (type.includes('json') ? response.json() : response.body) as T,
      headers: response.headers,
    };
  }

  get<T = any>(url: string, headers?: Record<string, string>) {
    return this.request<T>('GET', url, undefined, headers);
  }
  post<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', url, body ?? {}, headers);
  }
  put<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PUT', url, body ?? {}, headers);
  }
  patch<T = any>(url: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('PATCH', url, body ?? {}, headers);
  }
  delete<T = any>(url: string, headers?: Record<string, string>) {
    return this.request<T>('DELETE', url, undefined, headers);
  }
}
