import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildVillageBooks, postVoucher } from './finance-test-helpers.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

const LEAVES = ['101', '102', '112', '151', '211', '301', '501', '502', '511', '522', '541', '32201'];

/** A balanced voucher: 1–3 debit lines and 1–3 credit lines whose sums agree to the fen. */
const voucherArb = fc
  .record({
    month: fc.constantFrom('2025-01', '2025-02', '2025-03'),
    day: fc.integer({ min: 1, max: 28 }),
    debits: fc.array(
      fc.record({ account: fc.constantFrom(...LEAVES), amount: fc.integer({ min: 1, max: 5_000_000 }) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
    creditAccounts: fc.array(fc.constantFrom(...LEAVES), { minLength: 1, maxLength: 3 }),
    cuts: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 2 }),
  })
  .map(({ month, day, debits, creditAccounts, cuts }) => {
    const total = debits.reduce((sum, line) => sum + line.amount, 0);
    // split the total over the credit lines with integer arithmetic only; every line keeps ≥ 1 fen
    const credits: { account: string; amount: number }[] = [];
    let left = total;
    creditAccounts.forEach((account, index) => {
      const remaining = creditAccounts.length - index - 1;
      const share =
        remaining === 0
          ? left
          : Math.max(1, Math.min(left - remaining, Math.floor((left * (cuts[index] ?? 500)) / 1001)));
      credits.push({ account, amount: share });
      left -= share;
    });
    return {
      date: `${month}-${String(day).padStart(2, '0')}`,
      summary: '随机凭证',
      lines: [
        ...debits.map((line) => ({
          accountCode: line.account,
          summary: '借',
          debit: line.amount,
          credit: 0,
        })),
        ...credits.map((line) => ({
          accountCode: line.account,
          summary: '贷',
          debit: 0,
          credit: line.amount,
        })),
      ],
    };
  })
  .filter((voucher) => voucher.lines.every((line) => line.debit + line.credit > 0));

type Input = { lines: { accountCode: string; debit?: number; credit?: number }[] };

function expectedBalances(opening: Record<string, number>, vouchers: Input[]): Map<string, number> {
  const out = new Map(Object.entries(opening));
  for (const voucher of vouchers) {
    for (const line of voucher.lines) {
      out.set(line.accountCode, (out.get(line.accountCode) ?? 0) + (line.debit ?? 0) - (line.credit ?? 0));
    }
  }
  return out;
}

describe('double entry, for any sequence of balanced vouchers', () => {
  it('keeps debits equal to credits in every report, and a reversing voucher restores the balances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(voucherArb, { minLength: 1, maxLength: 5 }),
        fc.nat(),
        async (vouchers, pick) => {
          const books = await buildVillageBooks(app);
          const client = books.bookkeeper.client;
          const posted = [];
          for (const voucher of vouchers) posted.push(await postVoucher(books, voucher));

          const trial = await client.get(
            `/api/finance/books/${books.bookId}/reports/trial-balance?from=2025-01&to=2025-03`,
          );
          expect(trial.body.isBalanced).toBe(true);
          const total = vouchers.reduce((sum, v) => sum + v.lines.reduce((s, l) => s + (l.debit ?? 0), 0), 0);
          expect(trial.body.totals.debit).toBe(total);
          expect(trial.body.totals.credit).toBe(total);
          for (const month of ['2025-01', '2025-02', '2025-03']) {
            const sheet = await client.get(
              `/api/finance/books/${books.bookId}/reports/balance-sheet?period=${month}`,
            );
            expect(sheet.body.isBalanced).toBe(true);
          }
          const book = await client.get(`/api/finance/books/${books.bookId}`);
          const opening = Object.fromEntries(
            (book.body.openingBalances as { accountCode: string; debit: number; credit: number }[]).map(
              (row) => [row.accountCode, row.debit - row.credit],
            ),
          );
          const leafClosing = (
            rows: { code: string; isLeaf: boolean; closingDebit: number; closingCredit: number }[],
          ) =>
            new Map(
              rows.filter((row) => row.isLeaf).map((row) => [row.code, row.closingDebit - row.closingCredit]),
            );
          const nonZero = (map: Map<string, number>) =>
            new Map([...map].filter(([, amount]) => amount !== 0));
          expect(nonZero(leafClosing(trial.body.rows))).toEqual(nonZero(expectedBalances(opening, vouchers)));

          // reverse one of them in April: April's closing balances are those without it
          const index = pick % posted.length;
          const reversal = await client.post(`/api/finance/vouchers/${posted[index]!.id}/reverse`, {
            date: '2025-04-01',
            reason: '随机冲销',
          });
          expect(reversal.status).toBe(200);
          await client.post(`/api/finance/vouchers/${reversal.body.id}/submit`, {});
          await books.approver.client.post(`/api/finance/vouchers/${reversal.body.id}/approve`, {});
          await books.reviewer.client.post(`/api/finance/vouchers/${reversal.body.id}/review`, {});
          expect((await client.post(`/api/finance/vouchers/${reversal.body.id}/post`, {})).status).toBe(200);
          const after = await client.get(
            `/api/finance/books/${books.bookId}/reports/trial-balance?from=2025-04&to=2025-04`,
          );
          expect(after.body.isBalanced).toBe(true);
          const without = vouchers.filter((_, i) => i !== index);
          expect(nonZero(leafClosing(after.body.rows))).toEqual(nonZero(expectedBalances(opening, without)));
        },
      ),
      { numRuns: 12 },
    );
  }, 600_000);
});
