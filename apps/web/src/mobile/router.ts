import { useSyncExternalStore } from 'react';

/** A small router: the phone site is a handful of pages under /m. */
const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

/** Pages opened inside the site since it loaded: Back returns within the site while there are any. */
let depth = 0;
window.addEventListener('popstate', () => {
  depth = Math.max(0, depth - 1);
});

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else {
    history.pushState(null, '', path);
    depth++;
  }
  window.scrollTo(0, 0);
  listeners.forEach((listener) => listener());
}

export function usePath(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => location.pathname,
  );
}

/** Back to where the user came from, or to `fallback` when the page was opened directly. */
export function goBack(fallback = '/m/home'): void {
  if (depth > 0) history.back();
  else navigate(fallback, { replace: true });
}
