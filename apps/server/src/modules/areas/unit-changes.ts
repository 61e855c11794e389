/**
 * Unit changes made by this process, told at once to this process's grid indexes. Other processes
 * hear of them through NOTIFY minqing_units (a trigger on units, delivered on commit); this direct
 * path closes the gap on a PostgreSQL server, where that notification arrives a moment later over
 * the LISTEN connection.
 */
type Listener = (ids: readonly string[]) => void;

const listeners = new Set<Listener>();

export function onUnitsChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceUnitsChanged(ids: readonly string[]): void {
  if (ids.length === 0) return;
  for (const listener of listeners) listener(ids);
}

/** The NOTIFY channel the units trigger (migration 0003) announces every change on. */
export const UNITS_CHANNEL = 'minqing_units';
