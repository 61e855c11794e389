import type { VoucherInput, YearEnd } from '@minqing/contract';
import type { App } from '../../../app.ts';
import type { Db } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transaction.ts';
import { errors } from '../../../errors.ts';
import type { Actor } from '../../../policy/index.ts';
import { insertDraftVoucher } from '../create-voucher.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from '../finance-journal.ts';
import { loadKeptBook, loadReadableBook, requireActiveBook } from '../load-book.ts';
import { periodsBetween, previousPeriod } from '../periods.ts';
import { actingRole, canKeepBooks, KEEP_ROLES } from '../policy.ts';
import { balancesAt } from '../reports.ts';
import {
  ensurePeriod,
  findPeriods,
  listAccounts,
  lockBook,
  lockPeriod,
  updatePeriod,
  type AccountRow,
  type BookWithUnit,
} from '../repository.ts';
import { checkOpenPeriod } from '../voucher-content.ts';
import { postingAccount } from './depreciation-math.ts';

/**
 * 年终结账 (docs/decisions/0712). The year's income and expense accounts (损益类) are closed into
 * 321 本年收益 by a closing voucher (kind 'closing', dated 31 December) that goes through approval,
 * review and posting like any other; the same voucher carries 本年收益 and 各项分配 (32201) into
 * 收益分配—未分配收益 (32202). Once it is posted and every income, expense, 本年收益 and 各项分配
 * account stands at zero, the year is closed: every month of it closed, so no voucher is dated in it.
 */

const OPEN_STATES = ['draft', 'submitted', 'approved', 'reviewed'] as const;

interface ClosingLine {
  accountCode: string;
  name: string;
  debit: number;
  credit: number;
}

function yearMonths(book: BookWithUnit, year: number): string[] {
  const last = `${year}-12`;
  if (last < book.start_month) {
    throw errors.unprocessable(
      'date_before_books',
      { zh: `${year} 年早于账套启用期间 ${book.start_month}`, en: `${year} is before the books start` },
      { field: 'year' },
    );
  }
  const first = `${year}-01` < book.start_month ? book.start_month : `${year}-01`;
  return periodsBetween(first, last);
}

