import { CASE_SOURCES } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { CHINA_OFFSET_MS } from '../calendar/working-time.ts';
import { EMPTY_COUNTS, type CaseCounts } from '../figures/formulas.ts';
import type { FeedBatch, JournalFeed } from '../live/journal-feed.ts';
import type { FeedCase } from '../live/repository.ts';
import { FeedProjection } from './feed-projection.ts';
import { loadCountedCases } from './repository.ts';

const DAY_MS = 86_400_000;
/**
 * How many China days back a case is counted: this month (at most 31 days) and the 30-day cohort of the
 * screen's gauges, with room for the month to turn without a reload.
 */
export const COUNTED_DAYS = 62;
/** How often cases that left the window are dropped. */
const PRUNE_MS = 60 * 60_000;

/** The China day of an instant (days since 1970-01-01 in China time). */
export function chinaDay(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS);
}

const SOURCE_INDEX: ReadonlyMap<string, number> = new Map(CASE_SOURCES.map((source, i) => [source, i]));

/** What one case adds to the counters of its unit: by the day it was reported and the day it closed. */
interface CountedCase {
  journalSeq: number;
  unitPath: string;
  reportedDay: number;
  /** The day it closed, when it is closed now. */
  closedDay: number | null;
  source: number;
  category: string;
  /** Not rejected or merged: in the cohort that must be closed (docs/kpis.md). */
  isLive: boolean;
  isHandled: boolean;
  isReworked: boolean;
  isClosedOnTime: boolean;
  rating: string | null;
}

/** The counts of one unit on one day. */
interface DayCounts {
  /** Reported that day, in any state. */
  received: number;
  /** Closed that day (and closed now). */
  closed: number;
  bySource: number[];
  byCategory: Map<string, number>;
  /** The figures of the cases reported that day (the cohort's counts, docs/kpis.md). */
  cohort: Pick<
    CaseCounts,
    'due' | 'closedOnTime' | 'handled' | 'reworked' | 'followUps' | 'satisfied' | 'basicallySatisfied'
  >;
}

function newDay(): DayCounts {
  return {
    received: 0,
    closed: 0,
    bySource: CASE_SOURCES.map(() => 0),
    byCategory: new Map(),
    cohort: {
      due: 0,
      closedOnTime: 0,
      handled: 0,
      reworked: 0,
      followUps: 0,
      satisfied: 0,
      basicallySatisfied: 0,
    },
  };
}

/** The screen's period counts and gauges of an area, as of `today` (a China day). */
export interface CountedFigures {
  receivedToday: number;
  receivedMonth: number;
  closedToday: number;
  closedMonth: number;
  /** Reported this month, by source (CASE_SOURCES order) and by category. */
  sources: Map<string, number>;
  categories: { code: string; count: number }[];
  /** The counts of the cohort reported in the 30 days up to today. */
  cohort: CaseCounts;
}

/**
 * The big screen's counters (docs/decisions/0120): the cases reported or closed in the last two months,
 * by unit and China day, kept current by the journal feed like the map index — so the screen's today,
 * month, sources, categories and 30-day gauges are sums over a few thousand day cells, never a scan of
 * the cases table. Each case's share is kept so that a change takes back exactly what it had added.
 */
export class ScreenCounters extends FeedProjection {
  private readonly cases = new Map<string, CountedCase>();
  private readonly units = new Map<string, Map<number, DayCounts>>();
  private readonly paths = new Map<string, string>();
  private pruneTimer: NodeJS.Timeout | undefined;
  /** The first day counted (moves with the prune). */
  private firstDay = 0;

  constructor(
    private readonly db: Db,
    feed: JournalFeed,
  ) {
    super(feed);
  }

  start(): void {
    this.subscribe();
    this.pruneTimer = setInterval(() => this.prune(Date.now()), PRUNE_MS);
    this.pruneTimer.unref();
  }

  stop(): void {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
  }

  get size(): number {
    return this.cases.size;
  }

  protected clear(): void {
    this.cases.clear();
    this.units.clear();
    this.paths.clear();
  }

  protected async load(): Promise<void> {
    this.firstDay = chinaDay(Date.now()) - COUNTED_DAYS;
    const since = new Date(this.firstDay * DAY_MS - CHINA_OFFSET_MS);
    for await (const rows of loadCountedCases(this.db, since)) {
      for (const row of rows) this.upsert(row);
    }
  }

  protected apply(batch: FeedBatch): void {
    for (const entry of batch.entries) {
      if (entry.case) this.upsert(entry.case);
    }
  }

  private upsert(row: FeedCase): void {
    const current = this.cases.get(row.id);
    // A burst read the row when it was heard; an older read must not undo a newer one.
    if (current && current.journalSeq > row.journal_seq) return;
    if (current) this.count(current, -1);
    const counted = this.counted(row);
    if (counted) {
      this.cases.set(row.id, counted);
      this.count(counted, 1);
    } else {
      this.cases.delete(row.id);
    }
  }

