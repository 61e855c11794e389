import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { SeededRandom } from '../apps/server/src/modules/demo/random.ts';
import { findBook } from '../apps/server/src/modules/finance/repository.ts';
import { ledgerBalanceUnder } from '../apps/server/src/modules/finance/registers/funds.ts';
import { seedDemoBooks } from '../apps/server/src/modules/finance/seed-demo-books.ts';
import { buildCommunity, createTestUser, type TestUser } from '../apps/server/test/factories.ts';
import {
  desktopContext,
  launchChromium,
  phoneContext,
  seriousA11yViolations,
  startWebServer,
  SCREENSHOTS,
} from './harness.ts';

/**
 * The demo village's funds and assets (seeded as in `npm run demo`, 14 months so a year-end falls in
 * them): the registers agree with the ledger, the assets on the villagers' page at 390×844, and the
 * console's 资金, 资产 (with the depreciation run) and 年终结账 tabs for the bookkeeper.
 */
describe('funds and assets registers', () => {
  let app: App;
  let url: string;
  let browser: Browser;
  let bookId: string;
  let bookkeeper: TestUser;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const c = await buildCommunity(app);
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
      new SeededRandom(8),
      14,
    );
    bookId = (
      await app.db
        .selectFrom('finance_books')
        .select('id')
        .where('unit_id', '=', c.community.id)
        .executeTakeFirstOrThrow()
    ).id;
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test('the demo registers agree with the ledger; the year closed; the bank reconciled', async () => {
    const assets = await bookkeeper.client.get<{
      items: { code: string; originalValue: number; accumulatedDepreciation: number; state: string }[];
      totals: { originalValue: number; accumulatedDepreciation: number };
    }>(`/api/finance/books/${bookId}/assets`);
    expect(assets.status).toBe(200);
    expect(assets.body.items.length).toBeGreaterThanOrEqual(10);
    const book = (await findBook(app.db, bookId))!;
    // 151 固定资产 and 152 累计折旧 in the books equal the register's totals
    expect(await ledgerBalanceUnder(app.db, book, '151', null)).toBe(assets.body.totals.originalValue);
    expect(-(await ledgerBalanceUnder(app.db, book, '152', null))).toBe(
      assets.body.totals.accumulatedDepreciation,
    );
    const funds = await bookkeeper.client.get<{ items: { isReconciled: boolean | null }[] }>(
      `/api/finance/books/${bookId}/funds`,
    );
    expect(funds.body.items).toHaveLength(2);
    expect(funds.body.items.every((fund) => fund.isReconciled)).toBe(true);
    const december = await app.db
      .selectFrom('finance_vouchers')
      .select(['period'])
      .where('book_id', '=', bookId)
      .where('kind', '=', 'closing')
      .where('state', '=', 'posted')
      .execute();
    expect(december.length).toBeGreaterThanOrEqual(1);
    const year = Number(december[0]!.period.slice(0, 4));
    const status = await bookkeeper.client.get<{ state: string }>(
      `/api/finance/books/${bookId}/year-end?year=${year}`,
    );
    expect(status.body.state).toBe('closed');
  });

  test('a villager sees the assets on a phone, with nothing personal', async () => {
    const context = await phoneContext(browser, url);
    const page = await context.newPage();
    const bodies: string[] = [];
    page.on('response', async (response) => {
      if (/\/api\/public\/books\/[^/]+\/assets/.test(response.url()))
        bodies.push(await response.text().catch(() => ''));
    });
    await page.goto(`/books/${bookId}`);
    const section = page.locator('section[aria-labelledby="bk-assets-title"]');
    await section.locator('.bk-table').getByText('村委会办公楼').first().waitFor({ timeout: 60_000 });
    const text = (await section.textContent()) ?? '';
    expect(text).toContain('垃圾清运车');
    expect(text).toContain('折旧计至');
    // where they stand: a numbered dot each on the village's outline
    expect(await section.locator('.bk-asset-map circle').count()).toBeGreaterThanOrEqual(10);
    expect(await section.locator('.bk-asset-map polygon').count()).toBeGreaterThanOrEqual(1);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body).not.toContain('"note"');
      expect(body).not.toContain('contractId');
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await section.locator('.bk-asset-map').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}books-assets-390.png` });
    await context.close();
  }, 300_000);

  test('the bookkeeper sees funds, assets, the depreciation run and the year end in the console', async () => {
    const context = await desktopContext(browser, url);
    const [name, value] = bookkeeper.client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
    const page = await context.newPage();
    await page.goto('/console/finance');
    const fundsTab = page.getByRole('tab', { name: '资金' });
    await fundsTab.waitFor({ timeout: 60_000 });
    await fundsTab.click();
    await page.getByText('农商银行基本户').first().waitFor();
    await page.getByText('相符').first().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-finance-funds.png` });

    await page.getByRole('tab', { name: '资产' }).click();
    await page.getByText('文化礼堂').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-finance-assets.png` });
    // change an asset's state: the dialog saves and the table shows it
    await page
      .getByRole('row', { name: /垃圾清运车/ })
      .getByRole('button', { name: /^修\s?改$/ })
      .click();
    const edit = page.getByRole('dialog');
    await edit.getByLabel('位置说明').fill('村委会新车库');
    await edit
      .getByRole('button', { name: '保 存' })
      .or(edit.getByRole('button', { name: '保存' }))
      .click();
    await page.getByText('村委会新车库').waitFor();
    await edit.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '计提折旧' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('本月折旧合计').waitFor();
    await dialog.getByText('村委会办公楼').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}console-finance-depreciation.png` });
    await dialog.getByRole('button', { name: '关闭' }).first().click();

    await page.getByRole('tab', { name: '年终结账' }).click();
    await page.getByText('结转损益').first().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-finance-year-end.png` });
    await context.close();
  }, 300_000);
});
