import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database.ts';
import type { CaseCategory } from '../cases/category-store.ts';
import type { FeedBatch, JournalFeed } from '../live/journal-feed.ts';
import { fullPosition, publicPosition, type DrawnPosition } from '../live/positions.ts';
import { SUPERVISED_STATES } from '../cases/state-machine.ts';
import { isCaseOverdue } from '../live/present-event.ts';
import type { FeedCase } from '../live/repository.ts';
import { CellPyramid, STATE_INDEX, type CellPoint } from './cells.ts';
import { FeedProjection } from './feed-projection.ts';
import { isOpen } from './deadlines.ts';
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

/**
 * Buckets of 0.001° (about 100 m): a viewport at a building's zoom touches a handful and walks only the
 * cases there; a street-wide viewport walks the occupied buckets instead of the covered ones.
 */
const BUCKET_DEGREES = 0.001;
/** Bucket keys are numbers: x · 2^20 + y, with x and y counted from -180° and -90°. */
const BUCKET_SHIFT = 2 ** 20;
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
  /** The deadline that makes it overdue (ms; null when its stage has none): read as a number, often. */
  overdueAfter: number | null;
  /** When a closed case leaves the map (ms; Infinity while open). */
  hideAfter: number;
  /** The bucket of the exact position and of the public one (null: not drawn in that form). */
  exactBucket: number | null;
  publicBucket: number | null;
  /** Where the entry sits in those buckets (swap-removal keeps them dense). */
  exactSlot: number;
  publicSlot: number;
  /** What the case adds to its street's cell aggregates now (null: not shown at the index's clock). */
  contribution: Contribution | null;
}

/** A case's share of the cell aggregates, kept so it can be taken back exactly as it was added. */
export interface Contribution {
  streetId: string;
  state: number;
  overdue: boolean;
  public: CellPoint | null;
  exact: CellPoint | null;
}

/** The cell aggregates of one street: by public position and by exact position. */
export interface StreetCells {
  public: CellPyramid<MapEntry>;
  exact: CellPyramid<MapEntry>;
}

/** A moment at which a case's contribution changes by itself (it turns overdue, or ages off the map). */
interface TimeEvent {
  at: number;
  entry: MapEntry;
}

/** A binary min-heap of time events. */
class Timeline {
  private readonly items: TimeEvent[] = [];

  get next(): number {
    return this.items[0]?.at ?? Infinity;
  }

  push(item: TimeEvent): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= item.at) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  pop(): TimeEvent | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && items[right]!.at < items[left]!.at ? right : left;
      if (items[child]!.at >= last.at) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

function drawn(position: DrawnPosition | null): DrawnPoint | null {
  if (!position) return null;
  return { ...position, x: mercatorX(position.lng), y: mercatorY(position.lat) };
}

function bucketX(lng: number): number {
  return Math.floor((lng + 180) / BUCKET_DEGREES);
}

function bucketY(lat: number): number {
  return Math.floor((lat + 90) / BUCKET_DEGREES);
}

function bucketKey(point: DrawnPoint | null): number | null {
  return point ? bucketX(point.lng) * BUCKET_SHIFT + bucketY(point.lat) : null;
}

/**
 * The cases of one bucket in one form, with their positions side by side in a plain array of numbers
 * (lng, lat, lng, lat …): a viewport's walk tests the positions in contiguous memory and touches a
 * case's objects only when its position is in view.
 */
export class Bucket {
  readonly entries: MapEntry[] = [];
  readonly coords: number[] = [];

  add(entry: MapEntry, point: DrawnPoint): number {
    this.entries.push(entry);
    this.coords.push(point.lng, point.lat);
    return this.entries.length - 1;
  }

  /** Removes the entry at `slot`; the last one moves into it (its new slot is returned to fix up). */
  remove(slot: number): MapEntry | undefined {
    const last = this.entries.length - 1;
    const moved = this.entries[last]!;
    this.entries[slot] = moved;
    this.coords[2 * slot] = this.coords[2 * last]!;
    this.coords[2 * slot + 1] = this.coords[2 * last + 1]!;
    this.entries.pop();
    this.coords.length = 2 * last;
    return slot === last ? undefined : moved;
  }

  get size(): number {
    return this.entries.length;
  }
}

function addTo(
  buckets: Map<number, Bucket>,
  key: number,
  entry: MapEntry,
  point: DrawnPoint,
  form: 'exact' | 'public',
): void {
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = new Bucket();
    buckets.set(key, bucket);
  }
  const slot = bucket.add(entry, point);
  if (form === 'exact') entry.exactSlot = slot;
  else entry.publicSlot = slot;
}