async function pendingInYear(db: Db, bookId: string, months: string[]): Promise<number> {
  const row = await db
    .selectFrom('finance_vouchers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('book_id', '=', bookId)
    .where('period', 'in', months)
    .where('state', 'in', [...OPEN_STATES])
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function latestClosingVoucher(db: Db, bookId: string, year: number) {
  return db
    .selectFrom('finance_vouchers')
    .select(['id', 'state', 'lines'])
    .where('book_id', '=', bookId)
    .where('period', '=', `${year}-12`)
    .where('kind', '=', 'closing')
    .where('state', '<>', 'discarded')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

/** The lines that bring every income/expense, 本年收益 and 各项分配 leaf to zero at the year's end. */
function closingLines(accounts: AccountRow[], balances: Map<string, number>) {
  const byCode = new Map(accounts.map((account) => [account.code, account]));
  const name = (code: string) => byCode.get(code)?.name ?? code;
  const lines: ClosingLine[] = [];
  let income = 0;
  let expense = 0;
  let toCurrentYear = 0; // signed, debit positive: what the income/expense lines put on 321
  const codes = [...balances.keys()].sort();
  for (const code of codes) {
    const account = byCode.get(code);
    const balance = balances.get(code) ?? 0;
    if (!account || account.category !== 'profit_loss' || balance === 0) continue;
    if (account.direction === 'credit') income -= balance;
    else expense += balance;
    lines.push({
      accountCode: code,
      name: account.name,
      debit: balance < 0 ? -balance : 0,
      credit: balance > 0 ? balance : 0,
    });
    toCurrentYear += balance;
  }
  const currentYear = postingAccount(
    accounts,
    '321',
    { zh: '年终结账', en: 'the year-end closing' },
    '本年收益',
  );
  const undistributed = postingAccount(
    accounts,
    '32202',
    { zh: '年终结账', en: 'the year-end closing' },
    '未分配',
  );
  // 损益 → 本年收益
  if (toCurrentYear !== 0) {
    lines.push({
      accountCode: currentYear,
      name: name(currentYear),
      debit: toCurrentYear > 0 ? toCurrentYear : 0,
      credit: toCurrentYear < 0 ? -toCurrentYear : 0,
    });
  }
  // 本年收益 → 收益分配—未分配收益 (whatever 321 holds after the lines above)
  let currentBalance = toCurrentYear;
  for (const [code, balance] of balances) if (code.startsWith('321')) currentBalance += balance;
  let toUndistributed = 0;
  if (currentBalance !== 0) {
    lines.push({
      accountCode: currentYear,
      name: name(currentYear),
      debit: currentBalance < 0 ? -currentBalance : 0,
      credit: currentBalance > 0 ? currentBalance : 0,
    });
    toUndistributed += currentBalance;
  }
  // 各项分配 → 未分配收益
  for (const code of codes) {
    if (!code.startsWith('32201')) continue;
    const balance = balances.get(code) ?? 0;
    if (balance === 0) continue;
    lines.push({
      accountCode: code,
      name: name(code),
      debit: balance < 0 ? -balance : 0,
      credit: balance > 0 ? balance : 0,
    });
    toUndistributed += balance;
  }
  if (toUndistributed !== 0) {
    lines.push({
      accountCode: undistributed,
      name: name(undistributed),
      debit: toUndistributed > 0 ? toUndistributed : 0,
      credit: toUndistributed < 0 ? -toUndistributed : 0,
    });
  }
  return { lines, income, expense };
}

/** Balances that must be zero for the year to close: income/expense, 本年收益, 各项分配. */
function openBalances(accounts: AccountRow[], balances: Map<string, number>): string[] {
  const byCode = new Map(accounts.map((account) => [account.code, account]));
  return [...balances]
    .filter(
      ([code, balance]) =>
        balance !== 0 &&
        (byCode.get(code)?.category === 'profit_loss' || code.startsWith('321') || code.startsWith('32201')),
    )
    .map(([code]) => code)
    .sort();
}

async function yearFigures(db: Db, book: BookWithUnit, year: number) {
  const months = yearMonths(book, year);
  const accounts = await listAccounts(db, book.id);
  const balances = await balancesAt(db, book, `${year}-12`);
  const periods = await findPeriods(db, book.id, months);
  const states = new Map(periods.map((row) => [row.period, row.state]));
  const allClosed = months.every((month) => states.get(month) === 'closed' || states.get(month) === 'sealed');
  const pendingCount = await pendingInYear(db, book.id, months);
  const closing = await latestClosingVoucher(db, book.id, year);
  return { months, accounts, balances, allClosed, pendingCount, closing };
}

export async function yearEndOf(app: App, actor: Actor, bookId: string, year: number): Promise<YearEnd> {
  const book = await loadReadableBook(app.db, actor, bookId);
  const figures = await yearFigures(app.db, book, year);
  const open = openBalances(figures.accounts, figures.balances);
  let state: YearEnd['state'];
  if (figures.closing && figures.closing.state !== 'posted') state = 'voucher_pending';
  else if (open.length === 0 && figures.allClosed) state = 'closed';
  else if (open.length === 0 && (figures.closing || figures.pendingCount === 0)) state = 'ready';
  else state = 'open';
  // Figures of the year as its income statement shows them: before the closing voucher.
  const byCode = new Map(figures.accounts.map((account) => [account.code, account]));
  let lines: ClosingLine[];
  let income = 0;
  let expense = 0;
  if (state === 'open' || !figures.closing) {
    const computed = closingLines(figures.accounts, figures.balances);
    lines = computed.lines;
    income = computed.income;
    expense = computed.expense;
  } else {
    lines = (
      figures.closing.lines as unknown as { account: string; name: string; debit: number; credit: number }[]
    ).map((line) => ({ accountCode: line.account, name: line.name, debit: line.debit, credit: line.credit }));
    for (const line of lines) {
      const account = byCode.get(line.accountCode);
      if (account?.category !== 'profit_loss') continue;
      if (account.direction === 'credit') income += line.debit - line.credit;
      else expense += line.credit - line.debit;
    }
  }
  const actions: string[] = [];
  if (canKeepBooks(actor, book) && book.state === 'active') {
    if (state === 'open' && figures.pendingCount === 0 && lines.length > 0) actions.push('draft-closing');
    if (state === 'ready') actions.push('close-year');
  }
  return {
    year,
    state,
    pendingCount: figures.pendingCount,
    income,
    expense,
    netIncome: income - expense,
    closingVoucherId: figures.closing?.id ?? null,
    lines,
    allowedActions: actions,
  };
}

function refusePending(pending: number, year: number) {
  if (pending > 0) {
    throw errors.conflict(
      'year_has_pending',
      {
        zh: `${year} 年还有 ${pending} 张凭证未入账（草稿或在审批中），请先入账或作废`,
        en: `${year} still has ${pending} vouchers not posted (drafts or in approval); post or discard them first`,
      },
      { pending },
    );
  }
}

/** 结转损益: drafts the closing voucher of the year (it then goes through approval like any other). */
export async function draftClosingVoucher(
  app: App,
  actor: Actor,
  bookId: string,
  input: { year: number; date?: string | undefined },
): Promise<YearEnd> {
  const book = await loadKeptBook(app.db, actor, bookId);
  requireActiveBook(book);
  const date = input.date ?? `${input.year}-12-31`;
  if (!date.startsWith(`${input.year}-12-`)) {
    throw errors.unprocessable(
      'closing_date_wrong',
      { zh: '结账凭证的日期应在当年 12 月', en: 'the closing voucher is dated in December of the year' },
      { field: 'date' },
    );
  }
  await inTransaction(app.db, async (trx) => {
    await lockBook(trx, book.id);
    await checkOpenPeriod(trx, book, date);
    const figures = await yearFigures(trx, book, input.year);
    refusePending(figures.pendingCount, input.year);
    const { lines } = closingLines(figures.accounts, figures.balances);
    if (lines.length === 0) {
      throw errors.unprocessable(
        'nothing_to_close',
        {
          zh: `${input.year} 年的收入、费用科目都没有余额，无需结转，可直接结账`,
          en: `no income or expense account has a balance in ${input.year}; close the year directly`,
        },
        { field: 'year' },
      );
    }
    const summary = `结转${input.year}年损益及收益分配`;
    const voucher: VoucherInput = {
      date,
      summary,
      handlerName: null,
      lines: lines.map((line) => ({
        accountCode: line.accountCode,
        summary: line.accountCode.startsWith('32') ? '结转本年收益及分配' : '结转损益',
        debit: line.debit,
        credit: line.credit,
      })),
      attachments: [],
    };
    await insertDraftVoucher(trx, actor, book, voucher, {
      kind: 'closing',
      extra: { closingYear: input.year },
    });
  });
  return yearEndOf(app, actor, bookId, input.year);
}

/** 年终结账: closes every month of the year once its closing voucher is posted and the accounts are at zero. */
export async function closeYear(app: App, actor: Actor, bookId: string, year: number): Promise<YearEnd> {
  const book = await loadKeptBook(app.db, actor, bookId);
  requireActiveBook(book);
  await inTransaction(app.db, async (trx) => {
    await lockBook(trx, book.id);
    const figures = await yearFigures(trx, book, year);
    if (figures.closing && figures.closing.state !== 'posted') {
      throw errors.conflict(
        'closing_voucher_pending',
        {
          zh: `${year} 年的结账凭证尚未入账，请先完成审批、审核和入账`,
          en: `the closing voucher of ${year} is not posted yet; take it through approval and posting first`,
        },
        { voucherId: figures.closing.id },
      );
    }
    refusePending(figures.pendingCount, year);
    const open = openBalances(figures.accounts, figures.balances);
    if (open.length > 0) {
      throw errors.conflict(
        'year_not_carried_forward',
        {
          zh: `以下科目在 ${year} 年末仍有余额，请先结转损益：${open.join('、')}`,
          en: `these accounts still have a balance at the end of ${year}; carry them forward first: ${open.join(', ')}`,
        },
        { accounts: open },
      );
    }
    const first = figures.months[0]!;
    if (first > book.start_month) {
      const before = await lockPeriod(trx, book.id, previousPeriod(first));
      if (!before || before.state === 'open') {
        throw errors.conflict(
          'previous_period_open',
          { zh: `请先结账 ${previousPeriod(first)}`, en: `Close ${previousPeriod(first)} first` },
          { period: previousPeriod(first) },
        );
      }
    }
    const now = new Date();
    const closed: string[] = [];
    for (const month of figures.months) {
      await ensurePeriod(trx, book.id, book.street_id, month);
      const row = (await lockPeriod(trx, book.id, month))!;
      if (row.state !== 'open') continue;
      await updatePeriod(trx, book.id, month, { state: 'closed', closed_by: actor.userId, closed_at: now });
      closed.push(month);
    }
    if (closed.length === 0) {
      throw errors.conflict('year_closed', { zh: `${year} 年已经结账`, en: `${year} is already closed` });
    }
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.book,
      recordId: book.id,
      streetId: book.street_id,
      action: 'close_year',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes: {},
      extra: { year, periods: closed, closingVoucherId: figures.closing?.id ?? null },
      at: now,
    });
  });
  return yearEndOf(app, actor, bookId, year);
}
