import {
  LIVE_DEFAULT_TYPES,
  type LiveQuery,
  type LiveReady,
  type LiveReset,
  type LiveEventType,
} from '@minqing/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import { SESSION_COOKIE } from '../people/sessions.ts';
import type { LiveConnection } from './live-hub.ts';
import { mayFollow } from './policy.ts';
import { sseFrame } from './present-event.ts';
import { readEntriesAfter, replayStart, type FeedEntry } from './repository.ts';

/** Reconnection delay EventSource should use (the `retry:` field). */
export const RETRY_MS = 3_000;
/** A replay carries at most this many entries; beyond, the client is told to start over (`reset`). */
export const MAX_REPLAY = 1_000;
/** How long after its replay a stream skips live entries the replay already sent. */
const REPLAY_DEDUP_MS = 5_000;
/** Replays asked for the same last id within this long share one read (a server restart reconnects every screen). */
const REPLAY_SHARE_MS = 1_000;

/** The id a reconnecting client last saw: the query parameter, else the Last-Event-ID header. */
export function lastEventIdOf(query: LiveQuery, header: string | string[] | undefined): number | null {
  const raw = query.lastEventId ?? (Array.isArray(header) ? header[0] : header);
  if (raw === undefined) return null;
  // EventSource echoes whatever id it last received; anything that is not ours is ignored, not refused.
  const match = /^\s*(\d{1,15})\s*$/.exec(raw);
  return match ? Number(match[1]) : null;
}

const sharedReplays = new WeakMap<App, Map<number, { at: number; read: Promise<FeedEntry[]> }>>();

/** The entries after `lastId` (with the overlap window before it), one read shared by simultaneous callers. */
function readReplay(app: App, lastId: number): Promise<FeedEntry[]> {
  let cache = sharedReplays.get(app);
  if (!cache) {
    cache = new Map();
    sharedReplays.set(app, cache);
  }
  const now = Date.now();
  for (const [key, value] of cache) if (now - value.at > REPLAY_SHARE_MS) cache.delete(key);
  const hit = cache.get(lastId);
  if (hit) return hit.read;
  const read = (async () => {
    const start = await replayStart(app.db, lastId, app.live.feed.overlapSeconds);
    return readEntriesAfter(app.db, start, MAX_REPLAY + 1);
  })();
  cache.set(lastId, { at: now, read });
  read.catch(() => cache.delete(lastId));
  return read;
}

/**
 * Opens a viewer's live stream: checks what they may follow, answers with an event stream, replays
 * what a reconnecting client missed, then says `ready` and hands the stream to the hub, which sends
 * every later event this viewer may see. The replay runs in the journal feed's queue, so no live event
 * slips between the replay and the stream joining the hub.
 */
export async function streamLiveEvents(
  app: App,
  request: FastifyRequest,
  reply: FastifyReply,
  query: LiveQuery,
): Promise<void> {
  const actor = request.actor;
  let unitPath: string | null = null;
  if (query.unitId) {
    const unit = await app.areas.getUnit(query.unitId);
    if (!unit || !mayFollow(actor, unit)) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
    unitPath = unit.path;
  }
  const types = new Set<LiveEventType>(query.types ?? LIVE_DEFAULT_TYPES);
  const lastId = lastEventIdOf(query, request.headers['last-event-id']);
  // The dictionary must be in memory before events are rendered synchronously.
  await app.live.warmCategories();

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx and similar proxies would otherwise hold events back to fill a buffer.
    'x-accel-buffering': 'no',
  });
  res.write(`retry: ${RETRY_MS}\n\n`);

  try {
    await app.live.feed.enqueue(async () => {
      if (res.destroyed) return;
      let replay: FeedEntry[] = [];
      let reset = false;
      if (lastId !== null) {
        replay = await readReplay(app, lastId);
        if (replay.length > MAX_REPLAY) {
          replay = [];
          reset = true;
        }
      }
      if (res.destroyed) return;
      const replayed = new Set(replay.map((entry) => entry.id));
      const connection: LiveConnection = app.live.hub.open({
        res,
        actor,
        unitPath,
        types,
        sessionToken: actor ? (request.cookies[SESSION_COOKIE] ?? null) : null,
      });
      let text = '';
      let replayedCount = 0;
      if (reset) {
        const data: LiveReset = { kind: 'reset', at: new Date().toISOString(), reason: 'too_far_behind' };
        text += sseFrame('reset', data);
      } else if (replay.length > 0) {
        const events = app.live.hub.prepare({ kind: 'catch-up', entries: replay }, new Date());
        // Replayed events go out one by one with their figures folded into one at the end.
        const frames = app.live.hub.framesFor(connection, events, new Map(), new Date());
        text += frames.text;
        replayedCount = frames.count;
      }
      const position = Math.max(app.live.feed.highestId, replay.at(-1)?.id ?? 0, lastId ?? 0);
      const ready: LiveReady = {
        kind: 'ready',
        at: new Date().toISOString(),
        lastEventId: position,
        replayed: replayedCount,
        unitId: query.unitId ?? null,
        audience: actor && actor.roles.length > 0 ? 'staff' : 'public',
        heartbeatSeconds: Math.round(app.config.live.heartbeatMs / 1000),
      };
      text += sseFrame('ready', ready, position);
      if (replayed.size > 0) {
        connection.replayed = replayed;
        setTimeout(() => {
          connection.replayed = null;
        }, REPLAY_DEDUP_MS).unref();
      }
      app.live.hub.write(connection, text);
    });
  } catch (error) {
    request.log.warn({ err: error }, 'live: could not open a stream');
    res.end();
  }
}
