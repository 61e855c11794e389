import type { BalanceSheet, IncomeStatement, Ledger, TrialBalance } from '@minqing/contract';
import { voucherLabel } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { reportLayouts, type StatementLine } from './chart.ts';
import {
  closingOf,
  evaluateLines,
  leafFigures,
  level,
  rollUp,
  sides,
  sumUnder,
  type LeafFigures,
} from './ledger-math.ts';
import { loadReadableBook } from './load-book.ts';
import { previousPeriod } from './periods.ts';
import { ledgerPostings, listAccounts, sumBalances, type AccountRow, type BookRow } from './repository.ts';

/**
 * The reports (科目余额表, 资产负债表, 收益及收益分配表, 明细账), computed from the monthly balances
 * (finance_balances), never from floating point: every figure is a sum of integer fen.
 */

/** Leaf figures of months [from, to]: opening = the book's opening + every movement before `from`. */
export async function figuresFor(
  db: Db,
  book: BookRow,
  from: string,
  to: string,
): Promise<Map<string, LeafFigures>> {
  const opening = book.opening_balances as Record<string, number>;
  const before =
    from > book.start_month ? await sumBalances(db, book.id, { from: null, to: previousPeriod(from) }) : [];
  const during = await sumBalances(db, book.id, { from, to });
  return leafFigures(opening, before, during);
}

/** Signed balances (debit positive) of every leaf at the end of `period` (null: the opening balances). */
export async function balancesAt(db: Db, book: BookRow, period: string | null): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const [code, amount] of Object.entries(book.opening_balances as Record<string, number>))
    out.set(code, amount);
  if (period === null || period < book.start_month) return out;
  for (const row of await sumBalances(db, book.id, { from: null, to: period })) {
    out.set(row.account_code, (out.get(row.account_code) ?? 0) + row.debit - row.credit);
  }
  return out;
}

function checkRange(book: BookRow, from: string, to: string): void {
  if (to < book.start_month) {
    throw errors.unprocessable(
      'date_before_books',
      {
        zh: `${to} 早于账套启用期间 ${book.start_month}`,
        en: `${to} is before the books start (${book.start_month})`,
      },
      { field: 'to', startMonth: book.start_month },
    );
  }
  if (from > to) {
    throw errors.badRequest(
      { zh: '起始期间不能晚于结束期间', en: 'from must not be after to' },
      { field: 'from' },
    );
  }
}

export function computeTrialBalance(
  book: BookRow,
  accounts: AccountRow[],
  figures: Map<string, LeafFigures>,
  from: string,
  to: string,
): TrialBalance {
  const names = new Map(accounts.map((account) => [account.code, account.name]));
  const leafSet = new Set(figures.keys());
  const all = rollUp(figures);
  const rows = [...all.values()]
    .filter((row) => row.opening !== 0 || row.debit !== 0 || row.credit !== 0 || closingOf(row) !== 0)
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((row) => {
      const opening = sides(row.opening);
      const closing = sides(closingOf(row));
      return {
        code: row.code,
        name: names.get(row.code) ?? row.code,
        level: level(row.code),
        isLeaf:
          leafSet.has(row.code) && !accounts.some((a) => a.parent_code === row.code && a.state !== 'removed'),
        openingDebit: opening.debit,
        openingCredit: opening.credit,
        debit: row.debit,
        credit: row.credit,
        closingDebit: closing.debit,
        closingCredit: closing.credit,
      };
    });
  // Totals over first-level accounts (each leaf counted once).
  const firstLevel = rows.filter((row) => row.level === 1);
  const sum = (pick: (row: (typeof rows)[number]) => number) =>
    firstLevel.reduce((total, row) => total + pick(row), 0);
  const totals = {
    openingDebit: sum((row) => row.openingDebit),
    openingCredit: sum((row) => row.openingCredit),
    debit: sum((row) => row.debit),
    credit: sum((row) => row.credit),
    closingDebit: sum((row) => row.closingDebit),
    closingCredit: sum((row) => row.closingCredit),
  };
  return {
    bookId: book.id,
    from,
    to,
    rows,
    totals,
    isBalanced:
      totals.openingDebit === totals.openingCredit &&
      totals.debit === totals.credit &&
      totals.closingDebit === totals.closingCredit,
  };
}

