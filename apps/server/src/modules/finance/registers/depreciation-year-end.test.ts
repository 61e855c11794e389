import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../app.ts';
import { buildTestApp, Client } from '../../../../test/harness.ts';
import {
  buildVillageBooks,
  closeAndSeal,
  expenseVoucher,
  line,
  postVoucher,
  rentVoucher,
  verifyStreetOf,
  type VillageBooks,
} from '../finance-test-helpers.ts';
import { chargeFor, monthlyCharge } from './depreciation-math.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

function ok<T = any>(reply: { status: number; body: unknown }, status = 200): T {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  return reply.body as T;
}

/** Submit → approve → review → post an existing draft. */
async function takeThrough(books: VillageBooks, id: string) {
  ok(await books.bookkeeper.client.post(`/api/finance/vouchers/${id}/submit`, {}));
  ok(await books.approver.client.post(`/api/finance/vouchers/${id}/approve`, {}));
  ok(await books.reviewer.client.post(`/api/finance/vouchers/${id}/review`, { note: '同意' }));
  return ok(await books.bookkeeper.client.post(`/api/finance/vouchers/${id}/post`, {}));
}

function addAsset(books: VillageBooks, body: Record<string, unknown>) {
  return books.bookkeeper.client.post(`/api/finance/books/${books.bookId}/assets`, {
    category: 'infrastructure',
    isOperating: false,
    acquiredHow: 'construction',
    ...body,
  });
}

describe('depreciation arithmetic', () => {
  it('charges floor((original − salvage) / life) a month and the remainder in the last month', () => {
    const a = {
      original_value: 100_00,
      salvage_value: 0,
      useful_life_months: 7,
      acquired_on: '2024-12-15',
      state: 'in_use',
    };
    expect(monthlyCharge(a)).toBe(1428);
    let charged = 0;
    const charges: number[] = [];
    for (const period of [
      '2024-12',
      '2025-01',
      '2025-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
    ]) {
      const { amount } = chargeFor(a, period, charged);
      charges.push(amount);
      charged += amount;
    }
    // nothing in the month it was acquired; 6 × 14.28 then 14.32; nothing after its life
    expect(charges).toEqual([0, 1428, 1428, 1428, 1428, 1428, 1428, 1432, 0]);
    expect(charged).toBe(100_00);
    // with a salvage value and a skipped month, the last month catches up to original − salvage exactly
    const b = { ...a, salvage_value: 1, useful_life_months: 3 };
    const first = chargeFor(b, '2025-01', 0).amount;
    expect(first).toBe(3333);
    expect(chargeFor(b, '2025-03', first)).toEqual({ amount: 9999 - 3333, isLastMonth: true });
    // not depreciated: no life, disposed
    expect(chargeFor({ ...a, useful_life_months: null }, '2025-02', 0).amount).toBe(0);
    expect(chargeFor({ ...a, state: 'disposed' }, '2025-02', 0).amount).toBe(0);
  });
});

