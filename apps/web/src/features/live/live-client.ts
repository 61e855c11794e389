import { BoundedIdSet } from './bounded-id-set.ts';

export type LiveStatus = 'connecting' | 'open' | 'reconnecting' | 'stopped';

export interface LiveMessage {
  /** The journal entry id (the SSE `id:` line). */
  id: string;
  /** The SSE event name. */
  type: string;
  data: unknown;
}

export interface LiveClientOptions {
  /** The stream's path and query, e.g. /api/live?unitId=… (lastEventId is added on reconnect). */
  url: string;
  /** SSE event names to listen to (EventSource delivers named events only to their own listeners). */
  eventTypes: readonly string[];
  onMessage: (message: LiveMessage) => void;
  onStatus?: (status: LiveStatus) => void;
  /** How many event ids to remember for de-duplication. */
  rememberIds?: number;
  /** First and longest wait between reconnection attempts, in ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** For tests and benchmarks: the EventSource constructor to use. */
  EventSourceImpl?: typeof EventSource;
}

/**
 * A Server-Sent Events client that survives a day on a wall. EventSource reconnects by itself only
 * while the server keeps answering 200; when the server restarts or a proxy answers an error it gives
 * up for good. This client closes the broken stream and opens a new one with exponential backoff and
 * jitter (so a hundred screens do not reconnect in the same second), passes the last id it processed as
 * `lastEventId` so the server replays what was missed, drops replayed events it has already seen, and
 * keeps only a bounded number of ids.
 */
export class LiveClient {
  private source: EventSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = true;
  private readonly seen: BoundedIdSet;
  private lastId: string | null = null;
  private status: LiveStatus = 'stopped';
  private readonly onOnline = () => {
    if (this.stopped || this.status === 'open') return;
    this.attempt = 0;
    this.connect();
  };

  constructor(private readonly options: LiveClientOptions) {
    this.seen = new BoundedIdSet(options.rememberIds ?? 2000);
  }

  get lastEventId(): string | null {
    return this.lastId;
  }

  get currentStatus(): LiveStatus {
    return this.status;
  }

  /** How many ids the de-duplication set holds now (bounded by rememberIds). */
  get rememberedIds(): number {
    return this.seen.size;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closeSource();
    this.setStatus('stopped');
  }

  /** Drops the current stream and connects again now (keeping lastEventId, so nothing is missed). */
  reconnectNow(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.attempt = 0;
    this.connect();
  }

  private connect(): void {
    this.closeSource();
    this.setStatus(this.lastId === null && this.attempt === 0 ? 'connecting' : 'reconnecting');
    const Impl = this.options.EventSourceImpl ?? EventSource;
    const source = new Impl(this.urlWithLastId(), { withCredentials: true });
    this.source = source;
    source.onopen = () => {
      if (this.source !== source) return;
      this.attempt = 0;
      this.setStatus('open');
    };
    source.onerror = () => {
      if (this.source !== source) return;
      // Whatever the browser would do next (retry at once, or give up), we reconnect on our own terms.
      this.closeSource();
      this.scheduleReconnect();
    };
    const handle = (event: MessageEvent<string>) => {
      if (this.source !== source) return;
      this.receive(event);
    };
    source.onmessage = handle;
    for (const type of this.options.eventTypes) source.addEventListener(type, handle as EventListener);
  }

  private receive(event: MessageEvent<string>): void {
    const id = event.lastEventId;
    if (id) {
      // One journal entry can give several events of different kinds: the pair is what is unique.
      if (!this.seen.add(`${event.type}:${id}`)) return; // replayed after a reconnect: already shown
      // Replays overlap and may come out of id order: resume from the furthest point reached.
      if (this.lastId === null || Number(id) > Number(this.lastId)) this.lastId = id;
    }
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      return; // not ours to show
    }
    this.options.onMessage({ id, type: event.type, data });
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.setStatus('reconnecting');
    const min = this.options.minDelayMs ?? 1000;
    const max = this.options.maxDelayMs ?? 30_000;
    const ceiling = Math.min(max, min * 2 ** this.attempt);
    const delay = Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
    this.attempt = Math.min(this.attempt + 1, 16);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  private urlWithLastId(): string {
    if (this.lastId === null) return this.options.url;
    const [path, search = ''] = this.options.url.split('?', 2) as [string, string?];
    const params = new URLSearchParams(search);
    params.set('lastEventId', this.lastId);
    return `${path}?${params.toString()}`;
  }

  private closeSource(): void {
    if (!this.source) return;
    this.source.onopen = null;
    this.source.onerror = null;
    this.source.onmessage = null;
    this.source.close();
    this.source = null;
  }

  private setStatus(status: LiveStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.options.onStatus?.(status);
  }
}