/** 科目余额表 over months [from, to] of one year. */
export async function trialBalance(
  app: App,
  actor: Actor | null,
  bookId: string,
  query: { from: string; to: string },
): Promise<TrialBalance> {
  const book = await loadReadableBook(app.db, actor, bookId);
  checkRange(book, query.from, query.to);
  const from = query.from < book.start_month ? book.start_month : query.from;
  const figures = await figuresFor(app.db, book, from, query.to);
  return computeTrialBalance(book, await listAccounts(app.db, book.id), figures, query.from, query.to);
}

/** The balance-sheet lines over signed balances (assets debit-positive, the other side credit-positive). */
export function balanceSheetValues(balances: Map<string, number>): {
  assets: Map<string, number>;
  liabilitiesAndEquity: Map<string, number>;
} {
  const layout = reportLayouts().balanceSheet;
  const profitLoss = -sumUnder(new Map([...balances].filter(([code]) => code.startsWith('5'))), ['5']);
  const assets = evaluateLines(layout.assets, (line) => {
    const value = sumUnder(balances, line.accounts ?? []);
    return line.negate ? -value : value;
  });
  const liabilitiesAndEquity = evaluateLines(layout.liabilitiesAndEquity, (line) => {
    const value = -sumUnder(balances, line.accounts ?? []);
    return line.profitLoss ? value + profitLoss : value;
  });
  return { assets, liabilitiesAndEquity };
}

/** 资产负债表 at the end of `period`; 年初数 at the end of the previous year (or the opening). */
export async function balanceSheet(
  app: App,
  actor: Actor | null,
  bookId: string,
  period: string,
): Promise<BalanceSheet> {
  const book = await loadReadableBook(app.db, actor, bookId);
  checkRange(book, period, period);
  return computeBalanceSheet(app.db, book, period);
}

export async function computeBalanceSheet(db: Db, book: BookRow, period: string): Promise<BalanceSheet> {
  const layout = reportLayouts().balanceSheet;
  const yearStart = `${period.slice(0, 4)}-01`;
  const openingPeriod = yearStart <= book.start_month ? null : previousPeriod(yearStart);
  const opening = balanceSheetValues(await balancesAt(db, book, openingPeriod));
  const closing = balanceSheetValues(await balancesAt(db, book, period));
  const lines = (spec: StatementLine[], side: 'assets' | 'liabilitiesAndEquity') =>
    spec.map((line) => ({
      key: line.key,
      label: line.label,
      isTotal: !!line.total,
      opening: opening[side].get(line.key) ?? 0,
      closing: closing[side].get(line.key) ?? 0,
    }));
  return {
    bookId: book.id,
    period,
    assets: lines(layout.assets, 'assets'),
    liabilitiesAndEquity: lines(layout.liabilitiesAndEquity, 'liabilitiesAndEquity'),
    isBalanced:
      closing.assets.get('totalAssets') === closing.liabilitiesAndEquity.get('totalLiabilitiesAndEquity') &&
      opening.assets.get('totalAssets') === opening.liabilitiesAndEquity.get('totalLiabilitiesAndEquity'),
  };
}

/** Operating movements (year-end closing vouchers left out) per leaf over months [from, to]. */
async function operatingMovements(db: Db, bookId: string, from: string, to: string) {
  const rows = await sumBalances(db, bookId, { from, to });
  return new Map(
    rows.map((row) => [
      row.account_code,
      { debit: row.debit - row.closing_debit, credit: row.credit - row.closing_credit },
    ]),
  );
}

function incomeValues(
  movements: Map<string, { debit: number; credit: number }>,
  openingBalances: Map<string, number>,
): Map<string, number> {
  return evaluateLines(reportLayouts().incomeStatement, (line) => {
    if (line.openingOf) return -sumUnder(openingBalances, line.openingOf) * (line.sign ?? 1);
    let debit = 0;
    let credit = 0;
    for (const [code, sum] of movements) {
      if ((line.accounts ?? []).some((prefix) => code.startsWith(prefix))) {
        debit += sum.debit;
        credit += sum.credit;
      }
    }
    return (line.sign ?? 1) === 1 ? credit - debit : debit - credit;
  });
}

/** 收益及收益分配表: the month and the year to date. */
export async function incomeStatement(
  app: App,
  actor: Actor | null,
  bookId: string,
  period: string,
): Promise<IncomeStatement> {
  const book = await loadReadableBook(app.db, actor, bookId);
  checkRange(book, period, period);
  return computeIncomeStatement(app.db, book, period);
}

