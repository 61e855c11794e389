import { formatFen } from '@minqing/contract';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (null: nothing yet) and keeps the last answer while a new one loads. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    api
      .get<T>(path, { signal: controller.signal })
      .then((data) => setState({ data, error: null, loading: false }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({
          data: previous.data,
          error:
            error instanceof ApiError
              ? error
              : new ApiError(0, 'error', { zh: '加载失败', en: 'Failed to load' }, {}),
          loading: false,
        }));
      });
    return () => controller.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

/** ¥1,234.56 */
export function yuan(fen: number): string {
  return `¥${formatFen(fen)}`;
}

/** 12.3万 / 1,234 for chart axes and cards (yuan, from fen, integer arithmetic until display). */
export function shortYuan(fen: number, language: 'zh' | 'en'): string {
  const value = fen / 100;
  if (language === 'zh' && Math.abs(value) >= 10_000)
    return `${(value / 10_000).toFixed(Math.abs(value) >= 1_000_000 ? 0 : 1)}万`;
  if (language === 'en' && Math.abs(value) >= 1000)
    return `${(value / 1000).toFixed(Math.abs(value) >= 100_000 ? 0 : 1)}k`;
  return value.toFixed(0);
}

export function formatDateTime(iso: string, language: 'zh' | 'en'): string {
  return new Date(iso).toLocaleString(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** 2025-03 → 2025年3月 / Mar 2025; 2025-Q1 → 2025年第1季度 / 2025 Q1. */
export function periodLabel(label: string, language: 'zh' | 'en'): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(label);
  if (quarter)
    return language === 'zh' ? `${quarter[1]}年第${quarter[2]}季度` : `${quarter[1]} Q${quarter[2]}`;
  const [year, month] = label.split('-');
  if (language === 'zh') return `${year}年${Number(month)}月`;
  return new Date(Date.UTC(Number(year), Number(month) - 1, 1)).toLocaleString('en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}
