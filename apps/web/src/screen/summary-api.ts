import type { ScreenSummary } from '@minqing/contract';
import { api, query } from '../shared/api.ts';

/** The side panels' figures for one area (GET /api/screen/summary). */
export function fetchSummary(unitId: string, signal?: AbortSignal): Promise<ScreenSummary> {
  return api.get<ScreenSummary>(`/api/screen/summary${query({ unitId })}`, { signal });
}
