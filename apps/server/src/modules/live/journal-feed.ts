import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/database.ts';
import {
  journalHead,
  LIVE_RECORD_TYPES,
  readEntriesAfter,
  readEntriesByIds,
  replayStart,
  type FeedEntry,
} from './repository.ts';

/** The NOTIFY channel of committed journal entries (migration 0002's trigger). */
export const JOURNAL_CHANNEL = 'minqing_journal';

export interface FeedBatch {
  /** live: heard through NOTIFY, in commit order; catch-up: read back after the listener reconnected. */
  kind: 'live' | 'catch-up';
  entries: FeedEntry[];
}

export type FeedSubscriber = (batch: FeedBatch) => void;
/** Told when the feed may have missed more than a catch-up reads back: subscribers start over. */
export type ResetSubscriber = (reason: 'too_far_behind' | 'listener_lost') => void;

export interface JournalFeedOptions {
  /** Notifications arriving within this many ms are fetched together (one query per burst). */
  burstMs?: number;
  /** At most this many entries per query. */
  maxBatch?: number;
  /** How far before the last entry a catch-up or replay looks for entries committed out of id order. */
  overlapSeconds?: number;
  /** How many entries a catch-up reads back before it gives up and tells subscribers to start over. */
  maxCatchUp?: number;
}

interface Notice {
  id: number;
  type: string;
}

/** Remembers the last `capacity` entry ids handed out, so a catch-up does not repeat them. */
class RecentIds {
  private readonly ids = new Set<number>();
  private readonly order: number[] = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  has(id: number): boolean {
    return this.ids.has(id);
  }

  add(id: number): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    this.order.push(id);
    if (this.order.length - this.head > this.capacity) {
      this.ids.delete(this.order[this.head]!);
      this.head++;
      // Compact now and then so the array does not keep every id of a day-long run.
      if (this.head > this.capacity) {
        this.order.splice(0, this.head);
        this.head = 0;
      }
    }
  }

  get size(): number {
    return this.ids.size;
  }
}

/**
 * The process's one ear on the journal: a single LISTEN on minqing_journal (PGlite and PostgreSQL
 * alike), notifications gathered into bursts, each burst fetched in one query together with the current
 * rows of its records, and handed to subscribers (the SSE hub, the map index) in commit order. When the
 * PostgreSQL LISTEN connection was lost and comes back, the entries committed meanwhile are read back
 * from the journal (catch-up), so nothing is skipped. Everything runs in one serial queue: a burst is
 * delivered whole before the next starts, and work other modules queue (a replay) sits between bursts.
 */
export class JournalFeed {
  private readonly subscribers = new Set<FeedSubscriber>();
  private readonly resetSubscribers = new Set<ResetSubscriber>();
  private pending: Notice[] = [];
  private burstTimer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly recent = new RecentIds(20_000);
  private unlisten: (() => Promise<void>) | undefined;
  private closed = false;
  /** The highest entry id heard of or read (any record type): where a new stream starts. */
  private highest = 0;
  private readonly burstMs: number;
  private readonly maxBatch: number;
  readonly overlapSeconds: number;
  private readonly maxCatchUp: number;
  /** Entries handed to subscribers since start (a figure for benchmarks and health). */
  delivered = 0;

  constructor(
    private readonly database: Database,
    private readonly log: FastifyBaseLogger,
    options: JournalFeedOptions = {},
  ) {
    this.burstMs = options.burstMs ?? 15;
    this.maxBatch = options.maxBatch ?? 500;
    this.overlapSeconds = options.overlapSeconds ?? 60;
    this.maxCatchUp = options.maxCatchUp ?? 5_000;
  }

  get highestId(): number {
    return this.highest;
  }

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(JOURNAL_CHANNEL, (payload) => this.hear(payload));
    // Only after LISTEN: anything committed from here on is either below the head or will be heard.
    this.highest = Math.max(this.highest, await journalHead(this.database.db));
    this.database.onListenReconnect(() => {
      if (!this.closed) this.catchUp();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.burstTimer) clearTimeout(this.burstTimer);
    await this.unlisten?.();
    await this.tail.catch(() => {});
  }

