import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { WEB_APPS } from '../apps/server/src/modules/web/routes.ts';
import { startWebServer } from './harness.ts';

/** The landing page `/` over real HTTP, with the web apps built: it links every app the server serves. */
describe('landing page', () => {
  let app: App;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await startWebServer());
  });
  afterAll(() => app.close());

  it('links every web app, in Chinese first and in English on request', async () => {
    const zh = await fetch(`${url}/`, { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    expect(zh.status).toBe(200);
    const html = await zh.text();
    expect(html).toContain('村务公开');
    for (const { prefix } of WEB_APPS) {
      expect((await fetch(`${url}${prefix}`)).status).toBe(200);
      expect(html).toContain(`href="${prefix}"`);
    }
    const en = await (await fetch(`${url}/?lang=en`)).text();
    expect(en).toContain('Open books');
  });
});
