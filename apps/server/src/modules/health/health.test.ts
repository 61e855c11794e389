import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, Client } from '../../../test/harness.ts';

describe('health and errors', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('answers with the database engine in use', async () => {
    const reply = await new Client(app).get('/api/health');
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('ok');
    expect(reply.body.database).toBe(process.env.MINQING_TEST_BACKEND === 'postgres' ? 'postgres' : 'pglite');
  });

  it('answers an unknown route with a bilingual error body', async () => {
    const reply = await new Client(app).get('/api/no-such-thing', { 'accept-language': 'en-US,en;q=0.9' });
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('route_not_found');
    expect(reply.body.error.message).toMatch(/No route GET/);
    expect(reply.body.error.messages.zh).toBe('没有这个接口');
  });
});
