import type { ServerResponse } from 'node:http';
import type { LiveEventType } from '@minqing/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../../policy/index.ts';
import type { CaseCategory } from '../cases/category-store.ts';
import type { FeedBatch } from './journal-feed.ts';
import { isPublicAction, isStreamedAction, seesCaseInFull, seesPatrolInFull } from './policy.ts';
import {
  presentBooksEvent,
  presentCaseEvent,
  presentFiguresEvent,
  presentPatrolEvent,
  sseFrame,
  type Audience,
} from './present-event.ts';
import type { FeedCase, FeedDisclosure, FeedEntry, FeedPatrol } from './repository.ts';

/** One open stream. */
export interface LiveConnection {
  readonly id: number;
  readonly res: ServerResponse;
  actor: Actor | null;
  /** The followed unit's path ('/…/id/'); null follows everything the viewer may see. */
  readonly unitPath: string | null;
  readonly types: ReadonlySet<LiveEventType>;
  /** Entries this stream's replay already sent, for a few seconds after it (bursts heard meanwhile). */
  replayed: Set<number> | null;
  /** When the viewer's session must be looked at again (signed-in viewers only). */
  recheckAt: number;
  readonly sessionToken: string | null;
  readonly openedAt: number;
  bytesSent: number;
}

export interface LiveHubOptions {
  heartbeatMs: number;
  /** A stream with more than this many bytes waiting to be sent is dropped (it reconnects and catches up). */
  maxBufferedBytes: number;
  /** How often a signed-in viewer's session is checked again (roles changed, signed out, timed out). */
  sessionCheckMs: number;
  categories: () => ReadonlyMap<string, CaseCategory>;
  checkSession: (token: string) => Promise<Actor | null>;
  log: FastifyBaseLogger;
}

/** An event prepared once per burst, in each form somebody needs. */
class PreparedEvent {
  private forms: Partial<Record<Audience, string>> = {};

  constructor(
    readonly entry: FeedEntry,
    readonly type: LiveEventType,
    readonly unitPath: string,
    private readonly render: (audience: Audience) => unknown,
    private readonly seesInFull: (actor: Actor | null) => boolean,
    readonly isPublic: boolean,
  ) {}

  /** The frame `actor` gets, or null when they get nothing. */
  frameFor(actor: Actor | null): string | null {
    const audience: Audience = this.seesInFull(actor) ? 'staff' : 'public';
    if (audience === 'public' && !this.isPublic) return null;
    let frame = this.forms[audience];
    if (frame === undefined) {
      frame = sseFrame(this.type, this.render(audience), this.entry.id);
      this.forms[audience] = frame;
    }
    return frame;
  }
}

/**
 * Every open stream of this process and the fan-out of each journal burst to them: each event is
 * rendered at most twice (public and staff form), each stream gets the form its viewer may see, under
 * the unit it follows, in commit order, in one write per burst. Memory stays bounded: a stream that
 * cannot keep up is dropped, and nothing grows with the number of events sent.
 */
export class LiveHub {
  readonly connections = new Set<LiveConnection>();
  private nextId = 1;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Streams dropped because their viewer could not keep up (a figure for benchmarks). */
  dropped = 0;

  constructor(private readonly options: LiveHubOptions) {}