  subscribe(subscriber: FeedSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  onReset(subscriber: ResetSubscriber): () => void {
    this.resetSubscribers.add(subscriber);
    return () => this.resetSubscribers.delete(subscriber);
  }

  /**
   * Runs `work` in the feed's serial queue: after every burst heard before, before every burst heard
   * after. A stream's replay runs here, so its replayed events and the live ones never interleave.
   */
  enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => {});
    return run;
  }

  /** Waits until everything heard so far has been delivered (tests and benchmarks). */
  async settle(): Promise<void> {
    if (this.burstTimer) {
      clearTimeout(this.burstTimer);
      this.burstTimer = undefined;
      this.flush();
    }
    await this.tail;
  }

  private hear(payload: string): void {
    let notice: Notice;
    try {
      const parsed = JSON.parse(payload) as { id?: unknown; type?: unknown };
      notice = { id: Number(parsed.id), type: String(parsed.type) };
    } catch {
      return;
    }
    if (!Number.isSafeInteger(notice.id)) return;
    if (notice.id > this.highest) this.highest = notice.id;
    if (!(LIVE_RECORD_TYPES as readonly string[]).includes(notice.type)) return;
    this.pending.push(notice);
    if (this.pending.length >= this.maxBatch) {
      if (this.burstTimer) clearTimeout(this.burstTimer);
      this.burstTimer = undefined;
      this.flush();
    } else {
      this.burstTimer ??= setTimeout(() => {
        this.burstTimer = undefined;
        this.flush();
      }, this.burstMs);
    }
  }

  private flush(): void {
    const notices = this.pending;
    this.pending = [];
    if (notices.length === 0) return;
    void this.enqueue(() => this.deliverBurst(notices));
  }

  private async deliverBurst(notices: Notice[]): Promise<void> {
    const ids = notices.map((notice) => notice.id).filter((id) => !this.recent.has(id));
    if (ids.length === 0) return;
    let entries: FeedEntry[];
    try {
      entries = await readEntriesByIds(this.database.db, ids);
    } catch (error) {
      if (this.closed) return;
      // The database is away (restarting, a lost connection): catch up from the journal when it answers.
      this.log.warn(
        { err: error, entries: ids.length },
        'live: could not read journal entries; catching up later',
      );
      this.scheduleCatchUp(ids[0]! - 1);
      return;
    }
    // Commit order is the order of the notifications, not of the ids.
    const position = new Map(ids.map((id, index) => [id, index]));
    entries.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
    this.emit({ kind: 'live', entries });
  }

  private emit(batch: FeedBatch): void {
    const fresh = batch.entries.filter((entry) => !this.recent.has(entry.id));
    if (fresh.length === 0) return;
    for (const entry of fresh) {
      this.recent.add(entry.id);
      if (entry.id > this.highest) this.highest = entry.id;
    }
    this.delivered += fresh.length;
    for (const subscriber of this.subscribers) {
      try {
        subscriber({ kind: batch.kind, entries: fresh });
      } catch (error) {
        this.log.error({ err: error }, 'live: a journal subscriber failed');
      }
    }
  }

  private retryTimer: NodeJS.Timeout | undefined;
  private catchUpFrom: number | undefined;

  private scheduleCatchUp(fromId: number): void {
    this.catchUpFrom = Math.min(this.catchUpFrom ?? fromId, fromId);
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.catchUp();
    }, 1_000);
    this.retryTimer.unref();
  }

  /**
   * Reads back what may have been missed while the listener was away: entries after the overlap window
   * before the highest id known, less those already delivered, in id order.
   */
  catchUp(): void {
    const known = Math.min(this.catchUpFrom ?? this.highest, this.highest);
    this.catchUpFrom = undefined;
    void this.enqueue(async () => {
      try {
        const start = await replayStart(this.database.db, known, this.overlapSeconds);
        let after = start;
        let read = 0;
        for (;;) {
          const entries = await readEntriesAfter(this.database.db, after, this.maxBatch);
          if (entries.length === 0) break;
          read += entries.length;
          after = entries.at(-1)!.id;
          this.emit({ kind: 'catch-up', entries });
          if (read >= this.maxCatchUp) {
            this.log.warn({ read }, 'live: too much to catch up; telling streams to start over');
            this.highest = Math.max(this.highest, await journalHead(this.database.db));
            for (const subscriber of this.resetSubscribers) subscriber('too_far_behind');
            break;
          }
          if (entries.length < this.maxBatch) break;
        }
      } catch (error) {
        if (this.closed) return;
        this.log.warn({ err: error }, 'live: catch-up failed; retrying');
        this.scheduleCatchUp(known);
      }
    });
  }

  /** How many entry ids the feed remembers (bounded; a figure for the day-long benchmark). */
  get rememberedIds(): number {
    return this.recent.size;
  }
}
