import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadConfig } from './config.ts';
import { openDatabase } from './db/database.ts';

describe('configuration from the environment', () => {
  it('reads an empty variable as not set', () => {
    const config = loadConfig({ DATABASE_URL: '', PORT: '', DATA_DIR: '/tmp/minqing-config-test' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.port).toBe(8080);
  });

  it('refuses a wrong value naming the variable, in Chinese and English', () => {
    expect(() => loadConfig({ DATABASE_URL: 'not a url', DATA_DIR: '/tmp/minqing-config-test' })).toThrow(
      /配置有误[\s\S]*DATABASE_URL/,
    );
    expect(() => loadConfig({ PORT: '99999', DATA_DIR: '/tmp/minqing-config-test' })).toThrow(/PORT/);
    expect(() => loadConfig({ PGLITE_SHARED_BUFFERS: 'lots', DATA_DIR: '/tmp/minqing-config-test' })).toThrow(
      /PGLITE_SHARED_BUFFERS[\s\S]*32MB/,
    );
  });

  it('starts the embedded PostgreSQL with the configured buffer pool', async () => {
    const config = loadConfig({ PGLITE_SHARED_BUFFERS: '24MB', DATA_DIR: '/tmp/minqing-config-test' });
    const database = await openDatabase({
      dataDir: 'memory://',
      pgliteSharedBuffers: config.pgliteSharedBuffers,
    });
    try {
      const { rows } = await sql<{ shared_buffers: string }>`SHOW shared_buffers`.execute(database.db);
      expect(rows[0]?.shared_buffers).toBe('24MB');
    } finally {
      await database.close();
    }
  });
});
