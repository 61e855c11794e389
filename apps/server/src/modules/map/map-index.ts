import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { CaseCategory } from '../cases/category-store.ts';
import type { FeedBatch, JournalFeed } from '../live/journal-feed.ts';
import { fullPosition, publicPosition, type DrawnPosition } from '../live/positions.ts';
import type { FeedCase } from '../live/repository.ts';
import { mercatorX, mercatorY } from './cluster.ts';
import { loadMapCases } from './repository.ts';

/** States in which a case is on the map (closed ones only for MAP_CLOSED_DAYS after closing). */
const ON_MAP_STATES: ReadonlySet<string> = new Set([
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'handled',
  'follow_up',
  'closed',
]);

/** Buckets of 0.05° (about 5 km): a street spans a handful, a viewport looks only at those it covers. */
const BUCKET_DEGREES = 0.05;
/** How often closed cases past MAP_CLOSED_DAYS are dropped from memory. */
const PRUNE_MS = 10 * 60_000;

export interface DrawnPoint extends DrawnPosition {
  x: number;
  y: number;
}

/** One case on the map: the columns that decide who may see it and where, both drawn forms ready. */
export interface MapEntry {
  row: FeedCase;
  /** Where staff who may open the case see it (exact; the grid centre without a map point). */
  exact: DrawnPoint | null;
  /** Where everyone else sees it: rounded to ~10 m, and at the grid centre for sensitive categories. */
  public: DrawnPoint | null;
  /** The category's sensitivity the public position was computed with. */
  isSensitive: boolean;
  bucket: string | null;
}

function drawn(position: DrawnPosition | null): DrawnPoint | null {
  if (!position) return null;
  return { ...position, x: mercatorX(position.lng), y: mercatorY(position.lat) };
}

function bucketKey(lng: number, lat: number): string {
  return `${Math.floor(lng / BUCKET_DEGREES)}:${Math.floor(lat / BUCKET_DEGREES)}`;
}

/**
 * Every case on the map, in memory, kept current by the journal feed (docs/decisions/0662): loaded once
 * from the database (in the feed's queue, so no burst slips between the load and the first update),
 * then each case entry of every process — heard through LISTEN/NOTIFY — replaces the case's row. A
 * viewport query reads the buckets it covers, never the database. When the feed may have missed
 * entries (reset), the index is dropped and loaded again on the next query.
 */
export class MapIndex {
  private readonly entries = new Map<string, MapEntry>();
  private readonly buckets = new Map<string, Set<MapEntry>>();
  private loaded: Promise<void> | undefined;
  private isReady = false;
  private pruneTimer: NodeJS.Timeout | undefined;
  /** Bumped by reset(): a load that started before it must not mark the index ready. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly feed: JournalFeed,
    private readonly options: {
      closedDays: number;
      categories: () => Promise<ReadonlyMap<string, CaseCategory>>;
      log: FastifyBaseLogger;
    },
  ) {}

  private categories: ReadonlyMap<string, CaseCategory> = new Map();

  /** Subscribes to the feed; the load itself waits for the first query. */
  start(): void {
    this.feed.subscribe((batch) => this.apply(batch));
    this.feed.onReset(() => this.reset());
    this.pruneTimer = setInterval(() => this.prune(new Date()), PRUNE_MS);
    this.pruneTimer.unref();
  }

