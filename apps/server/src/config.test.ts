import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

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
  });
});
