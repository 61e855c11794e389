import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { TEST_PASSWORD } from '../apps/server/test/factories.ts';
import {
  launchChromium,
  screenContext,
  seriousA11yViolations,
  startWebServer,
  SCREENSHOTS,
} from './harness.ts';
import {
  buildMapCommunity,
  markerTotal,
  recordApiResponses,
  recordServerSentEvents,
  report,
  waitForMarkerTotal,
  type MapCommunity,
} from './map-fixtures.ts';

/**
 * The big screen (/screen) at 1920×1080 in Chromium against the real server: the area loads with its
 * figures, markers and feed; a report made through the API appears without a reload; drilling down and
 * back up; catching up after a dropped stream; the staff view; and no personal data on the public screen.
 */
describe('big screen /screen', () => {
  let app: App;
  let url: string;
  let browser: Browser;
  let data: MapCommunity;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    data = await buildMapCommunity(app);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function openScreen(
    unitId: string,
    context?: BrowserContext,
  ): Promise<{ page: Page; context: BrowserContext }> {
    const ctx = context ?? (await screenContext(browser, url));
    const page = await ctx.newPage();
    await recordServerSentEvents(page);
    await page.goto(`/screen?unit=${unitId}`);
    // Generous: the first page of a run also waits for the build's chunks on a busy machine.
    await page.waitForSelector('.screen[data-live-status="open"]', { timeout: 120_000 });
    return { page, context: ctx };
  }

  test('shows the area, its figures, markers and feed to the public, with no personal data', async () => {
    const { community, cases } = data;
    const context = await screenContext(browser, url);
    const page = await context.newPage();
    const responses = recordApiResponses(page);
    await recordServerSentEvents(page);
    await page.goto(`/screen?unit=${community.street.id}`);
    // Generous: the first page of a run also waits for the build's chunks on a busy machine.
    await page.waitForSelector('.screen[data-live-status="open"]', { timeout: 120_000 });

    await expect.poll(() => page.textContent('[data-testid="area-name"]')).toBe(community.street.name);
    await expect.poll(() => page.getAttribute('.screen', 'data-mode')).toBe('public');
    // The outlines: the street in focus, its community (clickable) and the four grids inside.
    await page.waitForSelector(`path[data-unit-id="${community.community.id}"][data-role="child"]`);
    expect(await page.locator('path[data-unit-kind="grid"]').count()).toBe(community.grids.length);
    // Every case of the community is on the map, as single markers or inside clusters.
    await waitForMarkerTotal(page, cases.length);
    // Base figures and counters come from the server's summary.
    await expect.poll(() => page.textContent('[data-figure="grids"]')).toBe(String(community.grids.length));
    await expect.poll(() => page.textContent('[data-counter="month-received"]')).toBe(String(cases.length));
    // The feed lists the latest events, each with its public case number.
    await page.waitForSelector('.feed-item');
    const codes = await page.$$eval('.feed-item', (items) =>
      items.map((item) => item.getAttribute('data-case-code')),
    );
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(cases.map((item) => item.code)).toContain(code);

    // A member of the public reports with their name and phone number while the screen is open: the
    // event reaches the screen, without the name, the number or the description.
    const live = await report(community.public, {
      categoryCode: '0103',
      description: '公交站旁边的垃圾桶满了溢出来',
      location: community.pointIn(1),
      contact: { name: '司马长风', phone: data.secrets[1]! },
    });
    data.secrets.push('司马长风', '公交站旁边的垃圾桶满了溢出来');
    data.cases.push(live);
    await page.waitForSelector(`.feed-item[data-case-code="${live.code}"]`);

    // No name, phone number or description anywhere: not on the page, not in any answer, not in the stream.
    await page.waitForTimeout(500); // let the last responses' bodies be read
    const text = await page.evaluate(() => (globalThis as any).document.body.innerText);
    const html = await page.content();
    const stream = await page.evaluate(() => (globalThis as any).__sse.join('\n'));
    expect(stream).toContain(`"code":"${live.code}"`); // the stream was recorded
    expect(responses.length).toBeGreaterThan(5);
    for (const secret of data.secrets) {
      expect(text, `page text shows ${secret}`).not.toContain(secret);
      expect(html, `page HTML holds ${secret}`).not.toContain(secret);
      expect(stream, `event stream carries ${secret}`).not.toContain(secret);
      for (const response of responses) {
        expect(response.body, `${response.url} carries ${secret}`).not.toContain(secret);
      }
    }
    // No case id either: the public cannot open cases.
    for (const item of cases) {
      expect(html).not.toContain(item.id);
      for (const response of responses) expect(response.body).not.toContain(item.id);
    }

    await feedSettled(page);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}screen.png` });
    await context.close();
  });

  test('a report made through the API appears on the map and in the feed without a reload', async () => {
    const { community } = data;
    const { page, context } = await openScreen(community.street.id);
    const before = await markerTotal(page);
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));

    const created = await report(community.people.resident.client, {
      categoryCode: '0102',
      description: '篮球场边上堆了一车建筑渣土',
      location: community.pointIn(2),
      address: '幸福小区篮球场',
    });
    await page.waitForSelector(`.feed-item[data-case-code="${created.code}"]`);
    await waitForMarkerTotal(page, before + 1);
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    // The new line is marked fresh and names the grid it is in.
    const line = page.locator(`.feed-item[data-case-code="${created.code}"]`);
    expect(await line.getAttribute('class')).toContain('feed-fresh');
    expect(await line.textContent()).toContain(community.grids[2]!.name);
    data.cases.push(created);
    await context.close();
  });

  test('drills down street → community → grid by clicking, and climbs back up', async () => {
    const { community } = data;
    const { page, context } = await openScreen(community.street.id);
    await page.locator(`path[data-unit-id="${community.community.id}"]`).dispatchEvent('click');
    await page.waitForURL(`**/screen?unit=${community.community.id}`);
    await expect.poll(() => page.textContent('[data-testid="area-name"]')).toBe(community.community.name);
    await page.waitForSelector(`path[data-unit-id="${community.grids[1]!.id}"][data-role="child"]`);
    // The side panels follow the focus: the community has the same four grids.
    await expect.poll(() => page.textContent('[data-figure="grids"]')).toBe(String(community.grids.length));

    await page.locator(`path[data-unit-id="${community.grids[1]!.id}"]`).dispatchEvent('click');
    await page.waitForURL(`**/screen?unit=${community.grids[1]!.id}`);
    await expect.poll(() => page.textContent('[data-testid="area-name"]')).toBe(community.grids[1]!.name);
    await expect.poll(() => page.textContent('[data-figure="grids"]')).toBe('1');
    const inGrid = data.cases.filter((item) => item.gridId === community.grids[1]!.id).length;
    await waitForMarkerTotal(page, inGrid);
    const crumbs = await page.$$eval('.crumbs li', (items) => items.map((item) => item.textContent));
    expect(crumbs).toEqual([community.street.name, community.community.name, community.grids[1]!.name]);

    await page.getByRole('button', { name: '返回上级' }).click();
    await page.waitForURL(`**/screen?unit=${community.community.id}`);
    await page.goBack();
    await page.waitForURL(`**/screen?unit=${community.grids[1]!.id}`);
    await expect.poll(() => page.textContent('[data-testid="area-name"]')).toBe(community.grids[1]!.name);
    await context.close();
  });

  test('after the stream drops, the screen reconnects and shows what it missed', async () => {
    const { community } = data;
    const { page, context } = await openScreen(community.street.id);
    // Cut the stream and keep it cut while a report is made.
    await page.route('**/api/live**', (route) => route.abort('connectionreset'));
    await closeLiveConnections(app);
    await page.waitForSelector('.screen[data-live-status="reconnecting"]');
    const missed = await report(community.people.gridWorker.client, {
      categoryCode: '0106',
      description: '排水口堵了，污水漫到路上',
      location: community.pointIn(0),
    });
    await page.unroute('**/api/live**');
    await page.waitForSelector('.screen[data-live-status="open"]', { timeout: 60_000 });
    await page.waitForSelector(`.feed-item[data-case-code="${missed.code}"]`);
    data.cases.push(missed);
    await context.close();
  });

  test('staff sign in on the screen and open a case from the map', async () => {
    const { community, cases } = data;
    const { page, context } = await openScreen(community.community.id);
    const admin = await app.db
      .selectFrom('users')
      .select('username')
      .where('id', '=', community.people.communityAdmin.id)
      .executeTakeFirstOrThrow();

    // A wrong password keeps what was typed and says why.
    await page.getByRole('button', { name: '工作人员登录' }).click();
    await page.getByLabel('用户名或手机号').fill(admin.username!);
    await page.getByLabel('密码').fill('not-the-password-1A');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.waitForSelector('.dialog-error');
    expect(await page.getByLabel('用户名或手机号').inputValue()).toBe(admin.username);
    await page.getByLabel('密码').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    // Argon2id takes its time on a busy machine.
    await expect.poll(() => page.getAttribute('.screen', 'data-mode'), { timeout: 60_000 }).toBe('staff');

    // Zoom into a grid so that its cases are single markers, and open one.
    const target = cases.find((item) => item.gridId === community.grids[0]!.id)!;
    await page.locator(`path[data-unit-id="${community.grids[0]!.id}"]`).dispatchEvent('click');
    await page.waitForURL(`**/screen?unit=${community.grids[0]!.id}`);
    await page.waitForSelector('.leaflet-marker-pane .mq-case');
    const marker = page.locator(`.leaflet-marker-pane .mq-case[data-case-code="${target.code}"]`);
    await marker.dispatchEvent('click');
    await page.waitForSelector('.drawer-body');
    expect(await page.textContent('#drawer-title')).toContain(target.code);
    expect(await page.textContent('.drawer-description')).toBe(target.description);
    await feedSettled(page);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}screen-staff.png` });
    await context.close();
  });

  test('is laid out at 1920×1080 and scaled to fit a smaller display, letterboxed', async () => {
    const context = await browser.newContext({
      baseURL: url,
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const { page } = await openScreen(data.community.street.id, context);
    const box = await page.locator('.stage').boundingBox();
    expect(box).not.toBeNull();
    expect(box!.width).toBeCloseTo(1366, 0);
    expect(box!.height).toBeCloseTo((1366 * 1080) / 1920, 0);
    expect(box!.y).toBeCloseTo((900 - box!.height) / 2, 0);
    await context.close();
  });
});

/** Drops every open HTTP connection of the server (the SSE streams among them), as a restart would. */
async function closeLiveConnections(app: App): Promise<void> {
  app.server.closeAllConnections();
}

/**
 * Waits until no feed line is sliding in (a new line fades in over 1.2 s; axe would measure its
 * contrast half-transparent).
 */
async function feedSettled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    (globalThis as any).document
      .getAnimations()
      .every((animation: any) => animation.animationName !== 'feed-in' || animation.playState === 'finished'),
  );
}
