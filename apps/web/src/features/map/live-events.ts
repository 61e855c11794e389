import type { CaseState } from '@minqing/contract';
import type { LiveMessage } from '../live/live-client.ts';

/** The SSE event names the map follows (GET /api/live). */
export const LIVE_EVENT_TYPES = ['case', 'figures', 'patrol'] as const;

export function liveUrl(unitId: string): string {
  return `/api/live?unitId=${encodeURIComponent(unitId)}`;
}

/** A case event as the screen's feed and map use it. */
export interface LiveCaseEvent {
  feed: {
    id: string;
    at: string;
    label: { zh: string; en: string };
    state: CaseState | null;
    category: { zh: string; en: string } | null;
    place: string | null;
    overdue: boolean;
    caseId: string | null;
  };
  position: { lng: number; lat: number } | null;
}

interface ApiCaseEvent {
  kind: 'case';
  at: string;
  action: string;
  label: { zh: string; en: string };
  caseId: string | null;
  state: CaseState;
  category: { code: string; name: { zh: string; en: string } };
  grid: { id: string; name: string } | null;
  position: { lng: number; lat: number } | null;
  isOverdue: boolean;
}

export function parseLiveCase(message: LiveMessage): LiveCaseEvent | null {
  if (message.type !== 'case') return null;
  const data = message.data as Partial<ApiCaseEvent> | null;
  if (!data || typeof data !== 'object' || !data.at || !data.label) return null;
  return {
    feed: {
      id: message.id,
      at: data.at,
      label: data.label,
      state: data.state ?? null,
      category: data.category?.name ?? null,
      place: data.grid?.name ?? null,
      overdue: data.isOverdue ?? false,
      caseId: data.caseId ?? null,
    },
    position: data.position ?? null,
  };
}
