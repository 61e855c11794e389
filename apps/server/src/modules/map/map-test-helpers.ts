import { sql } from 'kysely';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { journalHead } from '../live/repository.ts';

/** Waits until every journal entry committed so far has reached the map index through the feed. */
export async function settleMap(app: App): Promise<void> {
  const target = await journalHead(app.db);
  while (app.live.feed.highestId < target) await new Promise((resolve) => setTimeout(resolve, 5));
  await app.live.feed.settle();
}

/* A recount from the cases table: what the screen's maintained counters must equal (screen-counters.test.ts). */

export interface PeriodCounts {
  receivedToday: number;
  receivedMonth: number;
  closedToday: number;
  closedMonth: number;
}

/** Cases reported and closed since midnight and since the first of the month, under a unit. */
export async function periodCounts(
  db: Db,
  options: { path: string; today: Date; month: Date },
): Promise<PeriodCounts> {
  const like = options.path + '%';
  const reported = await sql<{ today: string | number; month: string | number }>`
    SELECT count(*) FILTER (WHERE reported_at >= ${options.today}) AS today, count(*) AS month
      FROM cases
     WHERE unit_path LIKE ${like} AND reported_at >= ${options.month}`.execute(db);
  const closed = await sql<{ today: string | number; month: string | number }>`
    SELECT count(*) FILTER (WHERE closed_at >= ${options.today}) AS today, count(*) AS month
      FROM cases
     WHERE closed_at >= ${options.month} AND state = 'closed' AND unit_path LIKE ${like}`.execute(db);
  return {
    receivedToday: Number(reported.rows[0]?.today ?? 0),
    receivedMonth: Number(reported.rows[0]?.month ?? 0),
    closedToday: Number(closed.rows[0]?.today ?? 0),
    closedMonth: Number(closed.rows[0]?.month ?? 0),
  };
}

/** Cases reported since `since` under a unit, by source and by category (minor code). */
export async function monthBreakdown(
  db: Db,
  options: { path: string; since: Date },
): Promise<{ sources: Map<string, number>; categories: { code: string; count: number }[] }> {
  const like = options.path + '%';
  const result = await sql<{ source: string | null; category_code: string | null; n: string | number }>`
    SELECT source, category_code, count(*) AS n
      FROM cases
     WHERE unit_path LIKE ${like} AND reported_at >= ${options.since}
     GROUP BY GROUPING SETS ((source), (category_code))`.execute(db);
  const sources = new Map<string, number>();
  const categories: { code: string; count: number }[] = [];
  for (const row of result.rows) {
    if (row.source !== null) sources.set(row.source, Number(row.n));
    else if (row.category_code !== null) categories.push({ code: row.category_code, count: Number(row.n) });
  }
  categories.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  return { sources, categories };
}
