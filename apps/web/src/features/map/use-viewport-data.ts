import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { throttled } from './throttle.ts';
import type { Viewport } from './types.ts';

export interface ViewportData<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  /** Ask again for the current viewport (after a live event); bursts are throttled. */
  refresh: () => void;
  /** The map moved: load for the new viewport (the previous request is abandoned). */
  setViewport: (viewport: Viewport) => void;
}

/**
 * Data that depends on what the map shows (markers, clusters, patrols): one request at a time, the
 * stale one aborted when the map moves again, refreshes throttled, and the last good answer kept on
 * screen while a new one loads or when one fails (the map never blanks because the network hiccuped).
 */
export function useViewportData<T>(
  load: (viewport: Viewport, signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  refreshIntervalMs = 500,
): ViewportData<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const viewport = useRef<Viewport | null>(null);
  const controller = useRef<AbortController | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;

  const fetchNow = useCallback(() => {
    const current = viewport.current;
    if (!current) return;
    controller.current?.abort();
    const abort = new AbortController();
    controller.current = abort;
    setLoading(true);
    loadRef
      .current(current, abort.signal)
      .then((value) => {
        if (abort.signal.aborted) return;
        setData(value);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (abort.signal.aborted) return;
        setError(caught);
      })
      .finally(() => {
        if (!abort.signal.aborted) setLoading(false);
      });
  }, []);

  const throttle = useMemo(() => throttled(fetchNow, refreshIntervalMs), [fetchNow, refreshIntervalMs]);

  useEffect(() => () => throttle.cancel(), [throttle]);
  useEffect(() => () => controller.current?.abort(), []);

  // Filters or the area changed: load again for the same viewport.
  useEffect(() => {
    if (viewport.current) fetchNow();
  }, deps);

  const setViewport = useCallback(
    (next: Viewport) => {
      // A hidden map (the phone's list tab) measures 0×0: keep asking for the last real viewport.
      const [west, south, east, north] = next.bbox;
      if (!(west < east && south < north)) return;
      viewport.current = next;
      fetchNow();
    },
    [fetchNow],
  );

  return { data, error, loading, refresh: throttle.request, setViewport };
}
