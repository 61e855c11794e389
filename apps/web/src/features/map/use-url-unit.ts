import { useCallback, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

function read(): string | null {
  const value = new URLSearchParams(location.search).get('unit');
  return value && /^[0-9a-f-]{36}$/i.test(value) ? value : null;
}

/**
 * The unit in focus lives in the URL (`/screen?unit=<id>`, `/m/map?unit=<id>`), so a map can be bookmarked or set up
 * once on the wall's computer, and the browser's back button climbs back up the drill-down.
 */
export function useUrlUnit(): [string | null, (id: string | null) => void] {
  const unit = useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, read);
  const setUnit = useCallback((id: string | null) => {
    const params = new URLSearchParams(location.search);
    if (id) params.set('unit', id);
    else params.delete('unit');
    const search = params.toString();
    history.pushState(null, '', `${location.pathname}${search ? `?${search}` : ''}`);
    listeners.forEach((listener) => listener());
  }, []);
  return [unit, setUnit];
}
