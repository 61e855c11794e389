import type { LiveBooksEvent } from '@minqing/contract';
import { useEffect, useRef, useState } from 'react';

/**
 * Books published, live: one EventSource on `/api/live?types=books` (public, no sign-in), calling
 * `onPublished` whenever a disclosure is sealed anywhere (the page picks its own village's). Returns
 * whether the stream is open, so the page polls only while it is not (a browser or a proxy that drops
 * event streams). EventSource reconnects by itself and resumes from the last event id.
 */
export function useBooksPublished(onPublished: (event: LiveBooksEvent) => void): boolean {
  const [isLive, setLive] = useState(false);
  const callback = useRef(onPublished);
  callback.current = onPublished;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/live?types=books');
    source.addEventListener('ready', () => setLive(true));
    source.addEventListener('error', () => setLive(source.readyState === EventSource.OPEN));
    source.addEventListener('books', (message) => {
      try {
        callback.current(JSON.parse((message as MessageEvent<string>).data) as LiveBooksEvent);
      } catch {
        // a malformed event is ignored; the next poll or event brings the page up to date
      }
    });
    return () => source.close();
  }, []);
  return isLive;
}
