import { useEffect, useRef, useState } from 'react';
import { LiveClient, type LiveMessage, type LiveStatus } from './live-client.ts';

/**
 * Follows the live stream while the component is mounted (null url: not yet). Handlers may change
 * between renders without reconnecting; a new url (another area) starts a new stream.
 */
export function useLive(
  url: string | null,
  eventTypes: readonly string[],
  onMessage: (message: LiveMessage) => void,
): { status: LiveStatus; client: LiveClient | null } {
  const [status, setStatus] = useState<LiveStatus>('stopped');
  const [client, setClient] = useState<LiveClient | null>(null);
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const types = eventTypes.join(',');

  useEffect(() => {
    if (!url) return;
    const live = new LiveClient({
      url,
      eventTypes: types.split(','),
      onMessage: (message) => handler.current(message),
      onStatus: setStatus,
    });
    live.start();
    setClient(live);
    // A wall screen's browser may be left on a tab that is hidden for hours; reconnect at once on return.
    const onVisible = () => {
      if (document.visibilityState === 'visible' && live.currentStatus !== 'open') live.reconnectNow();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      live.stop();
      setClient(null);
    };
  }, [url, types]);

  return { status, client };
}