describe('depreciation run (计提折旧)', () => {
  it('makes one draft voucher per month through the normal workflow; twice refused; closed month refused; the total equals original − salvage', async () => {
    const books = await buildVillageBooks(app);
    const { bookkeeper, bookId } = books;
    const url = `/api/finance/books/${bookId}/depreciation`;

    // nothing registered yet
    const empty = await bookkeeper.client.post(url, { period: '2025-01' });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe('nothing_to_depreciate');

    ok(
      await addAsset(books, {
        code: 'LD-01',
        name: '路灯',
        originalValue: 100_00,
        usefulLifeMonths: 3,
        acquiredOn: '2024-12-20',
      }),
      201,
    );
    ok(
      await addAsset(books, {
        code: 'BG-01',
        name: '村委会办公楼',
        category: 'building',
        originalValue: 1_200_000_00,
        salvageValue: 60_000_00,
        usefulLifeMonths: 480,
        acquiredOn: '2024-12-01',
      }),
      201,
    );
    ok(
      await addAsset(books, {
        code: 'CF-01',
        name: '集体厂房',
        category: 'building',
        isOperating: true,
        originalValue: 500_000_00,
        usefulLifeMonths: 240,
        acquiredOn: '2024-06-01',
        openingDepreciation: 12_500_00,
      }),
      201,
    );
    ok(
      await addAsset(books, {
        code: 'TD-01',
        name: '晒谷场',
        category: 'other',
        originalValue: 9_000_00,
        usefulLifeMonths: null,
        acquiredOn: '2010-01-01',
      }),
      201,
    );

    const bad = await bookkeeper.client.post(url, { period: '2025-13' });
    expect(bad.status).toBe(400);
    const preview = ok(await bookkeeper.client.get(`${url}?period=2025-01`));
    expect(preview).toMatchObject({ voucherId: null, total: 3333 + 237_500 + 208_333 });

    const january = ok(await bookkeeper.client.post(url, { period: '2025-01' }), 201);
    expect(january.voucherState).toBe('draft');
    expect(january.items.map((i: { code: string; amount: number }) => [i.code, i.amount])).toEqual([
      ['BG-01', 237_500], // (1 200 000 − 60 000) / 480
      ['CF-01', 208_333], // 500 000 / 240, floor
      ['LD-01', 3333],
    ]);
    // debit 502 operating, 511 management, 541 public welfare; credit 152 累计折旧
    expect(january.lines).toEqual([
      { accountCode: '502', debit: 208_333, credit: 0 },
      { accountCode: '511', debit: 237_500, credit: 0 },
      { accountCode: '541', debit: 3333, credit: 0 },
      { accountCode: '152', debit: 0, credit: 449_166 },
    ]);
    const voucher = ok(await bookkeeper.client.get(`/api/finance/vouchers/${january.voucherId}`));
    expect(voucher).toMatchObject({ kind: 'depreciation', state: 'draft', date: '2025-01-31' });

    const twice = await bookkeeper.client.post(url, { period: '2025-01' });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({
      code: 'depreciation_already_run',
      details: { voucherId: january.voucherId },
    });
    // a computed voucher is not edited by hand
    const edit = await bookkeeper.client.put(`/api/finance/vouchers/${january.voucherId}`, {
      date: '2025-01-31',
      summary: '改',
      lines: [line('511', 'debit', 1), line('152', 'credit', 1)],
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('voucher_computed');
    // discarded, it may be run again
    ok(await bookkeeper.client.post(`/api/finance/vouchers/${january.voucherId}/discard`, {}));
    const rerun = ok(await bookkeeper.client.post(url, { period: '2025-01' }), 201);
    expect(rerun.total).toBe(449_166);
    await takeThrough(books, rerun.voucherId);

    const assets = ok(await bookkeeper.client.get(`/api/finance/books/${bookId}/assets`));
    const byCode = new Map(assets.items.map((a: { code: string }) => [a.code, a]));
    expect(byCode.get('CF-01')).toMatchObject({ accumulatedDepreciation: 12_500_00 + 208_333 });
    expect(byCode.get('LD-01')).toMatchObject({ accumulatedDepreciation: 3333, netValue: 100_00 - 3333 });

    for (const period of ['2025-02', '2025-03']) {
      const run = ok(await bookkeeper.client.post(url, { period }), 201);
      await takeThrough(books, run.voucherId);
    }
    const lamp = ok(await bookkeeper.client.get(`/api/finance/books/${bookId}/assets`)).items.find(
      (a: { code: string }) => a.code === 'LD-01',
    );
    expect(lamp).toMatchObject({ accumulatedDepreciation: 100_00, netValue: 0 }); // 33.33 + 33.33 + 33.34
    const april = ok(await bookkeeper.client.get(`${url}?period=2025-04`));
    expect(april.items.map((i: { code: string }) => i.code)).toEqual(['BG-01', 'CF-01']);

    // the ledger: 152 moved by exactly the runs
    const trial = ok(
      await bookkeeper.client.get(
        `/api/finance/books/${bookId}/reports/trial-balance?from=2025-01&to=2025-03`,
      ),
    );
    expect(trial.isBalanced).toBe(true);
    const accumulated = trial.rows.find((r: { code: string }) => r.code === '152');
    expect(accumulated.credit).toBe(3333 + 3333 + 3334 + 3 * (237_500 + 208_333));
    expect(accumulated.debit).toBe(0);

    // March's run reversed (冲销): it no longer counts, and March may be run again
    const marchRun = ok(await bookkeeper.client.get(`${url}?period=2025-03`));
    const reversal = ok(
      await bookkeeper.client.post(`/api/finance/vouchers/${marchRun.voucherId}/reverse`, {
        date: '2025-03-31',
        reason: '重复计提',
      }),
    );
    await takeThrough(books, reversal.id);
    const lampAfter = ok(await bookkeeper.client.get(`/api/finance/books/${bookId}/assets`)).items.find(
      (a: { code: string }) => a.code === 'LD-01',
    );
    expect(lampAfter.accumulatedDepreciation).toBe(3333 + 3333);
    const again = ok(await bookkeeper.client.post(url, { period: '2025-03' }), 201);
    expect(again.items.find((i: { code: string }) => i.code === 'LD-01')).toMatchObject({
      amount: 3334,
      isLastMonth: true,
    });
    await takeThrough(books, again.voucherId);

    // villagers see depreciation to the last sealed month only
    await closeAndSeal(books, '2025-01');
    const villagers = ok(await new Client(app).get(`/api/public/books/${bookId}/assets`));
    expect(villagers.asOf).toBe('2025-01');
    expect(villagers.items.find((a: { code: string }) => a.code === 'LD-01')).toMatchObject({
      accumulatedDepreciation: 3333,
      netValue: 100_00 - 3333,
    });
    expect(JSON.stringify(villagers)).not.toContain('expenseAccount');

    // a closed or sealed month is refused
    ok(await bookkeeper.client.post(`/api/finance/books/${bookId}/periods/2025-02/close`, {}));
    ok(await bookkeeper.client.post(`/api/finance/books/${bookId}/periods/2025-03/close`, {}));
    for (const period of ['2025-01', '2025-03']) {
      const closed = await bookkeeper.client.post(url, { period });
      expect(closed.status).toBe(409);
      expect(closed.body.error.code).toBe('period_closed');
    }
    const reviewer = await books.reviewer.client.post(url, { period: '2025-04' });
    expect(reviewer.status).toBe(403);
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });
});

describe('year-end closing (年终结账)', () => {
  it('refuses while vouchers wait, closes income and expenses into 本年收益 and 收益分配, then closes the year', async () => {
    const books = await buildVillageBooks(app, { startMonth: '2025-01' });
    const { bookkeeper, bookId } = books;
    await postVoucher(books, rentVoucher('2025-03-10', 8_000_00)); // 501 income
    await postVoucher(books, expenseVoucher('2025-05-10', 1_500_00)); // 511 expense
    await postVoucher(books, {
      date: '2025-11-20',
      summary: '财政补助',
      lines: [line('102', 'debit', 2_000_00), line('522', 'credit', 2_000_00)],
    });
    await postVoucher(books, {
      date: '2025-12-20',
      summary: '年终福利分配',
      lines: [line('32201', 'debit', 1_000_00), line('102', 'credit', 1_000_00)],
    });
    const pending = ok(
      await bookkeeper.client.post(
        `/api/finance/books/${bookId}/vouchers`,
        expenseVoucher('2025-06-01', 100),
      ),
      201,
    );
    const status = ok(await bookkeeper.client.get(`/api/finance/books/${bookId}/year-end?year=2025`));
    expect(status).toMatchObject({
      state: 'open',
      pendingCount: 1,
      income: 10_000_00,
      expense: 1_500_00,
      netIncome: 8_500_00,
    });
    expect(status.allowedActions).toEqual([]);

    const refused = await bookkeeper.client.post(`/api/finance/books/${bookId}/year-end/closing-voucher`, {
      year: 2025,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'year_has_pending', details: { pending: 1 } });
    const early = await bookkeeper.client.post(`/api/finance/books/${bookId}/year-end/close`, { year: 2025 });
    expect(early.status).toBe(409);
    const wrongDate = await bookkeeper.client.post(`/api/finance/books/${bookId}/year-end/closing-voucher`, {
      year: 2025,
      date: '2025-11-30',
    });
    expect(wrongDate.status).toBe(422);
    expect((await bookkeeper.client.get(`/api/finance/books/${bookId}/year-end?year=1999`)).status).toBe(400);
    ok(await bookkeeper.client.post(`/api/finance/vouchers/${pending.id}/discard`, {}));

    const drafted = ok(
      await bookkeeper.client.post(`/api/finance/books/${bookId}/year-end/closing-voucher`, { year: 2025 }),
      201,
    );
    expect(drafted.state).toBe('voucher_pending');
    expect(drafted.lines).toEqual([
      { accountCode: '501', name: '经营收入', debit: 8_000_00, credit: 0 },
      { accountCode: '511', name: '管理费用', debit: 0, credit: 1_500_00 },
      { accountCode: '522', name: '补助收入', debit: 2_000_00, credit: 0 },
      { accountCode: '321', name: '本年收益', debit: 0, credit: 8_500_00 },
      { accountCode: '321', name: '本年收益', debit: 8_500_00, credit: 0 },
      { accountCode: '32201', name: '各项分配', debit: 0, credit: 1_000_00 },
      { accountCode: '32202', name: '未分配收益', debit: 0, credit: 7_500_00 },
    ]);
    const notPosted = await bookkeeper.client.post(`/api/finance/books/${bookId}/year-end/close`, {
      year: 2025,
    });
    expect(notPosted.status).toBe(409);
    expect(notPosted.body.error.code).toBe('closing_voucher_pending');
    const second = await bookkeeper.client.post(`/api/finance/books/${bookId}/year-end/closing-voucher`, {
      year: 2025,
    });
    expect(second.status).toBe(409);

    const posted = await takeThrough(books, drafted.closingVoucherId);
    expect(posted).toMatchObject({ kind: 'closing', state: 'posted' });
    const ready = ok(await bookkeeper.client.get(`/api/finance/books/${bookId}/year-end?year=2025`));
    expect(ready).toMatchObject({
      state: 'ready',
      income: 10_000_00,
      expense: 1_500_00,
      allowedActions: ['close-year'],
    });

    const closed = ok(
      await bookkeeper.client.post(`/api/finance/books/${bookId}/year-end/close`, { year: 2025 }),
    );
    expect(closed.state).toBe('closed');
    const periods = ok(await bookkeeper.client.get(`/api/finance/books/${bookId}/periods`));
    for (const p of periods.items.filter((p: { period: string }) => p.period.startsWith('2025-')))
      expect(p.state, p.period).toBe('closed');
    const again = await bookkeeper.client.post(`/api/finance/books/${bookId}/year-end/close`, { year: 2025 });
    expect(again.status).toBe(409);
    // no voucher is dated in a closed year
    const late = await bookkeeper.client.post(
      `/api/finance/books/${bookId}/vouchers`,
      rentVoucher('2025-07-01', 100),
    );
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('period_closed');

    // income and expense accounts end at zero; the trial balance still balances; the income statement
    // still shows the year's figures (the closing voucher is left out of it)
    const trial = ok(
      await bookkeeper.client.get(
        `/api/finance/books/${bookId}/reports/trial-balance?from=2025-01&to=2025-12`,
      ),
    );
    expect(trial.isBalanced).toBe(true);
    const row = (code: string) => trial.rows.find((r: { code: string }) => r.code === code);
    for (const code of ['501', '511', '522', '321', '32201']) {
      expect(row(code)?.closingDebit ?? 0, code).toBe(0);
      expect(row(code)?.closingCredit ?? 0, code).toBe(0);
    }
    expect(row('32202').closingCredit).toBe(7_500_00);
    const income = ok(
      await bookkeeper.client.get(`/api/finance/books/${bookId}/reports/income-statement?period=2025-12`),
    );
    expect(JSON.stringify(income)).toContain(String(8_000_00));
    // the next year opens on the carried-forward balances
    const next = await postVoucher(books, rentVoucher('2026-01-05', 100_00));
    expect(next.state).toBe('posted');
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });
});
