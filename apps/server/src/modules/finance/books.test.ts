import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { createTestUser } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import {
  buildVillageBooks,
  draftToReviewed,
  expenseVoucher,
  line,
  postVoucher,
  rentVoucher,
  verifyStreetOf,
} from './finance-test-helpers.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

async function voucherCount(bookId: string): Promise<number> {
  const row = await app.db
    .selectFrom('finance_vouchers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('book_id', '=', bookId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('books and opening balances', () => {
  it('opens a book on the standard chart, refuses unbalanced opening balances, then starts it', async () => {
    const books = await buildVillageBooks(app, { opening: false });
    const { bookkeeper, bookId } = books;
    const book = await bookkeeper.client.get(`/api/finance/books/${bookId}`);
    expect(book.status).toBe(200);
    expect(book.body).toMatchObject({ state: 'setup', chart: 'rcea-2023', unitName: '测试社区' });
    expect(book.body.allowedActions).toEqual(['set-opening', 'import-opening', 'start']);
    const accounts = await bookkeeper.client.get(`/api/finance/books/${bookId}/accounts`);
    expect(accounts.body.items.map((a: { code: string }) => a.code)).toContain('32202');
    expect(accounts.body.items).toHaveLength(44);

    // a second book for the same village
    const again = await bookkeeper.client.post('/api/finance/books', {
      unitId: books.c.community.id,
      name: '重复',
      startMonth: '2025-01',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('book_exists');

    // an account with sub-accounts, both sides, an unknown code: each names its row
    const parent = await bookkeeper.client.put(`/api/finance/books/${bookId}/opening-balances`, {
      balances: [{ accountCode: '322', credit: 100 }],
    });
    expect(parent.status).toBe(422);
    expect(parent.body.error).toMatchObject({
      code: 'account_not_leaf',
      details: { field: 'balances.0.accountCode' },
    });
    const unknown = await bookkeeper.client.put(`/api/finance/books/${bookId}/opening-balances`, {
      balances: [
        { accountCode: '101', debit: 100 },
        { accountCode: '199', credit: 100 },
      ],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.messages.zh).toContain('第 2 行');
    expect(unknown.body.error.messages.en).toContain('row 2');
    const fraction = await bookkeeper.client.put(`/api/finance/books/${bookId}/opening-balances`, {
      balances: [{ accountCode: '101', debit: 10.5 }],
    });
    expect(fraction.status).toBe(400);
    expect(JSON.stringify(fraction.body)).toContain('整数分');

    // unbalanced: saved (setup may be unfinished) but the books do not start
    const unbalanced = await bookkeeper.client.put(`/api/finance/books/${bookId}/opening-balances`, {
      balances: [
        { accountCode: '102', debit: 1000 },
        { accountCode: '301', credit: 900 },
      ],
    });
    expect(unbalanced.status).toBe(200);
    expect(unbalanced.body.isOpeningBalanced).toBe(false);
    const start = await bookkeeper.client.post(`/api/finance/books/${bookId}/start`, {});
    expect(start.status).toBe(422);
    expect(start.body.error).toMatchObject({ code: 'opening_unbalanced', details: { difference: 100 } });
    expect(start.body.error.messages.zh).toContain('借贷不平衡');

    // vouchers wait for the start
    const early = await bookkeeper.client.post(
      `/api/finance/books/${bookId}/vouchers`,
      rentVoucher('2025-01-05', 100),
    );
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('book_not_started');

    const fixed = await bookkeeper.client.put(`/api/finance/books/${bookId}/opening-balances`, {
      balances: [
        { accountCode: '102', debit: 1000 },
        { accountCode: '301', credit: 1000 },
      ],
      expectedVersion: unbalanced.body.version,
    });
    expect(fixed.status).toBe(200);
    const started = await bookkeeper.client.post(`/api/finance/books/${bookId}/start`, {
      expectedVersion: fixed.body.version,
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({
      state: 'active',
      isOpeningBalanced: true,
      allowedActions: ['keep'],
    });
    const late = await bookkeeper.client.put(`/api/finance/books/${bookId}/opening-balances`, {
      balances: [],
    });
    expect(late.status).toBe(409);
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });

  it('lets only the village’s finance people read the books', async () => {
    const books = await buildVillageBooks(app);
    const { c, bookId } = books;
    expect((await books.reviewer.client.get(`/api/finance/books/${bookId}`)).status).toBe(200);
    expect((await c.people.communityAdmin.client.get(`/api/finance/books/${bookId}`)).status).toBe(200);
    expect((await c.people.gridWorker.client.get(`/api/finance/books/${bookId}`)).status).toBe(403);
    expect((await c.people.resident.client.get(`/api/finance/books/${bookId}`)).status).toBe(404);
    expect((await c.public.get(`/api/finance/books/${bookId}`)).status).toBe(401);
    // the approver cannot keep the books
    const byAdmin = await c.people.communityAdmin.client.post(
      `/api/finance/books/${bookId}/vouchers`,
      rentVoucher('2025-01-05', 100),
    );
    expect(byAdmin.status).toBe(403);
    const list = await books.bookkeeper.client.get('/api/finance/books');
    expect(list.body.items.map((b: { id: string }) => b.id)).toEqual([bookId]);
  });

  it('adds sub-accounts, refuses to remove or rename a used account, and refuses postings to an inactive one', async () => {
    const books = await buildVillageBooks(app);
    const { bookkeeper, bookId } = books;
    const added = await bookkeeper.client.post(`/api/finance/books/${bookId}/accounts`, {
      parentCode: '501',
      code: '50101',
      name: '发包及上交收入',
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      code: '50101',
      level: 2,
      isLeaf: true,
      isStandard: false,
      direction: 'credit',
    });
    const wrongShape = await bookkeeper.client.post(`/api/finance/books/${bookId}/accounts`, {
      parentCode: '501',
      code: '50201',
      name: '错',
    });
    expect(wrongShape.status).toBe(422);
    // 501 now has a sub-account: postings go to the leaf
    const toParent = await bookkeeper.client.post(
      `/api/finance/books/${bookId}/vouchers`,
      rentVoucher('2025-01-05', 100),
    );
    expect(toParent.status).toBe(422);
    expect(toParent.body.error).toMatchObject({
      code: 'account_not_leaf',
      details: { field: 'lines.1.accountCode' },
    });
    await postVoucher(books, {
      ...rentVoucher('2025-01-05', 100),
      lines: [line('102', 'debit', 100), line('50101', 'credit', 100)],
    });
    const remove = await bookkeeper.client.delete(`/api/finance/books/${bookId}/accounts/50101`);
    expect(remove.status).toBe(409);
    expect(remove.body.error.code).toBe('account_used');
    const rename = await bookkeeper.client.patch(`/api/finance/books/${bookId}/accounts/50101`, {
      name: '改名',
    });
    expect(rename.status).toBe(409);
    const deactivate = await bookkeeper.client.patch(`/api/finance/books/${bookId}/accounts/50101`, {
      state: 'inactive',
    });
    expect(deactivate.status).toBe(200);
    const inactive = await bookkeeper.client.post(`/api/finance/books/${bookId}/vouchers`, {
      ...rentVoucher('2025-01-06', 100),
      lines: [line('102', 'debit', 100), line('50101', 'credit', 100)],
    });
    expect(inactive.status).toBe(422);
    expect(inactive.body.error.code).toBe('account_inactive');
    // an unused sub-account can be removed
    await bookkeeper.client.post(`/api/finance/books/${bookId}/accounts`, {
      parentCode: '501',
      code: '50102',
      name: '临时',
    });
    expect((await bookkeeper.client.delete(`/api/finance/books/${bookId}/accounts/50102`)).status).toBe(204);
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });
});

describe('vouchers', () => {
  it('runs draft → submit → approve → review → post and numbers the voucher', async () => {
    const books = await buildVillageBooks(app);
    const { bookkeeper, reviewer, approver, bookId } = books;
    const draft = await bookkeeper.client.post(
      `/api/finance/books/${bookId}/vouchers`,
      rentVoucher('2025-01-10', 1_234_56),
    );
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({
      state: 'draft',
      number: null,
      label: '草稿',
      total: 123456,
      period: '2025-01',
    });
    expect(draft.body.allowedActions).toEqual(['edit', 'submit', 'discard']);
    const id = draft.body.id;

    const edited = await bookkeeper.client.put(`/api/finance/vouchers/${id}`, {
      ...rentVoucher('2025-01-11', 2_000_00),
      expectedVersion: draft.body.version,
    });
    expect(edited.status).toBe(200);
    expect(edited.body.total).toBe(200000);
    const stale = await bookkeeper.client.put(`/api/finance/vouchers/${id}`, {
      ...rentVoucher('2025-01-11', 2_000_00),
      expectedVersion: draft.body.version,
    });
    expect(stale.status).toBe(409);

    // out of order: posting a draft, approving a draft
    expect((await bookkeeper.client.post(`/api/finance/vouchers/${id}/post`, {})).status).toBe(409);
    expect((await approver.client.post(`/api/finance/vouchers/${id}/approve`, {})).status).toBe(409);
    expect((await bookkeeper.client.post(`/api/finance/vouchers/${id}/submit`, {})).status).toBe(200);
    // the reviewer does not approve; the bookkeeper does not approve
    expect((await reviewer.client.post(`/api/finance/vouchers/${id}/approve`, {})).status).toBe(403);
    expect((await bookkeeper.client.post(`/api/finance/vouchers/${id}/approve`, {})).status).toBe(403);
    const returned = await approver.client.post(`/api/finance/vouchers/${id}/return`, { reason: '附件不全' });
    expect(returned.status).toBe(200);
    expect(returned.body).toMatchObject({ state: 'draft', returnReason: '附件不全' });
    await bookkeeper.client.post(`/api/finance/vouchers/${id}/submit`, {});
    const approved = await approver.client.post(`/api/finance/vouchers/${id}/approve`, {});
    expect(approved.body).toMatchObject({ state: 'approved', approvedBy: { name: '社区管理员' } });
    const reviewed = await reviewer.client.post(`/api/finance/vouchers/${id}/review`, { note: '同意入账' });
    expect(reviewed.body).toMatchObject({
      state: 'reviewed',
      reviewNote: '同意入账',
      reviewedBy: { name: '李理财' },
    });
    const posted = await bookkeeper.client.post(`/api/finance/vouchers/${id}/post`, {});
    expect(posted.status).toBe(200);
    expect(posted.body).toMatchObject({ state: 'posted', number: 1, label: '记-2025-01-001' });
    expect(posted.body.allowedActions).toEqual(['reverse']);
    const edit = await bookkeeper.client.put(`/api/finance/vouchers/${id}`, rentVoucher('2025-01-11', 1));
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('voucher_posted');
    expect(edit.body.error.messages.zh).toContain('冲销');

    const list = await reviewer.client.get(`/api/finance/books/${bookId}/vouchers?period=2025-01`);
    expect(list.body.items.map((v: { label: string }) => v.label)).toEqual(['记-2025-01-001']);
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });

  it('keeps a preparer with two roles from approving their own voucher', async () => {
    const books = await buildVillageBooks(app);
    const both = await createTestUser(app, {
      name: '兼职',
      roles: [
        { role: 'bookkeeper', unitId: books.c.community.id },
        { role: 'community_admin', unitId: books.c.community.id },
      ],
    });
    const draft = await both.client.post(
      `/api/finance/books/${books.bookId}/vouchers`,
      rentVoucher('2025-01-10', 100),
    );
    await both.client.post(`/api/finance/vouchers/${draft.body.id}/submit`, {});
    const own = await both.client.post(`/api/finance/vouchers/${draft.body.id}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('own_voucher');
  });

  it('refuses bad vouchers with a message naming the line or field, and writes nothing', async () => {
    const books = await buildVillageBooks(app);
    const { bookkeeper, bookId } = books;
    const url = `/api/finance/books/${bookId}/vouchers`;
    const before = await voucherCount(bookId);
    const unbalanced = await bookkeeper.client.post(url, {
      ...rentVoucher('2025-01-10', 100),
      lines: [line('102', 'debit', 10000), line('501', 'credit', 9999)],
    });
    expect(unbalanced.status).toBe(422);
    expect(unbalanced.body.error).toMatchObject({ code: 'voucher_unbalanced', details: { difference: 1 } });
    expect(unbalanced.body.error.messages.zh).toContain('相差 0.01 元');
    expect(unbalanced.body.error.messages.en).toContain('differ by 0.01');

    const fractional = await bookkeeper.client.post(url, {
      ...rentVoucher('2025-01-10', 100),
      lines: [line('102', 'debit', 100.5), line('501', 'credit', 100.5)],
    });
    expect(fractional.status).toBe(400);
    expect(JSON.stringify(fractional.body)).toContain('lines');
    expect(JSON.stringify(fractional.body)).toContain('整数分');

    const negative = await bookkeeper.client.post(url, {
      ...rentVoucher('2025-01-10', 100),
      lines: [line('102', 'debit', -100), line('501', 'credit', -100)],
    });
    expect(negative.status).toBe(400);
    expect(JSON.stringify(negative.body)).toContain('负数');

    const both = await bookkeeper.client.post(url, {
      ...rentVoucher('2025-01-10', 100),
      lines: [{ accountCode: '102', summary: 'x', debit: 100, credit: 100 }, line('501', 'credit', 0)],
    });
    expect(both.status).toBe(400);

    const unknown = await bookkeeper.client.post(url, {
      ...rentVoucher('2025-01-10', 100),
      lines: [line('102', 'debit', 100), line('599', 'credit', 100)],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({
      code: 'account_unknown',
      details: { field: 'lines.1.accountCode', line: 2 },
    });
    expect(unknown.body.error.messages.zh).toContain('第 2 行');

    const early = await bookkeeper.client.post(url, rentVoucher('2024-12-31', 100));
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ code: 'date_before_books', details: { field: 'date' } });

    const badDate = await bookkeeper.client.post(url, rentVoucher('2025-02-30', 100));
    expect(badDate.status).toBe(400);

    const oneLine = await bookkeeper.client.post(url, {
      ...rentVoucher('2025-01-10', 100),
      lines: [line('102', 'debit', 100)],
    });
    expect(oneLine.status).toBe(400);
    expect(JSON.stringify(oneLine.body)).toContain('两行');

    expect(await voucherCount(bookId)).toBe(before);
  });

  it('numbers concurrent postings 1..n without gaps, and the balances are the sums of the postings', async () => {
    const books = await buildVillageBooks(app);
    const reviewed = [];
    for (let i = 0; i < 12; i++) {
      reviewed.push(
        await draftToReviewed(books, rentVoucher(`2025-02-${String(1 + i).padStart(2, '0')}`, 1000 + i)),
      );
    }
    const replies = await Promise.all(
      reviewed.map((voucher) => books.bookkeeper.client.post(`/api/finance/vouchers/${voucher.id}/post`, {})),
    );
    expect(replies.map((reply) => reply.status)).toEqual(replies.map(() => 200));
    const numbers = replies.map((reply) => reply.body.number as number).sort((a, b) => a - b);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // posting the same voucher twice at once: one wins
    const twice = await draftToReviewed(books, rentVoucher('2025-02-20', 5));
    const racing = await Promise.all([
      books.bookkeeper.client.post(`/api/finance/vouchers/${twice.id}/post`, {}),
      books.bookkeeper.client.post(`/api/finance/vouchers/${twice.id}/post`, {}),
    ]);
    expect(racing.map((reply) => reply.status).sort()).toEqual([200, 409]);

    const balances = await app.db
      .selectFrom('finance_balances')
      .select(['account_code', 'debit', 'credit'])
      .where('book_id', '=', books.bookId)
      .where('period', '=', '2025-02')
      .orderBy('account_code')
      .execute();
    const total = 12 * 1000 + 66 + 5;
    expect(balances).toEqual([
      { account_code: '102', debit: total, credit: 0 },
      { account_code: '501', debit: 0, credit: total },
    ]);
    const periods = await books.reviewer.client.get(`/api/finance/books/${books.bookId}/periods`);
    const february = periods.body.items.find((p: { period: string }) => p.period === '2025-02');
    expect(february).toMatchObject({ postedCount: 13, pendingCount: 0, debit: total, credit: total });
  });
});

describe('periods, reports and reversal', () => {
  it('closes months in order, refuses work in a closed month, and corrects by a reversing voucher later', async () => {
    const books = await buildVillageBooks(app);
    const { bookkeeper, bookId } = books;
    const rent = await postVoucher(books, rentVoucher('2025-01-10', 5_000_00));
    await postVoucher(books, expenseVoucher('2025-01-20', 1_200_00));
    const pending = await bookkeeper.client.post(
      `/api/finance/books/${bookId}/vouchers`,
      expenseVoucher('2025-01-25', 1),
    );
    const close = await bookkeeper.client.post(`/api/finance/books/${bookId}/periods/2025-01/close`, {});
    expect(close.status).toBe(409);
    expect(close.body.error).toMatchObject({ code: 'period_has_pending', details: { pending: 1 } });
    expect(
      (await bookkeeper.client.post(`/api/finance/vouchers/${pending.body.id}/discard`, {})).status,
    ).toBe(200);
    const skip = await bookkeeper.client.post(`/api/finance/books/${bookId}/periods/2025-02/close`, {});
    expect(skip.status).toBe(409);
    expect(skip.body.error.code).toBe('previous_period_open');
    const closed = await bookkeeper.client.post(`/api/finance/books/${bookId}/periods/2025-01/close`, {});
    expect(closed.status).toBe(200);
    expect(closed.body.items.find((p: { period: string }) => p.period === '2025-01')).toMatchObject({
      state: 'closed',
      allowedActions: ['reopen'],
    });
    const late = await bookkeeper.client.post(
      `/api/finance/books/${bookId}/vouchers`,
      rentVoucher('2025-01-28', 100),
    );
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'period_closed', details: { field: 'date' } });

    // a reversal dated in the closed month is refused; in February it is a draft linked to the original
    const wrongMonth = await bookkeeper.client.post(`/api/finance/vouchers/${rent.id}/reverse`, {
      date: '2025-01-31',
      reason: '金额错误',
    });
    expect(wrongMonth.status).toBe(409);
    const reversal = await bookkeeper.client.post(`/api/finance/vouchers/${rent.id}/reverse`, {
      date: '2025-02-03',
      reason: '金额错误',
    });
    expect(reversal.status).toBe(200);
    expect(reversal.body).toMatchObject({
      kind: 'reversal',
      reversesId: rent.id,
      state: 'draft',
      period: '2025-02',
    });
    expect(reversal.body.lines[0]).toMatchObject({ accountCode: '102', debit: 0, credit: 500000 });
    expect(reversal.body.summary).toContain('记-2025-01-001');
    const again = await bookkeeper.client.post(`/api/finance/vouchers/${rent.id}/reverse`, {
      date: '2025-02-03',
      reason: '再来',
    });
    expect(again.status).toBe(409);
    const id = reversal.body.id;
    await bookkeeper.client.post(`/api/finance/vouchers/${id}/submit`, {});
    await books.approver.client.post(`/api/finance/vouchers/${id}/approve`, {});
    await books.reviewer.client.post(`/api/finance/vouchers/${id}/review`, {});
    const posted = await bookkeeper.client.post(`/api/finance/vouchers/${id}/post`, {});
    expect(posted.body.label).toBe('记-2025-02-001');
    const original = await bookkeeper.client.get(`/api/finance/vouchers/${rent.id}`);
    expect(original.body.reversedById).toBe(id);

    // trial balance over both months: the rent is gone, the expense stays
    const trial = await bookkeeper.client.get(
      `/api/finance/books/${bookId}/reports/trial-balance?from=2025-01&to=2025-02`,
    );
    expect(trial.status).toBe(200);
    expect(trial.body.isBalanced).toBe(true);
    const income = trial.body.rows.find((row: { code: string }) => row.code === '501');
    expect(income).toMatchObject({ debit: 500000, credit: 500000, closingDebit: 0, closingCredit: 0 });

    const sheet = await bookkeeper.client.get(
      `/api/finance/books/${bookId}/reports/balance-sheet?period=2025-02`,
    );
    expect(sheet.body.isBalanced).toBe(true);
    const cash = sheet.body.assets.find((l: { key: string }) => l.key === 'cash');
    expect(cash).toMatchObject({ opening: 100_050_000, closing: 100_050_000 - 120_000 });
    const undistributed = sheet.body.liabilitiesAndEquity.find(
      (l: { key: string }) => l.key === 'undistributed',
    );
    expect(undistributed.closing).toBe(-120_000);

    const statement = await bookkeeper.client.get(
      `/api/finance/books/${bookId}/reports/income-statement?period=2025-01`,
    );
    const value = (key: string) => statement.body.lines.find((l: { key: string }) => l.key === key);
    expect(value('operatingIncome')).toMatchObject({ month: 500000, ytd: 500000 });
    expect(value('adminExpenses')).toMatchObject({ month: 120000 });
    expect(value('netProfit')).toMatchObject({ month: 380000 });

    const ledger = await bookkeeper.client.get(
      `/api/finance/books/${bookId}/reports/ledger?accountCode=102&from=2025-01&to=2025-02`,
    );
    expect(ledger.status).toBe(200);
    const entries = ledger.body.rows.filter((row: { kind: string }) => row.kind === 'entry');
    expect(entries.map((row: { voucherLabel: string }) => row.voucherLabel)).toEqual([
      '记-2025-01-001',
      '记-2025-01-002',
      '记-2025-02-001',
    ]);
    expect(ledger.body.rows.at(-1)).toMatchObject({
      kind: 'year_total',
      debit: 500000,
      credit: 620000,
      side: '借',
    });

    const badRange = await bookkeeper.client.get(
      `/api/finance/books/${bookId}/reports/trial-balance?from=2025-03&to=2025-02`,
    );
    expect(badRange.status).toBe(400);
    expect(await verifyStreetOf(app, books.c)).toEqual([]);
  });
});
