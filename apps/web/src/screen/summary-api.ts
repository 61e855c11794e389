import type { CaseState } from '@minqing/contract';
import { api, query } from '../shared/api.ts';
import type { BaseFigures, PeriodCounters } from './Counters.tsx';
import type { FeedItem } from './Feed.tsx';

type Text = { zh: string; en: string };

/** What the screen's side panels show, as the screen needs it. */
export interface ScreenSummary {
  unit: { id: string; name: string; kind: string };
  base: BaseFigures;
  today: PeriodCounters;
  month: PeriodCounters;
  rates: { onTimeClosureRate: number | null; reworkRate: number | null; satisfactionRate: number | null };
  sources: { key: string; name: Text; count: number }[];
  topCategories: { code: string; name: Text; count: number }[];
  busiestGrids: { id: string; name: string; open: number; overdue: number }[];
  deadlines: { overdue: number; nearDeadline: number; onTime: number };
  feed: FeedItem[];
  generatedAt: string;
}

export function fetchSummary(unitId: string, signal?: AbortSignal): Promise<ScreenSummary> {
  return api.get<ScreenSummary>(`/api/screen/summary${query({ unitId })}`, { signal });
}

export type { CaseState };
