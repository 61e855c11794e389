import type { Me } from '@minqing/contract';
import { useEffect, useSyncExternalStore } from 'react';
import { api, ApiError } from '../shared/api.ts';

/**
 * Who is signed in on this phone. The session cookie lasts (residents stay signed in); the last
 * answer of /api/me is kept so that the site opens offline with the person's own pages.
 */
const CACHE_KEY = 'minqing.me';
type State = { me: Me | null; loading: boolean; offline: boolean };

function cached(): Me | null {
  try {
    const text = localStorage.getItem(CACHE_KEY);
    return text ? (JSON.parse(text) as Me) : null;
  } catch {
    return null;
  }
}

let state: State = { me: cached(), loading: true, offline: false };
const listeners = new Set<() => void>();
let loading: Promise<void> | null = null;

function set(next: Partial<State>) {
  state = { ...state, ...next };
  if (next.me !== undefined) {
    if (next.me) localStorage.setItem(CACHE_KEY, JSON.stringify(next.me));
    else localStorage.removeItem(CACHE_KEY);
  }
  listeners.forEach((listener) => listener());
}

export function refreshMe(): Promise<void> {
  loading ??= api
    .get<Me>('/api/me')
    .then((me) => set({ me, loading: false, offline: false }))
    .catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 0) set({ loading: false, offline: true });
      else set({ me: null, loading: false, offline: false });
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

export function setMe(me: Me | null): void {
  set({ me, loading: false });
}

export async function signOut(): Promise<void> {
  await api.post('/api/auth/logout').catch(() => undefined);
  set({ me: null });
}

export function useSession(): State {
  const value = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
  useEffect(() => {
    if (state.loading && !loading) void refreshMe();
  }, []);
  return value;
}

export function isGridWorker(me: Me | null): boolean {
  return !!me?.roles.some((role) => role.role === 'grid_worker');
}

export function isStaff(me: Me | null): boolean {
  return me?.kind === 'staff';
}
