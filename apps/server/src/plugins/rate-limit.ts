import rateLimit, { type RateLimitOptions } from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { errors } from '../errors.ts';

/**
 * Per-client-address limits for the routes anyone can call (docs/decisions/0204). They sit in front
 * of the per-account and per-phone rules, which live in the database: these stop a flood from one
 * address, those stop a slow attack on one account from many.
 */
export const RATE_LIMITS = {
  /** Staff password sign-in. Generous: a whole office may share one address. */
  login: { max: 20, timeWindow: 60_000 },
  /** SMS code requests (each costs money and reaches someone's phone). */
  smsCode: { max: 10, timeWindow: 3_600_000 },
  /** SMS code sign-ins (guessing is also capped at 5 tries per code). */
  smsLogin: { max: 30, timeWindow: 600_000 },
  /** Any other write the public may make (reports, ratings, votes). */
  publicWrite: { max: 30, timeWindow: 60_000 },
} as const satisfies Record<string, { max: number; timeWindow: number }>;
export type RateLimitName = keyof typeof RATE_LIMITS;

/**
 * Route config applying a named limit:
 * `app.post('/api/…', { config: rateLimited('publicWrite'), schema }, handler)`.
 * Each route counts separately, per client address (IPv6 per /64).
 */
export function rateLimited(name: RateLimitName): { rateLimit: RateLimitOptions } {
  return { rateLimit: { ...RATE_LIMITS[name] } };
}

/**
 * @fastify/rate-limit, off by default and switched on per route. With REDIS_URL the counters live in
 * Redis and hold across server processes; otherwise in memory. A Redis outage lets requests through
 * (the per-account rules in the database still hold) rather than locking everyone out.
 */
export const rateLimitPlugin = fp(
  async (app) => {
    // ioredis is loaded only when Redis is configured.
    const redis = app.config.redisUrl
      ? new (await import('ioredis')).Redis(app.config.redisUrl, {
          maxRetriesPerRequest: 1,
          connectTimeout: 2_000,
        })
      : undefined;
    redis?.on('error', (error) => app.log.warn({ err: error }, 'Redis for rate limits unavailable'));
    await app.register(rateLimit, {
      global: false,
      ...(redis ? { redis, nameSpace: 'minqing:rate:' } : {}),
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        errors.rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
    });
    if (redis) {
      app.addHook('onClose', async () => {
        await redis.quit().catch(() => redis.disconnect());
      });
    }
  },
  { name: 'rate-limit', dependencies: ['core'] },
);
