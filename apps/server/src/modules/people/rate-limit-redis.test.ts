import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { clientAt, uniqueIp } from './people-test-helpers.ts';

// A real Redis server when the machine has one (CI and the development machine do); skipped otherwise.
const hasRedis = spawnSync('redis-server', ['--version']).status === 0;

describe.skipIf(!hasRedis)('rate limits shared through Redis (REDIS_URL)', () => {
  let redis: ChildProcess;
  let redisUrl: string;
  let first: App;
  let second: App;

  beforeAll(async () => {
    const port = randomInt(20_000, 40_000);
    redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    redisUrl = `redis://127.0.0.1:${port}`;
    for (let attempt = 0; ; attempt++) {
      const probe = new Redis(redisUrl, { lazyConnect: true, retryStrategy: () => null });
      probe.on('error', () => {});
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        probe.disconnect();
      }
    }
    // Two server processes behind one load balancer, sharing the Redis counters.
    first = await buildTestApp({ trustProxy: true, redisUrl });
    second = await buildTestApp({ trustProxy: true, redisUrl });
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    redis?.kill();
  });

  it('counts one client address across every server process', async () => {
    const ip = uniqueIp();
    for (let attempt = 0; attempt < 20; attempt++) {
      const app = attempt % 2 === 0 ? first : second;
      const { reply } = await clientAt(app, ip).login(`nobody${attempt}x${Date.now()}`, 'Wrong#Password1');
      expect(reply.status).toBe(401);
    }
    const limited = await clientAt(second, ip).login(`nobody-last${Date.now()}`, 'Wrong#Password1');
    expect(limited.reply.status).toBe(429);
    expect(limited.reply.body.error.code).toBe('rate_limited');
    expect(Number(limited.reply.headers['retry-after'])).toBeGreaterThan(0);
  });
});
