/**
 * Runs `task` at most once per `intervalMs`, and always once more after the last request in a burst:
 * fifty reports in a second refresh the map twice, not fifty times, and the last one is never lost.
 */
export function throttled(task: () => void, intervalMs: number): { request: () => void; cancel: () => void } {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    last = Date.now();
    task();
  };
  return {
    request() {
      if (timer) return;
      const wait = Math.max(0, last + intervalMs - Date.now());
      timer = setTimeout(run, wait);
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
