import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DB } from './schema.generated.ts';

export type Db = Kysely<DB>;

export type NotificationHandler = (payload: string) => void;

/**
 * One PostgreSQL dialect behind two engines: PGlite embedded in the process (default) or a
 * PostgreSQL server through a `pg` pool. Callers see the same Kysely instance and the same
 * LISTEN/NOTIFY interface either way.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Subscribes to a NOTIFY channel; the returned function unsubscribes. */
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  /** Called after the LISTEN connection was lost and re-established (events may have been missed). */
  onListenReconnect(handler: () => void): void;
  /** The embedded engine, for dumps and backups; undefined on a server. */
  readonly pglite: PGlite | undefined;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… to use a PostgreSQL server; otherwise PGlite in dataDir. */
  databaseUrl?: string | undefined;
  /** PGlite's data folder, or 'memory://'. */
  dataDir?: string | undefined;
  /** Start PGlite from a dumped, already-migrated data folder (tests: ~1 s instead of ~4 s). */
  loadDataDir?: Blob | undefined;
  poolSize?: number | undefined;
  logger?: Logger | undefined;
  /** PGlite's shared_buffers (PostgreSQL's 128MB default is most of an idle server's memory). */
  pgliteSharedBuffers?: string | undefined;
}

export const DEFAULT_PGLITE_SHARED_BUFFERS = '32MB';

const INT8 = 20;
const DATE = 1082;
// Journal ids and counts stay far below 2^53, and numbers are what every caller wants.
const parseInt8 = (value: string): number => Number(value);
// A calendar date is a day in China, not an instant: keep 'YYYY-MM-DD' rather than a local-midnight Date.
const parseDate = (value: string): string => value;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPglite(options);
}

async function openPglite(options: DatabaseOptions): Promise<Database> {
  const dataDir = options.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({
    dataDir,
    loadDataDir: options.loadDataDir,
    parsers: { [INT8]: parseInt8, [DATE]: parseDate },
    // A crash must not lose an acknowledged write, so every commit is flushed before we answer.
    relaxedDurability: false,
    // The data folder sits in the operating system's page cache anyway; a smaller buffer pool inside
    // the WebAssembly memory cut an idle server by ~120 MB and opens faster (docs/decisions/0006).
    startParams: [
      ...PGlite.defaultStartParams,
      '-c',
      `shared_buffers=${options.pgliteSharedBuffers ?? DEFAULT_PGLITE_SHARED_BUFFERS}`,
    ],
  });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  return {
    kind: 'pglite',
    db,
    pglite,
    async listen(channel, handler) {
      // PGlite delivers NOTIFY in-process; listening shares the single connection safely.
      const unlisten = await pglite.listen(channel, handler);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
    onListenReconnect() {
      // In-process: the listener cannot be disconnected from its own database.
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

async function openPostgres(databaseUrl: string, options: DatabaseOptions): Promise<Database> {
  const types: pg.CustomTypesConfig = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
      if (oid === INT8) return parseInt8;
      if (oid === DATE) return parseDate;
      return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
    }) as pg.CustomTypesConfig['getTypeParser'],
  };
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize ?? 20, types });
  // Only the message and code: a pg error can carry its connection (and the connection string) along.
  pool.on('error', (error: Error & { code?: string }) =>
    options.logger?.warn({ error: error.message, code: error.code }, 'idle PostgreSQL connection failed'),
  );
  // Fail at start with a clear message rather than on the first request.
  const probe = await pool.connect();
  probe.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  const listener = new PostgresListener(databaseUrl, types, options.logger);
  return {
    kind: 'postgres',
    db,
    pglite: undefined,
    listen: (channel, handler) => listener.listen(channel, handler),
    onListenReconnect: (handler) => listener.reconnectHandlers.add(handler),
    async close() {
      await listener.close();
      await db.destroy();
    },
  };
}

/**
 * One dedicated LISTEN connection per process. When the server restarts or the connection drops,
 * it reconnects with backoff, re-subscribes, and tells subscribers so they can catch up from the journal.
 */
class PostgresListener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<NotificationHandler>>();
  readonly reconnectHandlers = new Set<() => void>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly types: pg.CustomTypesConfig,
    private readonly logger: Logger | undefined,
  ) {}

  async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    const isNewChannel = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    const client = await this.connect();
    if (isNewChannel) await client.query(`LISTEN ${quoteIdent(channel)}`);
    return async () => {
      set.delete(handler);
      if (set.size === 0) {
        this.handlers.delete(channel);
        if (this.client && !this.closed)
          await this.client.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => {});
      }
    };
  }

  private connect(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.openClient().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async openClient(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: this.url, types: this.types });
    client.on('notification', (message) => {
      const set = this.handlers.get(message.channel);
      if (!set) return;
      for (const handler of set) handler(message.payload ?? '');
    });
    client.on('error', (error) => {
      this.logger?.warn({ error: error.message }, 'LISTEN connection lost; reconnecting');
      this.dropAndRetry(client);
    });
    client.on('end', () => this.dropAndRetry(client));
    await client.connect();
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
    this.client = client;
    return client;
  }

  private dropAndRetry(client: pg.Client, delayMs = 500): void {
    if (this.client === client) this.client = undefined;
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed) return;
      this.connect().then(
        () => {
          for (const handler of this.reconnectHandlers) handler();
        },
        (error: unknown) => {
          this.logger?.warn({ err: error }, 'LISTEN reconnect failed; retrying');
          this.dropAndRetry(client, Math.min(delayMs * 2, 10_000));
        },
      );
    }, delayMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => {});
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
