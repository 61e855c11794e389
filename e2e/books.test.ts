import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { SeededRandom } from '../apps/server/src/modules/demo/random.ts';
import { buildVillageBooksOn } from '../apps/server/src/modules/finance/finance-test-helpers.ts';
import { seedDemoBooks } from '../apps/server/src/modules/finance/seed-demo-books.ts';
import { sealOnce } from '../apps/server/src/modules/journal/sealer.ts';
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
 * The villagers' page (/books) at 390×844 in Chromium (WeChat's user agent) against the real server:
 * a village with 14 months of books sealed through the use-cases, its figures and charts, a disclosure,
 * a voucher with the handler masked, the verify button passing; then a sealed voucher changed in SQL and
 * the same button naming it.
 */
describe('villagers’ books /books', () => {
  let app: App;
  let url: string;
  let browser: Browser;
  let bookId: string;
  let keeper: TestUser;
  let approver: TestUser;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    const c = await buildCommunity(app);
    const bookkeeper = (keeper = await createTestUser(app, {
      name: '王会计',
      roles: [{ role: 'bookkeeper', unitId: c.community.id }],
    }));
    approver = c.people.communityAdmin;
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
      new SeededRandom(6),
      14,
    );
    bookId = (
      await app.db
        .selectFrom('finance_books')
        .select('id')
        .where('unit_id', '=', c.community.id)
        .executeTakeFirstOrThrow()
    ).id;
    // another village with books but nothing disclosed yet does not show in the list
    await buildVillageBooksOn(app, c, c.compound.id);
    await sealOnce(app);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test('a villager opens the books on a phone, drills into a voucher and verifies the period', async () => {
    const context = await phoneContext(browser, url);
    const page = await context.newPage();
    await page.goto('/books');
    await page.waitForSelector(`a[href="/books/${bookId}"]`, { timeout: 120_000 });
    await page.screenshot({ path: `${SCREENSHOTS}books-list-390.png` });
    await page.click(`a[href="/books/${bookId}"]`);
    await page.waitForSelector('.bk-figure-strong');
    await page.waitForSelector('canvas');
    expect(await page.textContent('h1')).toBe('测试社区');
    expect(await page.locator('.bk-disclosure').count()).toBe(14);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}books-village-390.png` });
    await page.screenshot({ path: `${SCREENSHOTS}books-village-390-full.png`, fullPage: true });

    await page.locator('.bk-disclosure').first().click();
    await page.waitForSelector('.bk-voucher-row');
    await page.locator('.bk-voucher-row').first().click();
    await page.waitForSelector('.bk-sheet');
    const sheet = await page.textContent('.bk-sheet');
    expect(sheet).toContain('经手人');
    expect(sheet).toMatch(/经手人 \S\*+/);
    expect(sheet).toContain('合计');
    await page.screenshot({ path: `${SCREENSHOTS}books-voucher-390.png` });
    await page.keyboard.press('Escape');

    await page.click('button:has-text("核验")');
    await page.waitForSelector('[data-testid="verify-result"]', { timeout: 60_000 });
    const result = await page.textContent('[data-testid="verify-result"]');
    expect(result).toContain('核验通过');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}books-verified-390.png` });

    // English switch
    await page.click('button.bk-lang');
    await expect.poll(() => page.textContent('.bk-verify')).toContain('Verify these books');
    await context.close();
  }, 300_000);

  test('a sealed voucher changed in SQL: the verify button says so and names it', async () => {
    const disclosure = await app.db
      .selectFrom('finance_disclosures')
      .select(['id', 'first_period'])
      .where('book_id', '=', bookId)
      .where('state', '=', 'sealed')
      .orderBy('last_period')
      .executeTakeFirstOrThrow();
    const voucher = await app.db
      .selectFrom('finance_vouchers')
      .select(['id', 'number'])
      .where('book_id', '=', bookId)
      .where('period', '=', disclosure.first_period)
      .where('number', '=', 2)
      .executeTakeFirstOrThrow();
    await sql`UPDATE finance_vouchers SET summary = summary || '（改）' WHERE id = ${voucher.id}`.execute(
      app.db,
    );
    const context = await phoneContext(browser, url);
    const page = await context.newPage();
    await page.goto(`/books/${bookId}/${disclosure.id}`);
    await page.click('button:has-text("核验")', { timeout: 120_000 });
    await page.waitForSelector('[data-testid="verify-result"]', { timeout: 60_000 });
    const result = await page.textContent('[data-testid="verify-result"]');
    expect(result).toContain('核验未通过');
    expect(result).toContain(`记-${disclosure.first_period}-002`);
    await page.screenshot({ path: `${SCREENSHOTS}books-tampered-390.png` });
    await context.close();
    await sql`UPDATE finance_vouchers SET summary = replace(summary, '（改）', '') WHERE id = ${voucher.id}`.execute(
      app.db,
    );
  }, 300_000);
  test('the bookkeeper and the committee work the books in the console', async () => {
    for (const [who, user] of [
      ['bookkeeper', keeper],
      ['committee', approver],
    ] as const) {
      const context = await desktopContext(browser, url);
      const [name, value] = user.client.cookie!.split('=') as [string, string];
      await context.addCookies([{ name, value, url }]);
      const page = await context.newPage();
      await page.setViewportSize({ width: 1920, height: 1080 });
      await page.goto('/console/finance');
      await page.waitForSelector('.ant-table-row', { timeout: 120_000 });
      await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
      expect(await seriousA11yViolations(page)).toEqual([]);
      if (who === 'bookkeeper') {
        // the current month's draft can be submitted by its preparer
        expect(await page.getByRole('button', { name: /^提\s*交$/ }).count()).toBeGreaterThan(0);
        await page.screenshot({ path: `${SCREENSHOTS}console-finance-vouchers.png` });
        await page.click('div[role="tab"]:has-text("期间与公开")');
        await page.waitForSelector('text=已封存');
        await page.screenshot({ path: `${SCREENSHOTS}console-finance-periods.png` });
      } else {
        // the committee sees the voucher it approved waiting for the finance group
        await page.waitForSelector('.ant-tag:has-text("待审核")');
        await page.click('div[role="tab"]:has-text("报表")');
        await page.waitForSelector('text=借贷平衡');
        await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
        await page.screenshot({ path: `${SCREENSHOTS}console-finance-reports.png` });
      }
      await context.close();
    }
  }, 300_000);
});