export async function computeIncomeStatement(
  db: Db,
  book: BookRow,
  period: string,
): Promise<IncomeStatement> {
  const yearStart = `${period.slice(0, 4)}-01`;
  const openingPeriod = yearStart <= book.start_month ? null : previousPeriod(yearStart);
  const openingBalances = await balancesAt(db, book, openingPeriod);
  const month = incomeValues(await operatingMovements(db, book.id, period, period), new Map());
  const ytd = incomeValues(await operatingMovements(db, book.id, yearStart, period), openingBalances);
  return {
    bookId: book.id,
    period,
    lines: reportLayouts().incomeStatement.map((line) => ({
      key: line.key,
      label: line.label,
      isTotal: !!line.total,
      month: month.get(line.key) ?? 0,
      ytd: ytd.get(line.key) ?? 0,
    })),
  };
}

/** 明细账 of an account (and its sub-accounts) over months [from, to] of one year. */
export async function ledger(
  app: App,
  actor: Actor | null,
  bookId: string,
  query: { accountCode: string; from: string; to: string },
): Promise<Ledger> {
  const book = await loadReadableBook(app.db, actor, bookId);
  checkRange(book, query.from, query.to);
  const accounts = await listAccounts(app.db, book.id);
  const account = accounts.find((row) => row.code === query.accountCode && row.state !== 'removed');
  if (!account) throw errors.notFound({ zh: '会计科目', en: 'Account' });
  const from = query.from < book.start_month ? book.start_month : query.from;
  const side = (signed: number): { side: '借' | '贷' | '平'; balance: number } => ({
    side: signed === 0 ? '平' : signed > 0 ? '借' : '贷',
    balance: Math.abs(signed),
  });
  const opening = sumUnder(
    await balancesAt(app.db, book, from > book.start_month ? previousPeriod(from) : null),
    [account.code],
  );
  const postings = await ledgerPostings(app.db, book.id, account.code, from, query.to);
  const rows: Ledger['rows'] = [
    {
      kind: 'opening',
      date: null,
      period: from,
      voucherId: null,
      voucherLabel: null,
      accountCode: null,
      summary: from.endsWith('-01') ? '上年结转' : '期初余额',
      debit: 0,
      credit: 0,
      ...side(opening),
    },
  ];
  let balance = opening;
  const yearStart = `${from.slice(0, 4)}-01`;
  // 本年累计 starts with what the year posted before `from`.
  const beforeInYear =
    from > yearStart && from > book.start_month
      ? await sumBalances(app.db, book.id, {
          from: yearStart < book.start_month ? book.start_month : yearStart,
          to: previousPeriod(from),
        })
      : [];
  let yearDebit = 0;
  let yearCredit = 0;
  for (const row of beforeInYear) {
    if (row.account_code.startsWith(account.code)) {
      yearDebit += row.debit;
      yearCredit += row.credit;
    }
  }
  const byPeriod = new Map<string, typeof postings>();
  for (const posting of postings) {
    const list = byPeriod.get(posting.period) ?? [];
    list.push(posting);
    byPeriod.set(posting.period, list);
  }
  for (let period = from; period <= query.to; period = nextOf(period)) {
    const list = byPeriod.get(period) ?? [];
    let monthDebit = 0;
    let monthCredit = 0;
    for (const posting of list) {
      balance += posting.debit - posting.credit;
      monthDebit += posting.debit;
      monthCredit += posting.credit;
      rows.push({
        kind: 'entry',
        date: posting.voucher_date,
        period,
        voucherId: posting.voucher_id,
        voucherLabel: voucherLabel(posting.period, posting.number),
        accountCode: posting.account_code,
        summary: posting.summary,
        debit: posting.debit,
        credit: posting.credit,
        ...side(balance),
      });
    }
    yearDebit += monthDebit;
    yearCredit += monthCredit;
    const base = { date: null, period, voucherId: null, voucherLabel: null, accountCode: null };
    rows.push({
      kind: 'month_total',
      ...base,
      summary: '本月合计',
      debit: monthDebit,
      credit: monthCredit,
      ...side(balance),
    });
    rows.push({
      kind: 'year_total',
      ...base,
      summary: '本年累计',
      debit: yearDebit,
      credit: yearCredit,
      ...side(balance),
    });
  }
  return {
    bookId: book.id,
    account: { code: account.code, name: account.name, direction: account.direction as 'debit' | 'credit' },
    from: query.from,
    to: query.to,
    rows,
  };
}

function nextOf(period: string): string {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}