  /** The case's share, or null when neither its report nor its closing falls in the window. */
  private counted(row: FeedCase): CountedCase | null {
    const reportedDay = chinaDay(row.reported_at.getTime());
    const closedDay = row.state === 'closed' && row.closed_at ? chinaDay(row.closed_at.getTime()) : null;
    if (reportedDay < this.firstDay && (closedDay === null || closedDay < this.firstDay)) return null;
    let unitPath = this.paths.get(row.unit_path);
    if (unitPath === undefined) {
      unitPath = row.unit_path;
      this.paths.set(unitPath, unitPath);
    }
    const isLive = row.state !== 'rejected' && row.state !== 'merged';
    return {
      journalSeq: row.journal_seq,
      unitPath,
      reportedDay,
      closedDay,
      source: SOURCE_INDEX.get(row.source) ?? -1,
      category: row.category_code,
      isLive,
      isHandled: isLive && row.is_handled,
      isReworked: isLive && row.is_reworked,
      isClosedOnTime: row.is_closed_on_time,
      rating: row.rating,
    };
  }

  private day(unitPath: string, day: number): DayCounts {
    let days = this.units.get(unitPath);
    if (!days) {
      days = new Map();
      this.units.set(unitPath, days);
    }
    let counts = days.get(day);
    if (!counts) {
      counts = newDay();
      days.set(day, counts);
    }
    return counts;
  }

  /** Adds (sign 1) or takes back (sign -1) a case's share. */
  private count(item: CountedCase, sign: 1 | -1): void {
    if (item.reportedDay >= this.firstDay) {
      const day = this.day(item.unitPath, item.reportedDay);
      day.received += sign;
      if (item.source >= 0) day.bySource[item.source]! += sign;
      day.byCategory.set(item.category, (day.byCategory.get(item.category) ?? 0) + sign);
      const cohort = day.cohort;
      if (item.isLive) cohort.due += sign;
      if (item.isClosedOnTime) cohort.closedOnTime += sign;
      if (item.isHandled) cohort.handled += sign;
      if (item.isReworked) cohort.reworked += sign;
      if (item.rating !== null) cohort.followUps += sign;
      if (item.rating === 'satisfied') cohort.satisfied += sign;
      if (item.rating === 'basically_satisfied') cohort.basicallySatisfied += sign;
    }
    if (item.closedDay !== null && item.closedDay >= this.firstDay) {
      this.day(item.unitPath, item.closedDay).closed += sign;
    }
  }

  /** Drops the days and the cases that left the window. */
  prune(now: number): void {
    const firstDay = chinaDay(now) - COUNTED_DAYS;
    if (firstDay <= this.firstDay) return;
    for (const [id, item] of this.cases) {
      if (item.reportedDay < firstDay && (item.closedDay === null || item.closedDay < firstDay)) {
        this.cases.delete(id);
      }
    }
    // Counts of days before the window are dropped whole; a case still counted for its closing keeps
    // only that part (its report day is gone with its day cell).
    for (const days of this.units.values()) {
      for (const day of days.keys()) if (day < firstDay) days.delete(day);
    }
    this.firstDay = firstDay;
  }

  /**
   * The counts of every unit under `path`: today, this month (from `monthDay`), and the cohort of the
   * 30 days up to today. Sums over day cells (units × days), so its cost is the area's size, not its cases.
   */
  figuresUnder(path: string, today: number, monthDay: number): CountedFigures {
    const cohortFrom = today - 29;
    const result: CountedFigures = {
      receivedToday: 0,
      receivedMonth: 0,
      closedToday: 0,
      closedMonth: 0,
      sources: new Map(),
      categories: [],
      cohort: { ...EMPTY_COUNTS },
    };
    const bySource = CASE_SOURCES.map(() => 0);
    const byCategory = new Map<string, number>();
    for (const [unitPath, days] of this.units) {
      if (!unitPath.startsWith(path)) continue;
      for (const [day, counts] of days) {
        if (day > today) continue;
        if (day === today) {
          result.receivedToday += counts.received;
          result.closedToday += counts.closed;
        }
        if (day >= monthDay) {
          result.receivedMonth += counts.received;
          result.closedMonth += counts.closed;
          counts.bySource.forEach((n, i) => (bySource[i]! += n));
          for (const [code, n] of counts.byCategory) byCategory.set(code, (byCategory.get(code) ?? 0) + n);
        }
        if (day >= cohortFrom) {
          for (const key of Object.keys(counts.cohort) as (keyof DayCounts['cohort'])[]) {
            result.cohort[key] += counts.cohort[key];
          }
        }
      }
    }
    CASE_SOURCES.forEach((source, i) => {
      if (bySource[i]) result.sources.set(source, bySource[i]);
    });
    for (const [code, count] of byCategory) if (count > 0) result.categories.push({ code, count });
    result.categories.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
    return result;
  }
}
