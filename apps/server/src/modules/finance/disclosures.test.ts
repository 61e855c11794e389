import { verifyDisclosure } from '@minqing/contract/finance-verify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import type { Client } from '../../../test/harness.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { sealOnce } from '../journal/sealer.ts';
import {
  buildVillageBooks,
  closeAndSeal,
  expenseVoucher,
  postVoucher,
  rentVoucher,
  verifyStreetOf,
  type VillageBooks,
} from './finance-test-helpers.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

/** What the villager's browser does: fetch the disclosure, its vouchers, the seal's journal and the keys, and check. */
async function verifyAsVillager(client: Client, disclosureId: string) {
  const disclosure = (await client.get(`/api/public/disclosures/${disclosureId}`)).body;
  const vouchers = [];
  let cursor: string | null = null;
  do {
    const page: { body: { items: unknown[]; nextCursor: string | null } } = await client.get(
      `/api/public/disclosures/${disclosureId}/vouchers?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    vouchers.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  const journal = (await client.get(disclosure.journal.url)).body;
  const keys = (await client.get('/.well-known/minqing/journal-keys.json')).body.keys;
  return verifyDisclosure({ disclosure, journal, keys, vouchers: vouchers as never });
}

async function monthWithVouchers(books: VillageBooks) {
  const rent = await postVoucher(books, rentVoucher('2025-01-10', 8_000_00, '张三丰'));
  const expense = await postVoucher(books, expenseVoucher('2025-01-15', 1_500_00));
  await postVoucher(books, rentVoucher('2025-01-20', 2_000_00, '欧阳修'));
  return { rent, expense };
}

describe('disclosure and seal', () => {
  it('prepares, reviews and seals a month; the public sees it masked and the browser check passes', async () => {
    const books = await buildVillageBooks(app);
    const { bookkeeper, reviewer, approver, bookId, c } = books;
    await monthWithVouchers(books);
    await bookkeeper.client.post(`/api/finance/books/${bookId}/periods/2025-01/close`, {});
    const draft = await bookkeeper.client.post(`/api/finance/books/${bookId}/disclosures`, {
      kind: 'month',
      label: '2025-01',
      majorItems: [
        { title: '村道硬化', description: '村民代表会议通过', amount: 12_000_000, decidedOn: '2025-01-05' },
      ],
    });
    expect(draft.status).toBe(201);
    expect(draft.body.state).toBe('draft');
    expect(draft.body.content.income).toEqual({
      items: [{ code: '501', name: '经营收入', amount: 1_000_000 }],
      total: 1_000_000,
    });
    expect(draft.body.content.expenditure.total).toBe(150_000);
    expect(draft.body.content.totals).toEqual({ voucherCount: 3, debit: 1_150_000, credit: 1_150_000 });
    const twice = await bookkeeper.client.post(`/api/finance/books/${bookId}/disclosures`, {
      kind: 'month',
      label: '2025-01',
    });
    expect(twice.status).toBe(409);
    const badLabel = await bookkeeper.client.post(`/api/finance/books/${bookId}/disclosures`, {
      kind: 'quarter',
      label: '2025-01',
    });
    expect(badLabel.status).toBe(400);

    // the committee cannot seal what the finance group has not reviewed
    const early = await approver.client.post(`/api/finance/disclosures/${draft.body.id}/seal`, {});
    expect(early.status).toBe(409);
    expect(early.body.error.messages.zh).toContain('民主理财小组');
    expect(
      (await bookkeeper.client.post(`/api/finance/disclosures/${draft.body.id}/review`, {})).status,
    ).toBe(403);
    const reviewed = await reviewer.client.post(`/api/finance/disclosures/${draft.body.id}/review`, {
      note: '账实相符',
    });
    expect(reviewed.body.state).toBe('reviewed');
    expect((await reviewer.client.post(`/api/finance/disclosures/${draft.body.id}/seal`, {})).status).toBe(
      403,
    );
    const sealed = await approver.client.post(`/api/finance/disclosures/${draft.body.id}/seal`, {});
    expect(sealed.status).toBe(200);
    expect(sealed.body).toMatchObject({ state: 'sealed', allowedActions: [] });
    expect(sealed.body.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const again = await approver.client.post(`/api/finance/disclosures/${draft.body.id}/seal`, {});
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('disclosure_sealed');

    // the month is sealed for good
    const reopen = await bookkeeper.client.post(`/api/finance/books/${bookId}/periods/2025-01/reopen`, {});
    expect(reopen.status).toBe(409);
    expect(reopen.body.error.code).toBe('period_sealed');
    const late = await bookkeeper.client.post(
      `/api/finance/books/${bookId}/vouchers`,
      rentVoucher('2025-01-30', 1),
    );
    expect(late.status).toBe(409);
    expect(late.body.error.messages.zh).toContain('冲销');

    // public reads, no sign-in, no personal field unmasked
    const list = await c.public.get(`/api/public/books?unitId=${c.street.id}`);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        id: bookId,
        disclosureCount: 1,
        lastSealed: expect.objectContaining({ label: '2025-01' }),
      }),
    ]);
    const book = await c.public.get(`/api/public/books/${bookId}`);
    expect(book.status).toBe(200);
    expect(book.body).toMatchObject({
      asOf: '2025-01',
      months: [{ period: '2025-01', income: 1_000_000, expenditure: 150_000 }],
      years: [{ year: 2025, income: 1_000_000, expenditure: 150_000, months: 1 }],
      balances: { funds: 100_050_000 + 850_000 },
    });
    const vouchers = await c.public.get(`/api/public/disclosures/${draft.body.id}/vouchers`);
    expect(vouchers.body.items.map((v: { handler: string }) => v.handler)).toEqual(['张**', '李*', '欧阳*']);
    const text = JSON.stringify([
      book.body,
      vouchers.body,
      (await c.public.get(`/api/public/disclosures/${draft.body.id}`)).body,
    ]);
    for (const secret of ['张三丰', '欧阳修', '李四', '王会计', '李理财', '社区管理员'])
      expect(text).not.toContain(secret);

    // vouchers of an open month are not public
    await postVoucher(books, rentVoucher('2025-02-03', 100));
    const feb = await bookkeeper.client.get(`/api/finance/books/${bookId}/vouchers?period=2025-02`);
    expect((await c.public.get(`/api/public/vouchers/${feb.body.items[0].id}`)).status).toBe(404);
    expect((await c.public.get(`/api/public/vouchers/${vouchers.body.items[0].id}`)).status).toBe(200);

    // the villager's check, once the seal is in a signed batch
    const pending = await verifyAsVillager(c.public, draft.body.id);
    expect(pending.isValid).toBeNull();
    await sealOnce(app);
    const result = await verifyAsVillager(c.public, draft.body.id);
    expect(result.problems).toEqual([]);
    expect(result.isValid).toBe(true);
    expect(result.vouchersChecked).toBe(3);
    expect(await verifyStreetOf(app, c)).toEqual([]);
  });

  it('names a sealed voucher changed in SQL, in the browser check and in the journal verification', async () => {
    const books = await buildVillageBooks(app);
    const { rent } = await monthWithVouchers(books);
    const sealed = await closeAndSeal(books, '2025-01');
    await sealOnce(app);
    expect((await verifyAsVillager(books.c.public, sealed.id)).isValid).toBe(true);

    const lines = [
      { account: '102', name: '银行存款', summary: '收租金', debit: 700_000, credit: 0 },
      { account: '501', name: '经营收入', summary: '鱼塘租金', debit: 0, credit: 700_000 },
    ];
    await sql`UPDATE finance_vouchers SET lines = ${JSON.stringify(lines)}::jsonb, total = 700000 WHERE id = ${rent.id}`.execute(
      app.db,
    );
    const result = await verifyAsVillager(books.c.public, sealed.id);
    expect(result.isValid).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'voucher_altered', voucher: '记-2025-01-001', voucherId: rent.id }),
    );
    const problems = await verifyStreetOf(app, books.c);
    expect(problems.some((problem) => problem.includes(rent.id))).toBe(true);
  });

  it('records villagers’ questions and answers them in public', async () => {
    const books = await buildVillageBooks(app);
    const { rent } = await monthWithVouchers(books);
    const sealed = await closeAndSeal(books, '2025-01');
    const asked = await books.c.public.post(`/api/public/disclosures/${sealed.id}/questions`, {
      text: '这笔鱼塘租金是哪一年的？',
      name: '赵大山',
      voucherId: rent.id,
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toMatchObject({
      askerName: '赵**',
      state: 'open',
      voucherLabel: '记-2025-01-001',
      allowedActions: [],
    });
    const short = await books.c.public.post(`/api/public/disclosures/${sealed.id}/questions`, { text: '?' });
    expect(short.status).toBe(400);
    const forBook = await books.bookkeeper.client.get(
      `/api/finance/books/${books.bookId}/questions?state=open`,
    );
    expect(forBook.body.items).toHaveLength(1);
    expect(forBook.body.items[0]).toMatchObject({ askerName: '赵大山', allowedActions: ['answer'] });
    expect(
      (
        await books.reviewer.client.post(`/api/finance/questions/${asked.body.id}/answer`, {
          answer: '2025 年',
        })
      ).status,
    ).toBe(403);
    const answered = await books.bookkeeper.client.post(`/api/finance/questions/${asked.body.id}/answer`, {
      answer: '是 2025 年度的租金，合同见村委公示栏。',
    });
    expect(answered.status).toBe(200);
    const publicView = await books.c.public.get(`/api/public/disclosures/${sealed.id}`);
    expect(publicView.body.questions).toEqual([
      expect.objectContaining({
        askerName: '赵**',
        state: 'answered',
        answer: '是 2025 年度的租金，合同见村委公示栏。',
      }),
    ]);
    const twice = await books.bookkeeper.client.post(`/api/finance/questions/${asked.body.id}/answer`, {
      answer: '再答',
    });
    expect(twice.status).toBe(409);
  });
});
