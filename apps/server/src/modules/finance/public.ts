import {
  voucherLabel,
  type DisclosureContent,
  type DisclosureSummary,
  type PublicBook,
  type PublicDisclosure,
  type PublicVoucher,
  type Question,
} from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { maskName } from '../../privacy/mask.ts';
import { findUnit } from '../areas/repository.ts';
import { incomeAccounts } from './disclosure-content.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { canAnswer, canSeePersonalData } from './policy.ts';
import { presentPublicVoucher } from './present.ts';
import {
  findBook,
  findReversals,
  findVoucher,
  listAccounts,
  listPublicBooks,
  monthlyMovements,
  postedVouchers,
  type BookWithUnit,
  type VoucherRow,
} from './repository.ts';

/**
 * What every villager reads without signing in: only what has been disclosed and sealed. Figures are
 * as of the last sealed month; vouchers only of sealed months; the handler's and holders' names masked.
 */

const BOOK = { zh: '账套', en: 'Set of books' };
const DISCLOSURE = { zh: '财务公开', en: 'Disclosure' };
const VOUCHER = { zh: '凭证', en: 'Voucher' };

export async function publicBookList(app: App, query: { unitId?: string | undefined }) {
  let path: string | null = null;
  if (query.unitId) {
    const unit = await findUnit(app.db, query.unitId);
    if (!unit) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
    path = unit.path;
  }
  const rows = await listPublicBooks(app.db, path);
  const last = await app.db
    .selectFrom('finance_disclosures')
    .select(['id', 'book_id', 'label', 'sealed_at'])
    .where('state', '=', 'sealed')
    .where(
      'book_id',
      'in',
      rows.length ? rows.map((row) => row.id) : ['00000000-0000-0000-0000-000000000000'],
    )
    .orderBy('sealed_at', 'desc')
    .execute();
  const lastOf = new Map<string, (typeof last)[number]>();
  for (const row of last) if (!lastOf.has(row.book_id)) lastOf.set(row.book_id, row);
  return {
    items: rows.map((row) => {
      const sealed = lastOf.get(row.id);
      return {
        id: row.id,
        name: row.name,
        unitId: row.unit_id,
        unitName: row.unit_name,
        streetName: row.street_name,
        lastSealed: sealed
          ? { id: sealed.id, label: sealed.label, sealedAt: sealed.sealed_at!.toISOString() }
          : null,
        disclosureCount: Number(row.disclosure_count),
      };
    }),
  };
}

async function sealedBook(db: Db, bookId: string): Promise<BookWithUnit> {
  const book = await findBook(db, bookId);
  if (!book || book.state !== 'active') throw errors.notFound(BOOK);
  return book;
}

async function sealedMonths(db: Db, bookId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('finance_periods')
    .select('period')
    .where('book_id', '=', bookId)
    .where('state', '=', 'sealed')
    .orderBy('period')
    .execute();
  return rows.map((row) => row.period);
}

