import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { SeededRandom } from '../apps/server/src/modules/demo/random.ts';
import { seedDemoBooks } from '../apps/server/src/modules/finance/seed-demo-books.ts';
import {
  buildCommunity,
  createTestUser,
  type TestCommunity,
  type TestUser,
} from '../apps/server/test/factories.ts';
import {
  desktopContext,
  launchChromium,
  phoneContext,
  screenContext,
  seriousA11yViolations,
  startWebServer,
  SCREENSHOTS,
} from './harness.ts';

/** Full names of the demo contracts' holders: never on a public page, never in a public answer. */
const HOLDERS = ['陈大海', '李林生', '王建业', '欧阳牧', '13800138001', '44030019700101123X'];

/**
 * The demo village's resources and contracts (seeded as in `npm run demo`): on the villagers' page at
 * 390×844 with holders masked and the overdue-rent alert, on the big screen as a figure, and in the
 * console's 合同与租金 tab for the bookkeeper.
 */
describe('resources, contracts and overdue rent', () => {
  let app: App;
  let url: string;
  let browser: Browser;
  let bookId: string;
  let c: TestCommunity;
  let bookkeeper: TestUser;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    c = await buildCommunity(app);
    bookkeeper = await createTestUser(app, {
      name: '王会计',
      roles: [{ role: 'bookkeeper', unitId: c.community.id }],
    });
    const reviewer = await createTestUser(app, {
      name: '李理财',
      roles: [{ role: 'finance_reviewer', unitId: c.community.id }],
    });
    await seedDemoBooks(
      app,
      {
        unitId: c.community.id,
        name: '新山村',
        bookkeeperId: bookkeeper.id,
        reviewerId: reviewer.id,
        approverId: c.people.communityAdmin.id,
      },
      new SeededRandom(7),
      2,
    );
    bookId = (
      await app.db
        .selectFrom('finance_books')
        .select('id')
        .where('unit_id', '=', c.community.id)
        .executeTakeFirstOrThrow()
    ).id;
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test('a villager sees the resources, the contracts with holders masked and the overdue rent', async () => {
    const context = await phoneContext(browser, url);
    const page = await context.newPage();
    const bodies: string[] = [];
    page.on('response', async (response) => {
      if (response.url().includes('/api/')) bodies.push(await response.text().catch(() => ''));
    });
    await page.goto(`/books/${bookId}`);
    await page.waitForSelector('.bk-contract');
    await page.waitForSelector('.bk-alert');
    expect(await page.textContent('.bk-alert-title')).toContain('欠租预警：1 笔');
    expect(await page.textContent('.bk-alert')).toContain('李**');
    expect(await page.locator('.bk-contract').count()).toBe(5);
    expect(await page.locator('.bk-map polygon').count()).toBe(6);
    const text = (await page.textContent('body')) ?? '';
    expect(text).toContain('新山果蔬专业合作社');
    expect(text).toContain('欧阳*');
    expect(text).toContain('即将到期');
    const html = await page.content();
    for (const secret of HOLDERS) {
      expect(text, `page text shows ${secret}`).not.toContain(secret);
      expect(html, `page HTML holds ${secret}`).not.toContain(secret);
      for (const body of bodies) expect(body, `an API answer carries ${secret}`).not.toContain(secret);
    }
    // nothing wider than the phone
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.locator('.bk-alert').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}books-contracts-alert-390.png` });
    await page.locator('.bk-contract').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}books-contracts-390.png` });
    await context.close();
  }, 300_000);

  test('the big screen shows the area’s overdue rent as a figure', async () => {
    const context = await screenContext(browser, url);
    const page = await context.newPage();
    await page.goto(`/screen?unit=${c.street.id}`);
    const figure = page.locator('.overdue-rent-on');
    await figure.waitFor({ timeout: 60_000 });
    expect(await figure.textContent()).toMatch(/^欠租预警 1 笔 \/ ¥[\d,]+\.\d\d$/);
    const html = await page.content();
    for (const secret of HOLDERS) expect(html).not.toContain(secret);
    await page.screenshot({ path: `${SCREENSHOTS}screen-overdue-rent.png` });
    await context.close();
  }, 300_000);

  test('the bookkeeper sees the alert badge and the schedules in the console', async () => {
    const context = await desktopContext(browser, url);
    const [name, value] = bookkeeper.client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
    const page = await context.newPage();
    await page.goto('/console/finance');
    const tab = page.getByRole('tab', { name: /合同与租金/ });
    await tab.waitFor({ timeout: 60_000 });
    await expect.poll(() => tab.textContent()).toContain('1');
    await tab.click();
    await page.getByText('欠租预警：1 笔').waitFor();
    await page.getByText('李林生').first().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-finance-contracts.png` });
    await page.getByRole('tab', { name: '资源' }).click();
    await page.getByRole('cell', { name: '后山林地', exact: true }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}console-finance-resources.png` });
    await context.close();
  }, 300_000);
});
