import type { FigureRow, Figures, FiguresQuery } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { CHINA_OFFSET_MS, localDayString } from '../calendar/working-time.ts';
import { compositeScore, computeRates, EMPTY_COUNTS, type CaseCounts, type ScoredRate } from './formulas.ts';
import { countCases, groupNames, unitPathOf, type FigureGroup } from './repository.ts';

const DAY_MS = 86400_000;

/** Midnight China time of a 'YYYY-MM-DD' day, as an instant. */
function dayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
}

function sumCounts(rows: { counts: CaseCounts }[]): CaseCounts {
  const total = { ...EMPTY_COUNTS };
  for (const { counts } of rows)
    for (const key of Object.keys(total) as (keyof CaseCounts)[]) total[key] += counts[key];
  return total;
}

async function figuresFor(
  db: Db,
  options: {
    unitPath: string | null;
    from: Date;
    to: Date;
    groupBy: FigureGroup;
    category?: string | undefined;
    now: Date;
    weights: Record<ScoredRate, number>;
  },
): Promise<{ total: FigureRow; rows: FigureRow[] }> {
  const grouped = await countCases(db, options);
  const names = await groupNames(
    db,
    options.groupBy,
    grouped.map((row) => row.key).filter((key): key is string => key !== null),
  );
  const present = (key: string | null, name: { zh: string; en: string }, counts: CaseCounts): FigureRow => {
    const rates = computeRates(counts);
    return { key, name, counts, rates, score: compositeScore(rates, options.weights) };
  };
  const rows = grouped
    .map((row) =>
      present(
        row.key,
        row.key === null
          ? { zh: '未归属', en: 'Unassigned' }
          : (names.get(row.key) ?? { zh: row.key, en: row.key }),
        row.counts,
      ),
    )
    .sort((a, b) => b.counts.due - a.counts.due);
  return {
    total: present(null, { zh: '合计', en: 'Total' }, sumCounts(grouped)),
    rows: options.groupBy === 'none' ? [] : rows,
  };
}

/** The period of a figures query: China days, inclusive; by default the last 30 days. */
export function resolvePeriod(
  query: { from?: string | undefined; to?: string | undefined },
  now: Date,
): { fromDay: string; toDay: string; from: Date; to: Date } {
  const toDay = query.to ?? localDayString(now.getTime());
  const fromDay = query.from ?? localDayString(dayStart(toDay).getTime() - 29 * DAY_MS);
  const from = dayStart(fromDay);
  const to = new Date(dayStart(toDay).getTime() + DAY_MS);
  if (to <= from) {
    throw errors.badRequest(
      { zh: '统计周期的结束日期不能早于开始日期', en: 'The period ends before it starts' },
      { from: fromDay, to: toDay },
    );
  }
  if (to.getTime() - from.getTime() > 3 * 366 * DAY_MS) {
    throw errors.badRequest({ zh: '统计周期最长三年', en: 'A period is at most three years long' });
  }
  return { fromDay, toDay, from, to };
}

/**
 * The performance figures of a unit's subtree over a period (China days, inclusive), optionally split by
 * group and compared with the previous period (环比) or the same period a year earlier (同比).
 */
export async function computeFigures(
  db: Db,
  query: FiguresQuery,
  weights: Record<ScoredRate, number>,
  now = new Date(),
): Promise<Figures> {
  const { fromDay, toDay, from, to } = resolvePeriod(query, now);
  let unitPath: string | null = null;
  if (query.unitId) {
    unitPath = await unitPathOf(db, query.unitId);
    if (!unitPath) throw errors.notFound({ zh: '区域', en: 'Unit' });
  }
  const base = { unitPath, groupBy: query.groupBy, category: query.category, now, weights };
  const current = await figuresFor(db, { ...base, from, to });
  let comparison: Figures['comparison'] = null;
  if (query.compare !== 'none') {
    const length = to.getTime() - from.getTime();
    const shift = (date: Date) =>
      query.compare === 'previous'
        ? new Date(date.getTime() - length)
        : dayStart(
            `${Number(localDayString(date.getTime()).slice(0, 4)) - 1}${localDayString(date.getTime()).slice(4)}`,
          );
    const cFrom = shift(from);
    const cTo = query.compare === 'previous' ? from : shift(to);
    const previous = await figuresFor(db, { ...base, from: cFrom, to: cTo });
    comparison = {
      kind: query.compare,
      period: { from: localDayString(cFrom.getTime()), to: localDayString(cTo.getTime() - DAY_MS) },
      ...previous,
    };
  }
  return {
    unitId: query.unitId ?? null,
    period: { from: fromDay, to: toDay },
    groupBy: query.groupBy,
    ...current,
    comparison,
    weights,
    generatedAt: now.toISOString(),
  };
}
