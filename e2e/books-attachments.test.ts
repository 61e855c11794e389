import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import {
  buildVillageBooks,
  closeAndSeal,
  postVoucher,
  rentVoucher,
} from '../apps/server/src/modules/finance/finance-test-helpers.ts';
import { sealOnce } from '../apps/server/src/modules/journal/sealer.ts';
import { multipart } from '../apps/server/test/multipart.ts';
import {
  launchChromium,
  phoneContext,
  seriousA11yViolations,
  startWebServer,
  SCREENSHOTS,
} from './harness.ts';

/** A receipt-like picture: white paper with dark lines of "text". */
async function receipt(): Promise<Buffer> {
  const lines = Array.from(
    { length: 9 },
    (_, i) => `<rect x="40" y="${70 + i * 44}" width="${i % 3 === 2 ? 220 : 400}" height="14" fill="#333"/>`,
  ).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="520"><rect width="480" height="520" fill="#fbfaf5"/><rect x="40" y="24" width="260" height="22" fill="#b91c1c"/>${lines}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

/**
 * A receipt photo on the villagers' page at 390×844: the bookkeeper attaches it to a voucher, the month is
 * sealed, and a villager opens the voucher, sees the photo (the public copy) and verifies the period —
 * the check hashes the photo too.
 */
describe('villagers’ books: a receipt photo on a voucher', () => {
  let app: App;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test('the receipt photo is shown on the public voucher and covered by the verify button', async () => {
    const books = await buildVillageBooks(app);
    const { body, headers } = multipart([
      { name: 'file', data: await receipt(), filename: '收据.jpg', contentType: 'image/jpeg' },
    ]);
    const photo = await books.bookkeeper.client.post<{ id: string; urls: { thumb: string } }>(
      `/api/finance/books/${books.bookId}/attachments`,
      body,
      headers,
    );
    expect(photo.status, JSON.stringify(photo.body)).toBe(201);
    await postVoucher(books, {
      ...rentVoucher('2025-01-10', 8_000_00),
      attachments: [{ attachmentId: photo.body.id }],
    });
    const sealed = await closeAndSeal(books, '2025-01');
    await sealOnce(app);

    const context = await phoneContext(browser, url);
    const page = await context.newPage();
    await page.goto(`/books/${books.bookId}/${sealed.id}`);
    await page.waitForSelector('.bk-voucher-row', { timeout: 120_000 });
    await page.locator('.bk-voucher-row').first().click();
    await page.waitForSelector('.bk-sheet .bk-attachments img');
    await expect
      .poll(() =>
        page.$eval('.bk-sheet .bk-attachments img', (img) => (img as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
    const sheet = await page.textContent('.bk-sheet');
    expect(sheet).not.toContain('收据.jpg');
    expect(sheet).not.toContain('王会计');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}books-voucher-receipt-390.png` });
    await page.keyboard.press('Escape');

    await page.click('button:has-text("核验")');
    await page.waitForSelector('[data-testid="verify-result"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="verify-result"]')).toContain('核验通过');
    expect(await page.textContent('.bk-verify')).toContain('附件与封存一致');
    await context.close();
  }, 300_000);
});