function removeFrom(
  buckets: Map<number, Bucket>,
  key: number,
  entry: MapEntry,
  form: 'exact' | 'public',
): void {
  const bucket = buckets.get(key);
  if (!bucket) return;
  const moved = bucket.remove(form === 'exact' ? entry.exactSlot : entry.publicSlot);
  if (moved) {
    if (form === 'exact') moved.exactSlot = entry.exactSlot;
    else moved.publicSlot = entry.publicSlot;
  }
  if (bucket.size === 0) buckets.delete(key);
}

/** Cases of one grid share their ids, path, names and codes: one copy of each string, not one per case. */
class Interner {
  private readonly strings = new Map<string, string>();

  of<T extends string | null>(value: T): T {
    if (value === null) return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    this.strings.set(value, value);
    return value;
  }

  clear(): void {
    this.strings.clear();
  }
}

/** The open cases of one unit (a grid, or a community for cases without a grid) and their deadlines. */
export interface UnitLoad {
  gridId: string | null;
  /** Open cases (every state before closing, follow-up included). */
  open: number;
  /** The deadlines of the open cases in a supervised stage, ascending (ms): overdue and amber by search. */
  dues: number[];
}

/** The position of the first element of an ascending array that is ≥ `value` (or > with `after`). */
export function lowerBound(sorted: readonly number[], value: number, after = false): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (after ? sorted[middle]! <= value : sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Every case on the map, in memory, kept current by the journal feed (docs/decisions/0662): loaded once
 * from the database (in the feed's queue, so no burst slips between the load and the first update),
 * then each case entry of every process — heard through LISTEN/NOTIFY — replaces the case's row. A
 * viewport query reads the buckets it covers, never the database. When the feed may have missed
 * entries (reset), the index is dropped and loaded again on the next query.
 */
export class MapIndex extends FeedProjection {
  private readonly entries = new Map<string, MapEntry>();
  /** Cases by the bucket of their exact position, and by the bucket of their public position. */
  private readonly exactBuckets = new Map<number, Bucket>();
  private readonly publicBuckets = new Map<number, Bucket>();
  /** Open cases by unit path (grids, and communities for cases without a grid): the grids' load. */
  private readonly loads = new Map<string, UnitLoad>();
  private readonly strings = new Interner();
  /** Cell aggregates by street (docs/decisions/0666), kept with every change of a case and of the clock. */
  private readonly cells = new Map<string, StreetCells>();
  private readonly timeline = new Timeline();
  /** The time the contributions were computed for; only moves forward. */
  clock = 0;
  /** Bumped on every change of what the index would answer: cached answers of an older version are stale. */
  version = 0;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    feed: JournalFeed,
    private readonly options: {
      closedDays: number;
      categories: () => Promise<ReadonlyMap<string, CaseCategory>>;
      log: FastifyBaseLogger;
    },
  ) {
    super(feed);
  }

  private categories: ReadonlyMap<string, CaseCategory> = new Map();

  /** Subscribes to the feed; the load waits for ready(). */
  start(): void {
    this.subscribe();
    this.pruneTimer = setInterval(() => this.prune(new Date()), PRUNE_MS);
    this.pruneTimer.unref();
  }

  stop(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  protected clear(): void {
    this.entries.clear();
    this.exactBuckets.clear();
    this.publicBuckets.clear();
    this.loads.clear();
    this.strings.clear();
    this.cells.clear();
    this.timeline.clear();
    this.version++;
  }

  get size(): number {
    return this.entries.size;
  }

  protected async load(): Promise<void> {
    this.categories = await this.options.categories();
    const closedSince = new Date(Date.now() - this.options.closedDays * 86_400_000);
    this.clock = Math.max(this.clock, Date.now());
    for await (const rows of loadMapCases(this.db, closedSince)) {
      for (const row of rows) this.upsert(row);
    }
  }

  protected apply(batch: FeedBatch): void {
    // Refresh the dictionary for the next burst; the cached store answers at once most of the time.
    void this.options
      .categories()
      .then((categories) => {
        this.categories = categories;
      })
      .catch(() => {});
    this.advance(Date.now());
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
    const compact = this.compact(row);
    const isSensitive = this.isSensitive(row.category_code);
    const exact = drawn(fullPosition(compact));
    const entry: MapEntry = {
      row: compact,
      exact,
      public: drawn(publicPosition(compact, isSensitive)),
      isSensitive,
      overdueAfter:
        compact.due_at && SUPERVISED_STATES.includes(compact.state) ? compact.due_at.getTime() : null,
      hideAfter:
        compact.state === 'closed'
          ? (compact.closed_at?.getTime() ?? 0) + this.options.closedDays * 86_400_000
          : Infinity,
      exactBucket: null,
      publicBucket: null,
      exactSlot: -1,
      publicSlot: -1,
      contribution: null,
    };
    this.contribute(entry);
    this.entries.set(row.id, entry);
    this.place(entry);
    this.addLoad(compact);
  }

  /**
   * The row as the index keeps it: without the description (for the feed, not the map) and with the
   * strings its grid's cases share taken from one copy — a third of the memory a case would take.
   */
  private compact(row: FeedCase): FeedCase {
    const s = this.strings;
    return {
      id: row.id,
      code: row.code,
      state: s.of(row.state),
      street_id: s.of(row.street_id),
      community_id: s.of(row.community_id),
      grid_id: s.of(row.grid_id),
      unit_path: s.of(row.unit_path),
      source: s.of(row.source),
      org_id: s.of(row.org_id),
      dispatched_at: row.dispatched_at,
      assignee_id: s.of(row.assignee_id),
      reporter_id: s.of(row.reporter_id),
      handled_by: s.of(row.handled_by),
      escalated_to_unit_id: s.of(row.escalated_to_unit_id),
      category_code: s.of(row.category_code),
      priority: s.of(row.priority),
      lng: row.lng,
      lat: row.lat,
      due_at: row.due_at,
      closed_at: row.closed_at,
      reported_at: row.reported_at,
      description: '',
      journal_seq: row.journal_seq,
      is_handled: row.is_handled,
      is_reworked: row.is_reworked,
      is_closed_on_time: row.is_closed_on_time,
      rating: s.of(row.rating),
      grid_name: s.of(row.grid_name),
      centre_lng: row.centre_lng,
      centre_lat: row.centre_lat,
    };
  }

  /** Puts the entry into the buckets of its two positions. */
  private place(entry: MapEntry): void {
    entry.exactBucket = bucketKey(entry.exact);
    entry.publicBucket = bucketKey(entry.public);
    if (entry.exactBucket !== null) addTo(this.exactBuckets, entry.exactBucket, entry, entry.exact!, 'exact');
    if (entry.publicBucket !== null) {
      addTo(this.publicBuckets, entry.publicBucket, entry, entry.public!, 'public');
    }
  }

  private unplace(entry: MapEntry): void {
    if (entry.exactBucket !== null) removeFrom(this.exactBuckets, entry.exactBucket, entry, 'exact');
    if (entry.publicBucket !== null) removeFrom(this.publicBuckets, entry.publicBucket, entry, 'public');
    entry.exactBucket = null;
    entry.publicBucket = null;
  }

  private addLoad(row: FeedCase): void {
    if (!isOpen(row)) return;
    let load = this.loads.get(row.unit_path);
    if (!load) {
      load = { gridId: row.grid_id, open: 0, dues: [] };
      this.loads.set(row.unit_path, load);
    }
    load.open++;
    if (row.due_at && SUPERVISED_STATES.includes(row.state)) {
      const due = row.due_at.getTime();
      load.dues.splice(lowerBound(load.dues, due), 0, due);
    }
  }

  private removeLoad(row: FeedCase): void {
    if (!isOpen(row)) return;
    const load = this.loads.get(row.unit_path);
    if (!load) return;
    load.open--;
    if (row.due_at && SUPERVISED_STATES.includes(row.state)) {
      const at = lowerBound(load.dues, row.due_at.getTime());
      if (load.dues[at] === row.due_at.getTime()) load.dues.splice(at, 1);
    }
    if (load.open === 0) this.loads.delete(row.unit_path);
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.withdraw(entry);
    this.entries.delete(id);
    this.unplace(entry);
    this.removeLoad(entry.row);
  }

  /** The public position as the current dictionary says (a category's sensitivity may have changed). */
  publicOf(entry: MapEntry): DrawnPoint | null {
    const isSensitive = this.isSensitive(entry.row.category_code);
    if (isSensitive !== entry.isSensitive) {
      this.withdraw(entry);
      this.unplace(entry);
      entry.isSensitive = isSensitive;
      entry.public = drawn(publicPosition(entry.row, isSensitive));
      this.place(entry);
      this.contribute(entry);
    }
    return entry.public;
  }

  /**
   * Takes up the dictionary a query read: when a category's sensitivity changed, the public positions
   * of its cases move (and with them the public cells). Cheap when the dictionary is the same object.
   */
  syncCategories(categories: ReadonlyMap<string, CaseCategory>): void {
    if (categories === this.categories) return;
    const previous = this.categories;
    this.categories = categories;
    const changed = new Set<string>();
    for (const code of new Set([...previous.keys(), ...categories.keys()])) {
      if ((previous.get(code)?.isSensitive ?? true) !== (categories.get(code)?.isSensitive ?? true)) {
        changed.add(code);
      }
    }
    if (changed.size === 0) return;
    for (const entry of this.entries.values()) {
      if (changed.has(entry.row.category_code)) this.publicOf(entry);
    }
  }

  /** The cell aggregates of a street (empty pyramids if it has no case on the map). */
  cellsOf(streetId: string): StreetCells {
    let cells = this.cells.get(streetId);
    if (!cells) {
      cells = { public: new CellPyramid(), exact: new CellPyramid() };
      this.cells.set(streetId, cells);
    }
    return cells;
  }

  /** The next moment a case's contribution changes by the clock alone (Infinity if none). */
  get nextChange(): number {
    return this.timeline.next;
  }

  /** The streets that have cell aggregates. */
  streetIds(): string[] {
    return [...this.cells.keys()];
  }

  /**
   * Brings the contributions to `now` (cases turned overdue, closed cases aged off the map). False when
   * `now` lies before the index's clock: the caller then walks the cases instead of reading the cells.
   */
  advance(now: number): boolean {
    if (now < this.clock) return false;
    while (this.timeline.next < now) {
      const { entry } = this.timeline.pop()!;
      // An event of a case replaced or removed since is void.
      if (this.entries.get(entry.row.id) !== entry) continue;
      this.withdraw(entry);
      this.contribute(entry, now);
    }
    this.clock = now;
    return true;
  }

  private contribute(entry: MapEntry, at = this.clock): void {
    const row = entry.row;
    this.version++;
    const state = STATE_INDEX.get(row.state);
    const hideAt =
      row.state === 'closed'
        ? (row.closed_at?.getTime() ?? 0) + this.options.closedDays * 86_400_000
        : Infinity;
    if (state === undefined || at > hideAt) return;
    const overdue = isCaseOverdue(row, new Date(at));
    const contribution: Contribution = {
      streetId: row.street_id,
      state,
      overdue,
      public: entry.public,
      exact: entry.exact,
    };
    entry.contribution = contribution;
    const cells = this.cellsOf(row.street_id);
    if (contribution.public) cells.public.add(contribution.public, entry, state, overdue);
    if (contribution.exact) cells.exact.add(contribution.exact, entry, state, overdue);
    if (hideAt !== Infinity) this.timeline.push({ at: hideAt, entry });
    const due = row.due_at?.getTime();
    if (due !== undefined && !overdue && due >= at && due < hideAt) this.timeline.push({ at: due, entry });
  }

  private withdraw(entry: MapEntry): void {
    const contribution = entry.contribution;
    if (!contribution) return;
    this.version++;
    entry.contribution = null;
    const cells = this.cellsOf(contribution.streetId);
    const { state, overdue } = contribution;
    if (contribution.public) cells.public.remove(contribution.public, entry, state, overdue);
    if (contribution.exact) cells.exact.remove(contribution.exact, entry, state, overdue);
  }

  /**
   * The cases whose exact (or public) position may lie in the viewport: the buckets it covers. The
   * caller tests the position each viewer sees.
   */
  near(bbox: readonly [number, number, number, number], form: 'exact' | 'public'): Bucket[] {
    const buckets = form === 'exact' ? this.exactBuckets : this.publicBuckets;
    const [west, south, east, north] = bbox;
    const x0 = bucketX(west);
    const x1 = bucketX(east);
    const y0 = bucketY(south);
    const y1 = bucketY(north);
    const found: Bucket[] = [];
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > buckets.size) {
      // A large viewport: walking the occupied buckets is cheaper than walking the covered ones.
      for (const [key, members] of buckets) {
        const bx = Math.floor(key / BUCKET_SHIFT);
        const by = key - bx * BUCKET_SHIFT;
        if (bx >= x0 && bx <= x1 && by >= y0 && by <= y1) found.push(members);
      }
    } else {
      for (let bx = x0; bx <= x1; bx++) {
        for (let by = y0; by <= y1; by++) {
          const members = buckets.get(bx * BUCKET_SHIFT + by);
          if (members) found.push(members);
        }
      }
    }
    return found;
  }

  /** The open-case load of every unit under a path (grids, and communities for cases without a grid). */
  *loadsUnder(path: string): Generator<UnitLoad> {
    for (const [unitPath, load] of this.loads) {
      if (unitPath.startsWith(path)) yield load;
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
  isShown(entry: MapEntry, now: number): boolean {
    return entry.hideAfter >= now;
  }

  /** Is the case past the deadline of its supervised stage (live/present-event isCaseOverdue)? */
  isOverdue(entry: MapEntry, now: number): boolean {
    return entry.overdueAfter !== null && entry.overdueAfter < now;
  }
}
