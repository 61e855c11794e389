import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { lastSmsCode } from '../apps/server/src/modules/people/people-test-helpers.ts';
import { buildCommunity, type TestCommunity } from '../apps/server/test/factories.ts';
import { randomJpeg, uploadPhoto } from '../apps/server/test/multipart.ts';
import { launchChromium, startWebServer } from './harness.ts';
import { noSeriousViolations, phone, SCREENSHOTS, shot } from './phone-fixtures.ts';
import { act, report } from './map-fixtures.ts';

/** The cases of the community with this description (to count what arrived). */
async function casesDescribed(app: App, description: string) {
  return app.db
    .selectFrom('cases')
    .select(['id', 'code', 'state', 'rating', 'rework_count'])
    .where('description', '=', description)
    .execute();
}

/**
 * The resident's journey on the phone site (/m) at 390×844 in WeChat's browser: sign in with a one-time
 * code, report with a photo and a GPS location (a nearby report of the same problem shown first), see the
 * case in "my reports" and on the map, follow it as staff handle it (through the API), rate it — 不满意
 * sends it back, 满意 closes it — and open the site again without a network.
 */
describe('phone site /m: residents', () => {
  let app: App;
  let url: string;
  let browser: Browser;
  let c: TestCommunity;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    c = await buildCommunity(app);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test('a resident signs in, reports with a photo and a location, follows the case and rates it', async () => {
    const context = await phone(browser, url);
    await context.grantPermissions(['geolocation']);
    const spot = c.pointIn(0);
    await context.setGeolocation({ latitude: spot.lat, longitude: spot.lng, accuracy: 12 });
    const page = await context.newPage();

    // Someone already reported rubbish a few metres away: the form shows it before sending.
    await report(c.people.otherResident.client, {
      categoryCode: '0101',
      description: '邻居先报的：路口垃圾',
      location: { lng: spot.lng + 0.0003, lat: spot.lat },
    });

    // The public home, then sign-in with a one-time code.
    await page.goto('/m');
    await page.getByRole('button', { name: '登录后上报问题' }).waitFor();
    await noSeriousViolations(page);
    await shot(page, 'phone-public-home');
    await page.getByRole('button', { name: '登录后上报问题' }).click();
    await page.getByRole('textbox', { name: '手机号' }).fill(c.people.resident.phone);
    await page.getByRole('button', { name: '获取验证码' }).click();
    await page.getByText(/验证码已发送至/).waitFor();
    await page.getByRole('textbox', { name: '验证码' }).fill(lastSmsCode(app, c.people.resident.phone));
    await noSeriousViolations(page);
    await shot(page, 'phone-signin');
    await page.getByRole('button', { name: '登录', exact: true }).click();

    // The report form, where the sign-in was going.
    await page.waitForURL('**/m/report');
    await page.getByText(/已定位/).waitFor();
    const input = page.locator('[data-testid="report-photos"] input[type=file]');
    // Not an image: refused with a message, nothing kept.
    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.getByText('“notes.txt”不是图片，只能上传照片').waitFor();
    expect(await page.locator('[data-testid="report-photos"] img').count()).toBe(0);
    // A large photo is shrunk on the phone before it is kept.
    await input.setInputFiles({
      name: 'big.jpg',
      mimeType: 'image/jpeg',
      buffer: await randomJpeg(3000, 2000),
    });
    await page.locator('[data-testid="report-photos"] img').waitFor();
    await page.getByRole('radio', { name: '暴露垃圾' }).click();
    const description = `3 栋楼下垃圾两天没清运 ${crypto.randomUUID().slice(0, 6)}`;
    await page.getByRole('textbox', { name: '问题描述' }).fill(description);
    await page.getByText(/附近已有 1 件同类问题/).waitFor();
    await noSeriousViolations(page);
    await shot(page, 'phone-report');

    // What was typed survives a reload (the form keeps its draft on the phone).
    await page.reload();
    await expect.poll(() => page.getByRole('textbox', { name: '问题描述' }).inputValue()).toBe(description);
    await page.locator('[data-testid="report-photos"] img').waitFor();

    await page.getByRole('button', { name: '提交上报' }).click();
    await page.getByText('上报成功').waitFor();
    const [created] = await casesDescribed(app, description);
    expect(created).toBeDefined();
    expect(await casesDescribed(app, description)).toHaveLength(1);
    await page.getByText(new RegExp(created!.code)).waitFor();
    const stored = await c.people.communityAdmin.client.get(`/api/cases/${created!.id}`);
    expect(stored.body.photos).toHaveLength(1);
    expect(stored.body.location.lng).toBeCloseTo(spot.lng, 5);
    expect(stored.body.gridId).toBe(c.grid.id);

    // My reports.
    await page.getByRole('button', { name: '我的上报' }).click();
    await page.waitForURL('**/m/mine');
    await page.getByText(description.slice(0, 24)).waitFor();
    await noSeriousViolations(page);
    await shot(page, 'phone-my-reports');

    // On the map of the community (the public list view shows both open reports).
    await page.goto(`/m/map?unit=${c.community.id}`);
    await page.getByRole('tab', { name: '列表' }).click();
    await expect.poll(() => page.locator('.pm-list .adm-list-item').count()).toBe(2);

    // Staff handle it (through the API): accept, dispatch, start, submit with a photo, check on site.
    await act(c.people.communityAdmin.client, created!.id, 'accept');
    await act(c.people.communityAdmin.client, created!.id, 'dispatch', { orgId: c.teams.sanitation });
    await act(c.people.handler.client, created!.id, 'start');
    const after = await uploadPhoto(c.people.handler.client);
    await act(c.people.handler.client, created!.id, 'submit', {
      result: '垃圾已清运，地面已冲洗',
      photoIds: [after],
    });
    await act(c.people.gridWorker.client, created!.id, 'verify', { passed: true });

    // The resident sees a notification, the result and its photo, and rates it: 不满意 sends it back.
    await page.goto('/m/notifications');
    await page.locator('.adm-list-item').first().waitFor();
    await noSeriousViolations(page);
    await shot(page, 'phone-notifications');
    await page.goto(`/m/cases/${created!.id}`);
    await page.getByTestId('result').getByText('垃圾已清运，地面已冲洗').waitFor();
    await expect.poll(() => page.getByTestId('state-hint').textContent()).toBe('请您评价处理结果');
    await noSeriousViolations(page);
    await shot(page, 'phone-case');
    await page.getByRole('button', { name: '评价处理结果' }).click();
    await page.getByText('不满意', { exact: true }).click();
    await page.getByText('选择“不满意”后，问题会退回重新处理。').waitFor();
    await page.getByRole('textbox', { name: '说明' }).fill('地面还有污水');
    await noSeriousViolations(page);
    await shot(page, 'phone-rate');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await expect.poll(async () => (await casesDescribed(app, description))[0]!.rework_count).toBe(1);
    const reopened = (await casesDescribed(app, description))[0]!;
    expect(['dispatched', 'in_progress']).toContain(reopened.state);

    // Handled again; this time 满意 closes it.
    if (reopened.state === 'dispatched') await act(c.people.handler.client, created!.id, 'start');
    await act(c.people.handler.client, created!.id, 'submit', { result: '污水已清理干净' });
    await act(c.people.gridWorker.client, created!.id, 'verify', { passed: true });
    await page.reload();
    await page.getByRole('button', { name: '评价处理结果' }).click();
    await page.getByText('满意', { exact: true }).click();
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await expect.poll(async () => (await casesDescribed(app, description))[0]!.state).toBe('closed');
    expect((await casesDescribed(app, description))[0]!.rating).toBe('satisfied');

    // The home screen, signed in.
    await page.goto('/m/home');
    await page.getByText('您好，张三').waitFor();
    await page.getByText('最近上报').waitFor();
    await noSeriousViolations(page);
    await shot(page, 'phone-home');

    // Installable and usable offline: manifest, service worker, and the site opens without a network.
    const manifest = await page.evaluate(async () => (await fetch('/m/manifest.webmanifest')).json());
    expect(manifest).toMatchObject({ start_url: '/m/home', display: 'standalone' });
    expect(manifest.icons.map((icon: { sizes: string }) => icon.sizes)).toContain('512x512');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
    await page.reload(); // now controlled by the service worker, which keeps the pages' code
    await page.getByText('您好，张三').waitFor();
    // the idle-time download of the other pages, through the worker into its cache
    await page.waitForFunction(
      () =>
        caches
          .open('minqing-assets-v1')
          .then((cache) => cache.keys())
          .then((keys) => keys.some((request) => request.url.includes('/assets/Report'))),
      undefined,
      { timeout: 30_000 },
    );
    await context.setOffline(true);
    await page.goto('/m/home');
    await page.getByText('离线模式：填写的内容会保存在手机上，联网后自动发送').waitFor();
    await page.getByText('您好，张三').waitFor();
    await page.getByRole('button', { name: /随手拍/ }).click();
    await page.getByRole('textbox', { name: '问题描述' }).waitFor();
    await context.close();
  }, 300_000);
});
