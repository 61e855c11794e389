import fp from 'fastify-plugin';
import type { App } from '../../app.ts';
import { CategoryStore, type CaseCategory } from '../cases/category-store.ts';
import { JournalFeed } from './journal-feed.ts';
import { LiveHub } from './live-hub.ts';

/** A stream's buffer may hold this much before the stream is dropped (about a minute of a busy street). */
const MAX_BUFFERED_BYTES = 256 * 1024;
/** Signed-in viewers' sessions are looked at again this often. */
const SESSION_CHECK_MS = 60_000;

export interface LiveService {
  feed: JournalFeed;
  hub: LiveHub;
  /** Loads the category dictionary into memory (events are rendered from it synchronously). */
  warmCategories(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The journal feed (one LISTEN per process) and the hub of open live streams. */
    live: LiveService;
  }
}

/**
 * The live capability's shared parts: one journal feed per process, which other modules (the map)
 * subscribe to as well, and the hub that fans each burst out to the open streams. Streams are ended
 * before the server closes, or an open stream would hold the close forever.
 */
export const livePlugin = fp(
  async (fastify) => {
    const app = fastify as unknown as App;
    const store = CategoryStore.of(app.db);
    let categories: ReadonlyMap<string, CaseCategory> = new Map();
    const warmCategories = async () => {
      categories = await store.all();
    };
    const feed = new JournalFeed(app.database, app.log);
    const hub = new LiveHub({
      heartbeatMs: app.config.live.heartbeatMs,
      maxBufferedBytes: MAX_BUFFERED_BYTES,
      sessionCheckMs: SESSION_CHECK_MS,
      categories: () => categories,
      checkSession: async (token) => (await app.sessions.resolve(token))?.actor ?? null,
      log: app.log,
    });
    feed.subscribe((batch) => {
      // The dictionary is cached for a minute; refresh it in the background for the next burst.
      void warmCategories().catch(() => {});
      hub.deliver(batch);
    });
    feed.onReset((reason) => hub.resetAll(reason));
    app.decorate('live', { feed, hub, warmCategories });
    await warmCategories();
    await feed.start();
    hub.start();
    app.addHook('preClose', async () => hub.stop());
    app.addHook('onClose', async () => feed.close());
  },
  { name: 'live', dependencies: ['core', 'areas', 'auth'] },
);
