import { useEffect, useRef, useState } from 'react';
import { idbDelete, idbGet, idbPut } from './idb.ts';

/**
 * Forms never lose what was typed: every field of a form being filled in is kept on the phone as it
 * changes (text in localStorage, photos in IndexedDB) until the form is sent or discarded — a failed
 * request, a reload, WeChat closing the page in the background or the battery running out lose nothing.
 */
const PREFIX = 'minqing.draft.';

export function useDraftState<T>(key: string, initial: T): [T, (value: T | ((old: T) => T)) => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = localStorage.getItem(PREFIX + key);
      return stored ? ({ ...initial, ...(JSON.parse(stored) as object) } as T) : initial;
    } catch {
      return initial;
    }
  });
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    localStorage.setItem(PREFIX + key, JSON.stringify(value));
  }, [key, value]);
  return [value, setValue];
}

export function clearDraft(key: string): void {
  localStorage.removeItem(PREFIX + key);
  void idbDelete('drafts', key).catch(() => undefined);
}

interface PhotoDraft {
  key: string;
  photos: Blob[];
}

/** Photos of a form being filled in, kept in IndexedDB. */
export function useDraftPhotos(key: string): [Blob[], (photos: Blob[]) => void, boolean] {
  const [photos, setPhotos] = useState<Blob[]>([]);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let live = true;
    idbGet<PhotoDraft>('drafts', key)
      .then((draft) => live && setPhotos(draft?.photos ?? []))
      .catch(() => undefined)
      .finally(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [key]);
  const update = (next: Blob[]) => {
    setPhotos(next);
    void idbPut<PhotoDraft>('drafts', { key, photos: next }).catch(() => undefined);
  };
  return [photos, update, ready];
}
