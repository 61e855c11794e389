import { patrolErrors } from './errors.ts';

/** How far back a phone that was offline may date what it recorded. */
export const MAX_CLIENT_AGE_MS = 7 * 86_400_000;
/** Phone clocks drift: this much in the future is still "now". */
export const MAX_CLIENT_SKEW_MS = 5 * 60_000;

/** A time the phone gave, checked against the server's clock; `now` when it gave none. */
export function clientTime(value: string | undefined, now: Date, field: string): Date {
  if (value === undefined) return now;
  const at = new Date(value);
  if (at.getTime() > now.getTime() + MAX_CLIENT_SKEW_MS || at.getTime() < now.getTime() - MAX_CLIENT_AGE_MS) {
    throw patrolErrors.timeOutOfRange(field);
  }
  // A little ahead of the server is the phone's clock, not the future: the event happened now.
  return at > now ? now : at;
}
