import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { usernameOf } from '../apps/server/src/modules/people/people-test-helpers.ts';
import { buildCommunity, TEST_PASSWORD, type TestCommunity } from '../apps/server/test/factories.ts';
import { randomJpeg } from '../apps/server/test/multipart.ts';
import { launchChromium, startWebServer } from './harness.ts';
import { act, report } from './map-fixtures.ts';
import { noSeriousViolations, phone, shot } from './phone-fixtures.ts';

async function casesDescribed(app: App, description: string) {
  return app.db
    .selectFrom('cases')
    .select(['id', 'state', 'source'])
    .where('description', '=', description)
    .execute();
}

/** Fills in and sends a finding from the patrol page. */
async function reportFinding(page: Page, description: string, options: { onTheSpot?: boolean } = {}) {
  await page.getByRole('button', { name: '上报巡查发现' }).click();
  const form = page.getByRole('dialog', { name: '上报巡查发现' });
  await form
    .locator('[data-testid="finding-photos"] input[type=file]')
    .setInputFiles({ name: 'before.jpg', mimeType: 'image/jpeg', buffer: await randomJpeg(800, 600) });
  await form.locator('[data-testid="finding-photos"] img').waitFor();
  await form.getByRole('button', { name: '设施管理', exact: true }).click();
  await form.getByRole('radio', { name: '井盖缺损' }).click();
  await form.getByRole('textbox', { name: '描述' }).fill(description);
  await form
    .getByText(/已定位|已在地图上|精度/)
    .first()
    .waitFor();
  if (options.onTheSpot) {
    await form.getByRole('switch', { name: '即报即办' }).click();
    await form.getByRole('textbox', { name: '处置结果' }).fill('已放置警示桩并临时加盖');
    await form
      .locator('[data-testid="finding-after-photos"] input[type=file]')
      .setInputFiles({ name: 'after.jpg', mimeType: 'image/jpeg', buffer: await randomJpeg(800, 600) });
    await form.locator('[data-testid="finding-after-photos"] img').waitFor();
  }
  await form.getByRole('button', { name: '提交', exact: true }).click();
  await form.waitFor({ state: 'hidden' });
}

/**
 * A grid worker's patrol on the phone (/m/patrol) at 390×844 in WeChat's browser, with simulated GPS:
 * today's work, the start, the track, two findings — the first whose answer is lost on the way back
 * (the phone sends it again), the second made offline and on the spot (即报即办) — and both arrive
 * exactly once when the network returns; the end and its summary.
 */
