import type { Voucher } from '@minqing/contract';
import { expect } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, createTestUser, type TestCommunity } from '../../../test/factories.ts';
import { Client, type Reply } from '../../../test/harness.ts';
import { verifyJournal } from '../journal/verify-journal.ts';

/** A community with a bookkeeper (报账员) and a member of the 民主理财小组, and its books started. */
export async function buildVillageBooks(app: App, options: { startMonth?: string; opening?: boolean } = {}) {
  const c = await buildCommunity(app);
  const bookkeeper = await createTestUser(app, {
    name: '王会计',
    roles: [{ role: 'bookkeeper', unitId: c.community.id }],
  });
  const reviewer = await createTestUser(app, {
    name: '李理财',
    roles: [{ role: 'finance_reviewer', unitId: c.community.id }],
  });
  const startMonth = options.startMonth ?? '2025-01';
  const created = await bookkeeper.client.post<{ id: string }>('/api/finance/books', {
    unitId: c.community.id,
    name: '测试村股份经济合作社',
    startMonth,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const bookId = created.body.id;
  if (options.opening !== false) {
    const opening = await bookkeeper.client.put(`/api/finance/books/${bookId}/opening-balances`, {
      balances: [
        { accountCode: '101', debit: 50_000 },
        { accountCode: '102', debit: 1_000_000_00 },
        { accountCode: '151', debit: 300_000_00 },
        { accountCode: '152', credit: 50_000_00 },
        { accountCode: '211', credit: 20_000_00 },
        { accountCode: '301', credit: 1_230_500_00 },
      ],
    });
    expect(opening.status, JSON.stringify(opening.body)).toBe(200);
    const started = await bookkeeper.client.post(`/api/finance/books/${bookId}/start`, {});
    expect(started.status, JSON.stringify(started.body)).toBe(200);
  }
  return { c, bookId, startMonth, bookkeeper, reviewer, approver: c.people.communityAdmin };
}
export type VillageBooks = Awaited<ReturnType<typeof buildVillageBooks>>;

export function line(accountCode: string, side: 'debit' | 'credit', amount: number, summary = '摘要') {
  return { accountCode, summary, [side]: amount };
}

/** 收到租金: bank debit, operating income credit. */
export function rentVoucher(date: string, amount: number, handlerName: string | null = '张三丰') {
  return {
    date,
    summary: '收到鱼塘承包租金',
    handlerName,
    lines: [line('102', 'debit', amount, '收租金'), line('501', 'credit', amount, '鱼塘租金')],
  };
}

/** 支付保洁费: management expense debit, bank credit. */
export function expenseVoucher(date: string, amount: number) {
  return {
    date,
    summary: '支付村道保洁费',
    handlerName: '李四',
    lines: [line('511', 'debit', amount, '保洁费'), line('102', 'credit', amount, '银行付款')],
  };
}

function ok<T>(reply: Reply<T>, status = 200): T {
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  return reply.body;
}

/** Draft → submit → approve (村两委) → review (民主理财小组); returns the reviewed voucher. */
export async function draftToReviewed(books: VillageBooks, input: object): Promise<Voucher> {
  const draft = ok<Voucher>(
    await books.bookkeeper.client.post(`/api/finance/books/${books.bookId}/vouchers`, input),
    201,
  );
  ok(await books.bookkeeper.client.post(`/api/finance/vouchers/${draft.id}/submit`, {}));
  ok(await books.approver.client.post(`/api/finance/vouchers/${draft.id}/approve`, {}));
  return ok<Voucher>(
    await books.reviewer.client.post(`/api/finance/vouchers/${draft.id}/review`, { note: '同意' }),
  );
}

/** The whole workflow to a posted voucher. */
export async function postVoucher(books: VillageBooks, input: object): Promise<Voucher> {
  const reviewed = await draftToReviewed(books, input);
  return ok<Voucher>(await books.bookkeeper.client.post(`/api/finance/vouchers/${reviewed.id}/post`, {}));
}

/** Closes the month, prepares its disclosure, has it reviewed and sealed; returns the sealed disclosure. */
export async function closeAndSeal(
  books: VillageBooks,
  period: string,
  client: Client = books.bookkeeper.client,
) {
  ok(await client.post(`/api/finance/books/${books.bookId}/periods/${period}/close`, {}));
  const disclosure = ok<{ id: string }>(
    await books.bookkeeper.client.post(`/api/finance/books/${books.bookId}/disclosures`, {
      kind: 'month',
      label: period,
      majorItems: [
        { title: '村道硬化', description: '经村民代表会议通过，投资 12 万元', amount: 12_000_000 },
      ],
    }),
    201,
  );
  ok(
    await books.reviewer.client.post(`/api/finance/disclosures/${disclosure.id}/review`, {
      note: '账实相符',
    }),
  );
  return ok<{ id: string; state: string; contentHash: string; content: unknown }>(
    await books.approver.client.post(`/api/finance/disclosures/${disclosure.id}/seal`, {}),
  );
}

export async function verifyStreetOf(app: App, c: TestCommunity) {
  const report = await verifyJournal(app.db, { streetId: c.street.id, threads: 0 });
  return report.problems.map((problem) => problem.message.en);
}

/**
 * Records of a community's books for the authorization walk: one started book with a bookkeeper and a
 * reviewer (made once), and fresh records in the states a route needs (made per call).
 */
export function financeWalkFixtures(app: App, c: TestCommunity) {
  let shared: Promise<VillageBooks & { sealedId: string; postedId: string }> | undefined;
  const books = () => {
    shared ??= (async () => {
      const made = await buildVillageBooksOn(app, c);
      const posted = await postVoucher(made, rentVoucher('2025-01-10', 1000));
      const sealed = await closeAndSeal(made, '2025-01');
      return { ...made, sealedId: sealed.id, postedId: posted.id };
    })();
    return shared;
  };
  let month = 2;
  /** A month of the shared book no other call uses (2025-02, 2025-03, …). */
  const freshMonth = () => {
    const n = month++;
    return `${2025 + Math.floor((n - 1) / 12)}-${String(((n - 1) % 12) + 1).padStart(2, '0')}`;
  };
  return {
    books,
    async submittedVoucher(): Promise<string> {
      const b = await books();
      const draft = await b.bookkeeper.client.post<{ id: string }>(
        `/api/finance/books/${b.bookId}/vouchers`,
        rentVoucher('2030-06-01', 100),
      );
      await b.bookkeeper.client.post(`/api/finance/vouchers/${draft.body.id}/submit`, {});
      return draft.body.id;
    },
    async draftVoucher(): Promise<string> {
      const b = await books();
      const draft = await b.bookkeeper.client.post<{ id: string }>(
        `/api/finance/books/${b.bookId}/vouchers`,
        rentVoucher('2030-06-01', 100),
      );
      return draft.body.id;
    },
    /** A fresh book (on a fresh group of the community) with a reviewed disclosure of a closed month. */
    async reviewedDisclosure(groupId: string): Promise<string> {
      const made = await buildVillageBooksOn(app, c, groupId);
      ok(await made.bookkeeper.client.post(`/api/finance/books/${made.bookId}/periods/2025-01/close`, {}));
      const disclosure = ok<{ id: string }>(
        await made.bookkeeper.client.post(`/api/finance/books/${made.bookId}/disclosures`, {
          kind: 'month',
          label: '2025-01',
        }),
        201,
      );
      ok(await made.reviewer.client.post(`/api/finance/disclosures/${disclosure.id}/review`, {}));
      return disclosure.id;
    },
    async openQuestion(): Promise<string> {
      const b = await books();
      const asked = await new Client(app).request(
        'POST',
        `/api/public/disclosures/${b.sealedId}/questions`,
        { text: '这笔租金是哪块地的？' },
        {},
        { remoteAddress: `10.9.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}` },
      );
      return (asked.body as { id: string }).id;
    },
    freshMonth,
  };
}

/** A started book on `unitId` (default: the community) with its own bookkeeper and reviewer. */
export async function buildVillageBooksOn(app: App, c: TestCommunity, unitId = c.community.id) {
  const bookkeeper = await createTestUser(app, { name: '王会计', roles: [{ role: 'bookkeeper', unitId }] });
  const reviewer = await createTestUser(app, {
    name: '李理财',
    roles: [{ role: 'finance_reviewer', unitId }],
  });
  const created = ok<{ id: string }>(
    await bookkeeper.client.post('/api/finance/books', { unitId, name: '遍历账套', startMonth: '2025-01' }),
    201,
  );
  ok(
    await bookkeeper.client.put(`/api/finance/books/${created.id}/opening-balances`, {
      balances: [
        { accountCode: '102', debit: 1000_00 },
        { accountCode: '301', credit: 1000_00 },
      ],
    }),
  );
  ok(await bookkeeper.client.post(`/api/finance/books/${created.id}/start`, {}));
  return {
    c,
    bookId: created.id,
    startMonth: '2025-01',
    bookkeeper,
    reviewer,
    approver: c.people.communityAdmin,
  };
}