  start(): void {
    this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
    this.heartbeat.unref();
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const connection of this.connections) connection.res.end();
    this.connections.clear();
  }

  open(init: Omit<LiveConnection, 'id' | 'replayed' | 'recheckAt' | 'openedAt' | 'bytesSent'>) {
    const now = Date.now();
    const connection: LiveConnection = {
      ...init,
      id: this.nextId++,
      replayed: null,
      recheckAt: now + this.options.sessionCheckMs,
      openedAt: now,
      bytesSent: 0,
    };
    this.connections.add(connection);
    connection.res.on('close', () => this.connections.delete(connection));
    return connection;
  }

  /** Writes to one stream; drops it when its viewer cannot keep up. Returns whether it is still open. */
  write(connection: LiveConnection, text: string): boolean {
    const { res } = connection;
    if (res.destroyed || res.writableEnded) {
      this.connections.delete(connection);
      return false;
    }
    res.write(text);
    connection.bytesSent += text.length;
    if (res.writableLength > this.options.maxBufferedBytes) {
      this.dropped++;
      this.connections.delete(connection);
      this.options.log.info(
        { stream: connection.id, buffered: res.writableLength },
        'live: dropping a slow stream',
      );
      res.destroy();
      return false;
    }
    return true;
  }

  /** The events of one burst, prepared for fan-out. */
  prepare(batch: FeedBatch, now: Date): PreparedEvent[] {
    const categories = this.options.categories();
    const out: PreparedEvent[] = [];
    for (const entry of batch.entries) {
      if (!isStreamedAction(entry.recordType, entry.action)) continue;
      const isPublic = isPublicAction(entry.recordType, entry.action);
      if (entry.recordType === 'case' && entry.case) {
        const withCase = entry as FeedEntry & { case: FeedCase };
        out.push(
          new PreparedEvent(
            entry,
            'case',
            withCase.case.unit_path,
            (audience) => presentCaseEvent(withCase, audience, { categories, now }),
            (actor) => seesCaseInFull(actor, withCase.case),
            isPublic,
          ),
        );
      } else if (entry.recordType === 'patrol' && entry.patrol) {
        const withPatrol = entry as FeedEntry & { patrol: FeedPatrol };
        out.push(
          new PreparedEvent(
            entry,
            'patrol',
            withPatrol.patrol.unit_path,
            (audience) => presentPatrolEvent(withPatrol, audience),
            (actor) => seesPatrolInFull(actor, withPatrol.patrol),
            isPublic,
          ),
        );
      } else if (entry.recordType === 'finance_disclosure' && entry.disclosure) {
        const withDisclosure = entry as FeedEntry & { disclosure: FeedDisclosure };
        const frame = presentBooksEvent(withDisclosure);
        out.push(
          new PreparedEvent(
            entry,
            'books',
            withDisclosure.disclosure.unit_path,
            () => frame,
            () => false,
            isPublic,
          ),
        );
      }
    }
    return out;
  }

  /** Sends one burst to every stream that may see any of it. */
  deliver(batch: FeedBatch): void {
    if (this.connections.size === 0) return;
    const now = new Date();
    const events = this.prepare(batch, now);
    if (events.length === 0) return;
    const figuresByScope = new Map<string, { lastId: number; frame: string } | null>();
    for (const connection of this.connections) {
      const { text } = this.framesFor(connection, events, figuresByScope, now);
      if (text) this.write(connection, text);
    }
  }

  /** Everything of a burst one stream gets, as one string (events, then one figures event). */
  framesFor(
    connection: LiveConnection,
    events: readonly PreparedEvent[],
    figuresByScope: Map<string, { lastId: number; frame: string } | null>,
    now: Date,
  ): { text: string; count: number } {
    let text = '';
    let count = 0;
    for (const event of events) {
      if (connection.unitPath && !event.unitPath.startsWith(connection.unitPath)) continue;
      if (connection.replayed?.has(event.entry.id)) continue;
      if (!connection.types.has(event.type)) continue;
      const frame = event.frameFor(connection.actor);
      if (frame) {
        text += frame;
        count++;
      }
    }
    if (connection.types.has('figures')) {
      const scope = connection.unitPath ?? '';
      let figures = figuresByScope.get(scope);
      if (figures === undefined) {
        const inScope = events.filter(
          (event) => event.type === 'case' && event.isPublic && event.unitPath.startsWith(scope),
        );
        const lastId = inScope.at(-1)?.entry.id;
        figures =
          lastId === undefined
            ? null
            : {
                lastId,
                frame: sseFrame(
                  'figures',
                  presentFiguresEvent(
                    inScope.map((event) => event.entry),
                    lastId,
                    now,
                  ),
                  lastId,
                ),
              };
        figuresByScope.set(scope, figures);
      }
      if (figures && !connection.replayed?.has(figures.lastId)) text += figures.frame;
    }
    return { text, count };
  }

  /** Tells every stream to start over (the feed missed more than it can read back). */
  resetAll(reason: 'too_far_behind' | 'listener_lost'): void {
    const frame = sseFrame('reset', { kind: 'reset', at: new Date().toISOString(), reason });
    for (const connection of this.connections) this.write(connection, frame);
  }

  /** The heartbeat comment, and the periodic look at signed-in viewers' sessions. */
  private beat(): void {
    const now = Date.now();
    const line = `: hb ${now}\n\n`;
    for (const connection of this.connections) {
      if (!this.write(connection, line)) continue;
      if (connection.sessionToken && connection.recheckAt <= now) {
        connection.recheckAt = now + this.options.sessionCheckMs;
        void this.recheck(connection);
      }
    }
  }

  /**
   * A stream keeps the roles its viewer had; a signed-out or timed-out viewer's stream ends (the
   * browser reconnects as whoever it is now), and changed roles apply from the next event on.
   */
  private async recheck(connection: LiveConnection): Promise<void> {
    try {
      const actor = await this.options.checkSession(connection.sessionToken!);
      if (!actor) {
        this.connections.delete(connection);
        connection.res.end();
      } else {
        connection.actor = actor;
      }
    } catch (error) {
      this.options.log.warn({ err: error }, 'live: could not check a stream’s session');
    }
  }

  /** Streams per audience, and bytes buffered in all of them (figures for benchmarks and health). */
  stats() {
    let buffered = 0;
    let signedIn = 0;
    for (const connection of this.connections) {
      buffered += connection.res.writableLength;
      if (connection.actor) signedIn++;
    }
    return { streams: this.connections.size, signedIn, buffered, dropped: this.dropped };
  }
}