describe('phone site /m: grid workers patrol', () => {
  let app: App;
  let url: string;
  let browser: Browser;
  let c: TestCommunity;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    c = await buildCommunity(app);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test('a grid worker patrols, reports two findings (one offline) and both arrive exactly once', async () => {
    // Twice a day, and a case waiting for the worker's check on site.
    const plan = await c.people.communityAdmin.client.post('/api/patrols/plans', {
      gridId: c.grid.id,
      shifts: [
        { start: '00:00', end: '12:00' },
        { start: '12:00', end: '24:00' },
      ],
    });
    expect(plan.status).toBe(201);
    const waiting = await report(c.people.resident.client, {
      categoryCode: '0101',
      description: '等待核查：楼下垃圾',
      location: c.pointIn(0),
    });
    await act(c.people.communityAdmin.client, waiting.id, 'accept');
    await act(c.people.communityAdmin.client, waiting.id, 'dispatch', { orgId: c.teams.sanitation });
    await act(c.people.handler.client, waiting.id, 'start');
    await act(c.people.handler.client, waiting.id, 'submit', { result: '已清运' });

    // Requests are intercepted below: the service worker is kept out of the way.
    const context = await phone(browser, url, { serviceWorkers: 'block' });
    await context.grantPermissions(['geolocation']);
    const start = c.pointIn(0);
    let step = 0;
    const move = () =>
      context.setGeolocation({ latitude: start.lat + step++ * 0.0002, longitude: start.lng, accuracy: 8 });
    await move();
    const page = await context.newPage();

    // Sign in as staff; today's work.
    await page.goto('/m/login');
    await page.getByRole('tab', { name: '工作人员' }).click();
    await page
      .getByRole('textbox', { name: '用户名或手机号' })
      .fill(await usernameOf(app, c.people.gridWorker.id));
    await page.getByRole('textbox', { name: '密码' }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { name: '今日工作' }).waitFor();
    await page.getByText('待巡查').first().waitFor();
    await page.getByTestId('today-work').getByText('待核查', { exact: true }).waitFor();
    await noSeriousViolations(page);
    await shot(page, 'phone-today');

    // Start the patrol of the worker's only grid.
    await page.locator('.m-tabbar').getByText('巡查', { exact: true }).click();
    await page.getByRole('button', { name: '开始巡查' }).click();
    await page.getByTestId('patrol-running').waitFor();
    for (let i = 0; i < 4; i++) {
      await move();
      await page.waitForTimeout(5200);
    }
    await expect
      .poll(async () => Number(await page.getByTestId('point-count').textContent()))
      .toBeGreaterThan(2);

    // Finding 1: the server stores it, but the answer is lost on the way back; the phone sends it again.
    let dropped = 0;
    await page.route('**/api/patrols/*/findings', async (route) => {
      if (dropped++ === 0) {
        await route.fetch(); // reaches the server…
        await route.abort('connectionreset'); // …and the phone never hears back
      } else await route.continue();
    });
    const first = `巡查发现一：井盖缺损 ${crypto.randomUUID().slice(0, 6)}`;
    await reportFinding(page, first);
    await expect.poll(() => casesDescribed(app, first).then((rows) => rows.length)).toBe(1);
    await expect.poll(() => dropped, { timeout: 30_000 }).toBeGreaterThan(1);
    await page.getByText('巡查发现已送达').waitFor();

    // Finding 2, offline, fixed on the spot: kept on the phone and shown as waiting.
    await context.setOffline(true);
    await move();
    const second = `巡查发现二：井盖松动 ${crypto.randomUUID().slice(0, 6)}`;
    await reportFinding(page, second, { onTheSpot: true });
    await page
      .getByTestId('outbox')
      .getByText(/即报即办：巡查发现二/)
      .waitFor();
    await page.getByTestId('outbox').getByText('待发送').first().waitFor();
    await noSeriousViolations(page);
    await shot(page, 'phone-patrol-offline');
    await page.waitForTimeout(2000);
    expect(await casesDescribed(app, second)).toHaveLength(0);

    // Back online: everything waiting goes, once.
    await context.setOffline(false);
    await expect
      .poll(() => casesDescribed(app, second).then((rows) => rows.length), { timeout: 60_000 })
      .toBe(1);
    await expect.poll(() => page.getByTestId('outbox').count(), { timeout: 60_000 }).toBe(0);
    expect(await casesDescribed(app, first)).toHaveLength(1);
    const [handled] = await casesDescribed(app, second);
    expect(handled).toMatchObject({ state: 'handled', source: 'patrol' });

    // The end, with its summary from the server.
    await page.getByRole('button', { name: '结束巡查' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '结束巡查' }).click();
    await page.getByTestId('patrol-summary').waitFor();
    await page.getByText('已同步到平台').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('summary-findings').textContent()).toBe('2');
    await noSeriousViolations(page);
    await shot(page, 'phone-patrol-summary');

    const patrols = await c.people.gridWorker.client.get('/api/patrols?mine=true');
    expect(patrols.body.items).toHaveLength(1);
    const patrol = patrols.body.items[0];
    expect(patrol).toMatchObject({ state: 'ended', endReason: 'worker' });
    expect(patrol.summary.findingCount).toBe(2);
    expect(patrol.summary.handledOnTheSpotCount).toBe(1);
    expect(patrol.summary.pointCount).toBeGreaterThan(2);
    const detail = await c.people.gridWorker.client.get(`/api/patrols/${patrol.id}`);
    expect(detail.body.findings).toHaveLength(2);
    await context.close();
  }, 400_000);
});