/** A village's books as villagers see them: everything as of the last sealed month. */
export async function publicBook(app: App, bookId: string): Promise<PublicBook> {
  const book = await sealedBook(app.db, bookId);
  const disclosures = await app.db
    .selectFrom('finance_disclosures as d')
    .select((eb) => [
      'd.id',
      'd.kind',
      'd.label',
      'd.first_period',
      'd.last_period',
      'd.sealed_at',
      'd.summary',
      eb
        .selectFrom('finance_questions as q')
        .select((qb) => qb.fn.countAll<number>().as('n'))
        .whereRef('q.disclosure_id', '=', 'd.id')
        .as('question_count'),
    ])
    .where('d.book_id', '=', book.id)
    .where('d.state', '=', 'sealed')
    .orderBy('d.last_period', 'desc')
    .orderBy('d.kind')
    .execute();
  const months = await sealedMonths(app.db, book.id);
  const asOf = months.at(-1) ?? null;
  const accounts = await listAccounts(app.db, book.id);
  const names = new Map(accounts.map((account) => [account.code, account.name]));
  const { income, expenditure } = incomeAccounts();
  const sealed = new Set(months);
  const byMonth = new Map<string, { income: number; expenditure: number }>();
  const lastYear = asOf?.slice(0, 4);
  const incomeByCode = new Map<string, number>();
  const expenditureByCode = new Map<string, number>();
  if (asOf) {
    for (const row of await monthlyMovements(app.db, book.id, asOf)) {
      if (!sealed.has(row.period)) continue;
      const month = byMonth.get(row.period) ?? { income: 0, expenditure: 0 };
      if (income.has(row.code)) {
        month.income += row.credit - row.debit;
        if (row.period.startsWith(lastYear!)) {
          incomeByCode.set(row.code, (incomeByCode.get(row.code) ?? 0) + row.credit - row.debit);
        }
      }
      if (expenditure.has(row.code)) {
        month.expenditure += row.debit - row.credit;
        if (row.period.startsWith(lastYear!)) {
          expenditureByCode.set(row.code, (expenditureByCode.get(row.code) ?? 0) + row.debit - row.credit);
        }
      }
      byMonth.set(row.period, month);
    }
  }
  const monthList = months.map((period) => ({
    period,
    ...(byMonth.get(period) ?? { income: 0, expenditure: 0 }),
  }));
  const years = new Map<number, { year: number; income: number; expenditure: number; months: number }>();
  for (const month of monthList) {
    const year = Number(month.period.slice(0, 4));
    const entry = years.get(year) ?? { year, income: 0, expenditure: 0, months: 0 };
    entry.income += month.income;
    entry.expenditure += month.expenditure;
    entry.months++;
    years.set(year, entry);
  }
  const lines = (map: Map<string, number>) =>
    [...map]
      .filter(([, amount]) => amount !== 0)
      .sort(([, a], [, b]) => b - a)
      .map(([code, amount]) => ({ code, name: names.get(code) ?? code, amount }));

  // Balances as disclosed: from the latest sealed disclosure's content.
  const latest = disclosures.find((row) => row.last_period === asOf);
  let balances: PublicBook['balances'] = null;
  if (latest) {
    const content = (
      await app.db
        .selectFrom('finance_disclosures')
        .select('content')
        .where('id', '=', latest.id)
        .executeTakeFirstOrThrow()
    ).content as unknown as DisclosureContent;
    const sheet = (key: string) => content.assets.balanceSheet.find((line) => line.key === key)?.amount ?? 0;
    balances = {
      funds: content.assets.fundsTotal,
      totalAssets: sheet('totalAssets'),
      totalLiabilities: sheet('totalLiabilities'),
      totalEquity: sheet('totalEquity'),
      claims: content.debts.claimsTotal,
      debts: content.debts.debtsTotal,
    };
  }
  const count = async (table: 'finance_assets' | 'finance_resources' | 'finance_contracts') =>
    Number(
      (
        await app.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('book_id', '=', book.id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const overdue = await app.db
    .selectFrom('finance_rent_schedule')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('book_id', '=', book.id)
    .where('due_date', '<', today)
    .whereRef('paid_amount', '<', 'amount')
    .executeTakeFirstOrThrow();
  return {
    id: book.id,
    name: book.name,
    unitId: book.unit_id,
    unitName: book.unit_name,
    unitCode: book.unit_code,
    streetId: book.street_id,
    streetName: book.street_name,
    asOf,
    balances,
    months: monthList,
    years: [...years.values()],
    incomeByAccount: lines(incomeByCode),
    expenditureByAccount: lines(expenditureByCode),
    counts: {
      assets: await count('finance_assets'),
      resources: await count('finance_resources'),
      contracts: await count('finance_contracts'),
      overdueInstalments: Number(overdue.n),
    },
    disclosures: disclosures.map((row) => ({
      id: row.id,
      kind: row.kind as 'month' | 'quarter',
      label: row.label,
      firstPeriod: row.first_period,
      lastPeriod: row.last_period,
      sealedAt: row.sealed_at!.toISOString(),
      summary: row.summary as unknown as DisclosureSummary,
      questionCount: Number(row.question_count ?? 0),
    })),
  };
}

async function sealedDisclosure(db: Db, id: string) {
  const row = await db
    .selectFrom('finance_disclosures')
    .selectAll()
    .where('id', '=', id)
    .where('state', '=', 'sealed')
    .executeTakeFirst();
  if (!row) throw errors.notFound(DISCLOSURE);
  return row;
}

export async function questionsOf(
  db: Db,
  actor: Actor | null,
  filter: { disclosureId?: string; bookId?: string; state?: string | undefined },
): Promise<Question[]> {
  let query = db
    .selectFrom('finance_questions as q')
    .innerJoin('finance_disclosures as d', 'd.id', 'q.disclosure_id')
    .innerJoin('finance_books as b', 'b.id', 'q.book_id')
    .leftJoin('finance_vouchers as v', 'v.id', 'q.voucher_id')
    .select([
      'q.id',
      'q.disclosure_id',
      'd.label as disclosure_label',
      'q.voucher_id',
      'v.period as voucher_period',
      'v.number as voucher_number',
      'q.asker_name',
      'q.text',
      'q.asked_at',
      'q.state',
      'q.answer',
      'q.answered_at',
      'b.unit_path',
    ])
    .orderBy('q.asked_at', 'desc');
  if (filter.disclosureId) query = query.where('q.disclosure_id', '=', filter.disclosureId);
  if (filter.bookId) query = query.where('q.book_id', '=', filter.bookId);
  if (filter.state) query = query.where('q.state', '=', filter.state);
  const rows = await query.limit(500).execute();
  return rows.map((row) => {
    const full = canSeePersonalData(actor, row);
    const name = row.asker_name?.trim() || '村民';
    return {
      id: row.id,
      disclosureId: row.disclosure_id,
      disclosureLabel: row.disclosure_label,
      voucherId: row.voucher_id,
      voucherLabel:
        row.voucher_period && row.voucher_number
          ? voucherLabel(row.voucher_period, row.voucher_number)
          : null,
      askerName: full || name === '村民' ? name : maskName(name),
      text: row.text,
      askedAt: row.asked_at.toISOString(),
      state: row.state as Question['state'],
      answer: row.answer,
      answeredAt: row.answered_at?.toISOString() ?? null,
      allowedActions: row.state === 'open' && canAnswer(actor, row) ? ['answer'] : [],
    };
  });
}

/** A sealed disclosure with its content as sealed, and the public questions on it. */
export async function publicDisclosure(app: App, actor: Actor | null, id: string): Promise<PublicDisclosure> {
  const row = await sealedDisclosure(app.db, id);
  return {
    id: row.id,
    bookId: row.book_id,
    kind: row.kind as PublicDisclosure['kind'],
    label: row.label,
    sealedAt: row.sealed_at!.toISOString(),
    content: row.content as unknown as DisclosureContent,
    contentHash: row.content_hash!,
    questions: await questionsOf(app.db, actor, { disclosureId: row.id }),
    journal: {
      recordType: FINANCE_RECORD_TYPES.disclosure,
      recordId: row.id,
      url: `/api/journal/records/${FINANCE_RECORD_TYPES.disclosure}/${row.id}`,
    },
  };
}

async function presentPublic(db: Db, rows: VoucherRow[]): Promise<PublicVoucher[]> {
  const reversals = await findReversals(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => {
    const reversal = reversals.get(row.id);
    return presentPublicVoucher(
      row,
      reversal && reversal.state === 'posted'
        ? { id: reversal.id, label: voucherLabel(reversal.period, reversal.number) }
        : null,
    );
  });
}

/** The vouchers of a sealed disclosure's months, in number order, by pages (cursor: period:number). */
export async function publicDisclosureVouchers(
  app: App,
  id: string,
  query: { cursor?: string | undefined; limit: number; accountCode?: string | undefined },
) {
  const row = await sealedDisclosure(app.db, id);
  let afterKey: [string, number] | undefined;
  if (query.cursor) {
    const match = /^(\d{4}-\d{2}):(\d{1,6})$/.exec(query.cursor);
    if (!match) throw errors.badRequest({ zh: '分页游标无效', en: 'Invalid cursor' }, { field: 'cursor' });
    afterKey = [match[1]!, Number(match[2])];
  }
  const rows = await postedVouchers(app.db, row.book_id, {
    from: row.first_period,
    to: row.last_period,
    afterKey,
    limit: query.limit + 1,
    accountPrefix: query.accountCode,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await presentPublic(app.db, page),
    nextCursor: rows.length > query.limit && last ? `${last.period}:${last.number}` : null,
  };
}

/** One voucher of a sealed month. */
export async function publicVoucher(app: App, id: string): Promise<PublicVoucher> {
  const row = await findVoucher(app.db, id);
  if (!row || row.state !== 'posted') throw errors.notFound(VOUCHER);
  const period = await app.db
    .selectFrom('finance_periods')
    .select('state')
    .where('book_id', '=', row.book_id)
    .where('period', '=', row.period)
    .executeTakeFirst();
  if (period?.state !== 'sealed') throw errors.notFound(VOUCHER);
  return (await presentPublic(app.db, [row]))[0]!;
}

/** 村民意见: anyone asks about a sealed disclosure (or one of its vouchers); the question is public. */
export async function askQuestion(
  app: App,
  actor: Actor | null,
  disclosureId: string,
  input: { text: string; name?: string | null | undefined; voucherId?: string | null | undefined },
): Promise<Question> {
  const row = await sealedDisclosure(app.db, disclosureId);
  if (input.voucherId) {
    const voucher = await findVoucher(app.db, input.voucherId);
    if (
      !voucher ||
      voucher.book_id !== row.book_id ||
      voucher.state !== 'posted' ||
      voucher.period < row.first_period ||
      voucher.period > row.last_period
    ) {
      throw errors.unprocessable(
        'voucher_not_in_disclosure',
        { zh: '该凭证不属于这次公开', en: 'The voucher is not part of this disclosure' },
        { field: 'voucherId' },
      );
    }
  }
  const id = crypto.randomUUID();
  const now = new Date();
  const question = {
    id,
    book_id: row.book_id,
    street_id: row.street_id,
    disclosure_id: row.id,
    voucher_id: input.voucherId ?? null,
    asker_id: actor?.userId ?? null,
    asker_name: input.name?.trim() || null,
    text: input.text,
    state: 'open',
    answer: null,
    answered_by: null,
    answered_at: null,
    version: 1,
  };
  await inTransaction(app.db, async (trx) => {
    await trx
      .insertInto('finance_questions')
      .values({ ...question, asked_at: now })
      .execute();
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.question,
      recordId: id,
      streetId: row.street_id,
      action: 'ask',
      actorId: actor?.userId ?? null,
      actorRole: null,
      changes: question,
      at: now,
    });
  });
  return (await questionsOf(app.db, actor, { disclosureId: row.id })).find((item) => item.id === id)!;
}

/** Answers a question, in public (the bookkeeper or the village committee). */
export async function answerQuestion(app: App, actor: Actor, id: string, answer: string): Promise<Question> {
  const book = await inTransaction(app.db, async (trx) => {
    const row = await trx
      .selectFrom('finance_questions')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw errors.notFound({ zh: '意见', en: 'Question' });
    const book = (await findBook(trx, row.book_id))!;
    if (!canAnswer(actor, book)) {
      throw canSeePersonalData(actor, book)
        ? errors.forbidden()
        : errors.notFound({ zh: '意见', en: 'Question' });
    }
    if (row.state === 'answered') {
      throw errors.conflict('question_answered', {
        zh: '该意见已经答复',
        en: 'The question is already answered',
      });
    }
    const now = new Date();
    const changes = {
      state: 'answered',
      answer,
      answered_by: actor.userId,
      answered_at: now,
      version: row.version + 1,
    };
    await trx.updateTable('finance_questions').set(changes).where('id', '=', id).execute();
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.question,
      recordId: id,
      streetId: row.street_id,
      action: 'answer',
      actorId: actor.userId,
      actorRole: null,
      changes,
      at: now,
    });
    return book;
  });
  return (await questionsOf(app.db, actor, { bookId: book.id })).find((item) => item.id === id)!;
}
