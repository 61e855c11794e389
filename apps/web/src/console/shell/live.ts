import type { LiveCaseEvent } from '@minqing/contract';
import { useEffect, useRef } from 'react';
import type { LiveStatus } from '../../features/live/live-client.ts';
import { useLive } from '../../features/live/use-live.ts';

const CASE_EVENTS = ['case'] as const;

/**
 * Case events for the console: the staff form of every case the person may open, from GET /api/live
 * (the journal's stream; reconnects with backoff and replays from Last-Event-ID). `onCase` runs at
 * most once per `throttleMs` (a bulk dispatch is many events; one reload answers them all), always
 * with the latest events since the last call. The status tells the page whether to keep polling.
 */
export function useCaseEvents(
  onCase: (events: LiveCaseEvent[]) => void,
  options: { throttleMs?: number; enabled?: boolean } = {},
): LiveStatus {
  const throttleMs = options.throttleMs ?? 400;
  const pending = useRef<LiveCaseEvent[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const handler = useRef(onCase);
  handler.current = onCase;
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const { status } = useLive(
    options.enabled === false ? null : '/api/live?types=case',
    CASE_EVENTS,
    (message) => {
      if (message.type !== 'case') return;
      pending.current.push(message.data as LiveCaseEvent);
      if (timer.current) return;
      timer.current = setTimeout(() => {
        timer.current = null;
        const events = pending.current;
        pending.current = [];
        handler.current(events);
      }, throttleMs);
    },
  );
  return status;
}

/** How often a page polls anyway: rarely while the stream is open, often while it is down. */
export function pollInterval(status: LiveStatus, whenDown: number): number {
  return status === 'open' ? 60_000 : whenDown;
}
