import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { buildCommunity, createTestUser, type TestUser } from '../apps/server/test/factories.ts';
import { report } from '../apps/server/src/modules/cases/case-test-helpers.ts';
import { launchChromium, seriousA11yViolations, startWebServer, SCREENSHOTS } from './harness.ts';

function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 30_000, interval: 100 });
}

/**
 * The console's administration added for issue 5's remaining parts, at 1440×900 in Chromium against
 * the real server: notification templates (通知模板) and merging duplicate resident accounts
 * (合并重复账号). Accessibility (axe-core) on each page; screenshots for docs/.
 */
describe('staff console administration', { timeout: 300_000 }, () => {
  let app: App;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function signedIn(user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      baseURL: url,
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      bypassCSP: true,
    });
    const [name, value] = user.client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
    return { context, page: await context.newPage() };
  }

  async function expectAccessible(page: Page, what: string) {
    await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'));
    const violations = await seriousA11yViolations(page);
    expect(violations, `${what}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  test('a community admin edits a notification template with a live preview, is told of an unknown placeholder, and resets it', async () => {
    const c = await buildCommunity(app);
    await report(c.people.resident.client, c);
    const { context, page } = await signedIn(c.people.communityAdmin);
    await page.goto(`/console/admin/notification-templates?unitId=${c.community.id}`);
    const row = page.getByRole('row', { name: /告知上报人：已受理/ });
    await row.getByRole('button', { name: /编\s?辑/ }).click();
    const dialog = page.getByRole('dialog');
    const zh = dialog.getByLabel('中文内容');
    await zh.fill('您好，事件 {编号} 已受理');
    await eventually(() => dialog.innerText()).toContain('未知占位符 {编号}');
    await zh.fill('您好，{类别}事件 {案件编号} 已受理，请留意后续通知');
    await eventually(() => dialog.getByTestId('template-preview').innerText()).toMatch(
      /您好，.+事件 \d{8}-\d{6} 已受理/,
    );
    await expectAccessible(page, 'template dialog');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-notification-template-edit.png') });
    await dialog.getByRole('button', { name: /保\s?存/ }).click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(() => row.innerText()).toContain('您好，{类别}事件 {案件编号} 已受理');
    expect(await row.innerText()).toContain('本单位');
    await expectAccessible(page, 'templates page');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-notification-templates.png') });

    await row.getByRole('button', { name: '恢复默认' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '恢复默认' }).click();
    await eventually(() => row.innerText()).toContain('您上报的事件 {案件编号} 已受理');
    await context.close();
  });

  test('an admin merges two resident accounts of one person after a preview of what moves', async () => {
    const c = await buildCommunity(app);
    const keep = c.people.otherResident;
    const duplicate = await createTestUser(app, {
      kind: 'resident',
      name: '李四',
      streetId: c.street.id,
      householdId: c.household.id,
      roles: [{ role: 'resident', unitId: c.community.id }],
    });
    await report(duplicate.client, c);
    await report(duplicate.client, c);
    const { context, page } = await signedIn(c.people.communityAdmin);
    await page.goto('/console/admin/residents');
    await page.getByRole('searchbox').fill('李四');
    await page.getByRole('searchbox').press('Enter');
    await eventually(() => page.getByRole('row', { name: /李四/ }).count()).toBe(2);
    for (const box of await page.getByRole('checkbox', { name: /选择 李四/ }).all()) await box.check();
    await page.getByTestId('merge-accounts').click();
    const dialog = page.getByRole('dialog');
    // Keep the account made first (the factory's), merge the new one.
    await eventually(() => dialog.getByTestId('merge-preview').innerText()).toContain('2 件转到保留账号');
    expect(await dialog.getByTestId('merge-preview').innerText()).toContain('住户登记转到保留账号');
    await expectAccessible(page, 'merge dialog');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-merge-accounts.png') });
    await dialog.getByRole('button', { name: '确认合并' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('combobox', { name: '状态' }).click();
    await page.getByTitle('全部').click();
    await eventually(() => page.getByRole('row', { name: /已合并/ }).count()).toBe(1);
    const rows = await app.db
      .selectFrom('cases')
      .select('reporter_id')
      .where('street_id', '=', c.street.id)
      .execute();
    expect(rows.map((r) => r.reporter_id)).toEqual([keep.id, keep.id]);
    await context.close();
  });
});
