import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../shared/api.ts';

export interface RequestState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  /** Loads again; the data on screen stays until the new answer arrives. */
  reload: () => Promise<void>;
}

/**
 * Loads `load()` when `key` changes, keeping the last data while reloading (a table does not blink
 * empty on every filter change) and ignoring answers that arrive after a newer request.
 */
export function useRequest<T>(load: (() => Promise<T>) | null, key: string): RequestState<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(load !== null);
  const latest = useRef(0);
  const loader = useRef(load);
  loader.current = load;

  const run = useCallback(async () => {
    const current = loader.current;
    if (!current) return;
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const value = await current();
      if (ticket !== latest.current) return;
      setData(value);
      setError(undefined);
    } catch (caught) {
      if (ticket !== latest.current) return;
      setError(
        caught instanceof ApiError
          ? caught
          : new ApiError(0, 'client_error', { zh: String(caught), en: String(caught) }, {}),
      );
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void run();
  }, [key, run]);

  return { data, error, loading, reload: run };
}
