import type { LiveCaseEvent as ApiLiveCaseEvent } from '@minqing/contract';
import type { LiveMessage } from '../live/live-client.ts';

/**
 * The SSE event names the maps follow (GET /api/live, packages/contract/src/live.ts): case, figures and
 * patrol events, and the control events ready and reset. Kept here as plain strings: importing the
 * contract's values would bundle zod into the pages.
 */
export const LIVE_EVENT_TYPES = ['case', 'figures', 'patrol', 'ready', 'reset'] as const;

export function liveUrl(unitId: string, types?: readonly string[]): string {
  const params = new URLSearchParams({ unitId });
  if (types) params.set('types', types.join(','));
  return `/api/live?${params.toString()}`;
}

/** A feed line: what happened, to which kind of case, where — never who. */
export interface FeedItem {
  /** The journal entry id. */
  id: string;
  at: string;
  label: { zh: string; en: string };
  state: ApiLiveCaseEvent['state'];
  category: { zh: string; en: string };
  place: string | null;
  overdue: boolean;
  /** The case id when the viewer may open it (staff form). */
  caseId: string | null;
  code: string;
}

export function feedItem(event: ApiLiveCaseEvent): FeedItem {
  return {
    id: String(event.entryId),
    at: event.at,
    label: event.label,
    state: event.state,
    category: event.category.name,
    place: event.grid?.name ?? null,
    overdue: event.isOverdue,
    caseId: event.caseId,
    code: event.code,
  };
}

/** A case event from the stream, or null when the message is something else. */
export function parseLiveCase(message: LiveMessage): ApiLiveCaseEvent | null {
  if (message.type !== 'case') return null;
  const data = message.data as Partial<ApiLiveCaseEvent> | null;
  if (!data || typeof data !== 'object' || data.kind !== 'case' || typeof data.entryId !== 'number')
    return null;
  return data as ApiLiveCaseEvent;
}