  stop(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  /** Loads the index if it is not loaded yet; resolves when it is. */
  async ready(): Promise<void> {
    if (this.isReady) return;
    if (!this.loaded) {
      const generation = this.generation;
      const loading = this.feed.enqueue(() => this.load(generation));
      this.loaded = loading.catch((error: unknown) => {
        // A failed load (the database away) is tried again by the next query.
        this.loaded = undefined;
        throw error;
      });
    }
    await this.loaded;
  }

  /** Drops everything; the next query loads again. */
  reset(): void {
    this.generation++;
    this.isReady = false;
    this.loaded = undefined;
    this.entries.clear();
    this.buckets.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private async load(generation: number): Promise<void> {
    this.categories = await this.options.categories();
    const closedSince = new Date(Date.now() - this.options.closedDays * 86_400_000);
    this.entries.clear();
    this.buckets.clear();
    for await (const rows of loadMapCases(this.db, closedSince)) {
      for (const row of rows) this.upsert(row);
    }
    if (generation === this.generation) this.isReady = true;
  }

  private apply(batch: FeedBatch): void {
    if (!this.isReady) return;
    // Refresh the dictionary for the next burst; the cached store answers at once most of the time.
    void this.options
      .categories()
      .then((categories) => {
        this.categories = categories;
      })
      .catch(() => {});
    for (const entry of batch.entries) {
      if (!entry.case) continue;
      const current = this.entries.get(entry.case.id);
      // A burst read the row when it was heard; an older read must not undo a newer one.
      if (current && current.row.journal_seq > entry.case.journal_seq) continue;
      this.upsert(entry.case);
    }
  }

  private isSensitive(code: string): boolean {
    // An unknown category (created since the dictionary was read) is treated as sensitive until known.
    return this.categories.get(code)?.isSensitive ?? true;
  }

  private upsert(row: FeedCase): void {
    this.remove(row.id);
    if (!ON_MAP_STATES.has(row.state)) return;
    // The description is for the feed, not the map: memory per case stays small.
    const compact: FeedCase = { ...row, description: '' };
    const isSensitive = this.isSensitive(row.category_code);
    const exact = drawn(fullPosition(compact));
    const entry: MapEntry = {
      row: compact,
      exact,
      public: drawn(publicPosition(compact, isSensitive)),
      isSensitive,
      bucket: exact ? bucketKey(exact.lng, exact.lat) : null,
    };
    this.entries.set(row.id, entry);
    if (entry.bucket) {
      let members = this.buckets.get(entry.bucket);
      if (!members) {
        members = new Set();
        this.buckets.set(entry.bucket, members);
      }
      members.add(entry);
    }
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    if (entry.bucket) {
      const members = this.buckets.get(entry.bucket);
      members?.delete(entry);
      if (members?.size === 0) this.buckets.delete(entry.bucket);
    }
  }

  /** The public position as the current dictionary says (a category's sensitivity may have changed). */
  publicOf(entry: MapEntry): DrawnPoint | null {
    const isSensitive = this.isSensitive(entry.row.category_code);
    if (isSensitive !== entry.isSensitive) {
      entry.isSensitive = isSensitive;
      entry.public = drawn(publicPosition(entry.row, isSensitive));
    }
    return entry.public;
  }

  /**
   * The cases whose place lies near the viewport (the buckets it touches, plus one bucket around for
   * public positions moved to a grid centre): the caller tests the position each viewer sees.
   */
  *near(bbox: readonly [number, number, number, number]): Generator<MapEntry> {
    const [west, south, east, north] = bbox;
    const x0 = Math.floor(west / BUCKET_DEGREES) - 1;
    const x1 = Math.floor(east / BUCKET_DEGREES) + 1;
    const y0 = Math.floor(south / BUCKET_DEGREES) - 1;
    const y1 = Math.floor(north / BUCKET_DEGREES) + 1;
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > this.buckets.size) {
      // A large viewport: walking the occupied buckets is cheaper than walking the covered ones.
      for (const [key, members] of this.buckets) {
        const [bx, by] = key.split(':').map(Number) as [number, number];
        if (bx >= x0 && bx <= x1 && by >= y0 && by <= y1) yield* members;
      }
    } else {
      for (let bx = x0; bx <= x1; bx++) {
        for (let by = y0; by <= y1; by++) {
          const members = this.buckets.get(`${bx}:${by}`);
          if (members) yield* members;
        }
      }
    }
  }

  /** Every case on the map under a unit path (for grid load and the screen's open cases). */
  *under(path: string): Generator<MapEntry> {
    for (const entry of this.entries.values()) {
      if (entry.row.unit_path.startsWith(path)) yield entry;
    }
  }

  /** Drops closed cases that have aged off the map. */
  prune(now: Date): void {
    const limit = now.getTime() - this.options.closedDays * 86_400_000;
    for (const [id, entry] of this.entries) {
      if (entry.row.state === 'closed' && (entry.row.closed_at?.getTime() ?? 0) < limit) this.remove(id);
    }
  }

  /** Is a closed case still within MAP_CLOSED_DAYS? */
  isShown(entry: MapEntry, now: Date): boolean {
    if (entry.row.state !== 'closed') return true;
    return (entry.row.closed_at?.getTime() ?? 0) >= now.getTime() - this.options.closedDays * 86_400_000;
  }
}
