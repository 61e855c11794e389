import {
  disclosureContentText,
  disclosureMonths,
  publicVoucherDigestText,
  type DisclosureContent,
  type DisclosureSummary,
  type MajorItem,
} from '@minqing/contract';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { reportLayouts } from './chart.ts';
import { trialBalanceRows } from './ledger-math.ts';
import { presentPublicVoucher } from './present.ts';
import { balancesAt, computeBalanceSheet, computeIncomeStatement, figuresFor } from './reports.ts';
import { listAccounts, postedVouchers, type BookWithUnit } from './repository.ts';
import type { StoredLine } from './ledger-math.ts';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The first-level accounts whose operating movements are income (credit-normal 损益类) or expenditure. */
export function incomeAccounts(): { income: Set<string>; expenditure: Set<string> } {
  const lines = reportLayouts().incomeStatement.filter((line) => line.accounts && line.sign);
  return {
    income: new Set(lines.filter((line) => line.sign === 1).flatMap((line) => line.accounts!)),
    expenditure: new Set(lines.filter((line) => line.sign === -1).flatMap((line) => line.accounts!)),
  };
}

export interface DisclosureHead {
  id: string;
  kind: 'month' | 'quarter';
  label: string;
  major_items: unknown;
}

/**
 * The disclosure in seven categories (收入, 支出, 资产, 资源, 债权债务, 收益分配, 重大事项), with the
 * trial balance and the digest of every voucher of its months, from the books as they are now. The
 * seal stores exactly this; a browser recomputes the voucher digests and the figures from the vouchers.
 */
export async function buildDisclosureContent(
  db: Db,
  book: BookWithUnit,
  disclosure: DisclosureHead,
): Promise<DisclosureContent> {
  const months = disclosureMonths(disclosure.label);
  const first = months[0]!;
  const last = months.at(-1)!;
  const accounts = await listAccounts(db, book.id);
  const names = new Map(accounts.map((account) => [account.code, account.name]));
  const name = (code: string) => names.get(code) ?? code;
  const layouts = reportLayouts();

  const vouchers = await postedVouchers(db, book.id, { from: first, to: last });
  const operating = new Map<string, { debit: number; credit: number }>();
  let debit = 0;
  let credit = 0;
  for (const voucher of vouchers) {
    for (const line of voucher.lines as unknown as StoredLine[]) {
      debit += line.debit;
      credit += line.credit;
      if (voucher.kind === 'closing') continue;
      const code = line.account.slice(0, 3);
      const sum = operating.get(code) ?? { debit: 0, credit: 0 };
      sum.debit += line.debit;
      sum.credit += line.credit;
      operating.set(code, sum);
    }
  }
  const { income, expenditure } = incomeAccounts();
  const category = (codes: Set<string>, sign: 1 | -1) => {
    const items = [...codes]
      .sort()
      .map((code) => {
        const sum = operating.get(code) ?? { debit: 0, credit: 0 };
        return {
          code,
          name: name(code),
          amount: sign === 1 ? sum.credit - sum.debit : sum.debit - sum.credit,
        };
      })
      .filter((item) => item.amount !== 0);
    return { items, total: items.reduce((total, item) => total + item.amount, 0) };
  };

  const closing = await balancesAt(db, book, last);
  const leafLines = (prefixes: string[], sign: 1 | -1) =>
    [...closing]
      .filter(([code, amount]) => amount !== 0 && prefixes.some((prefix) => code.startsWith(prefix)))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([code, amount]) => ({ code, name: name(code), amount: amount * sign }));
  const funds = leafLines(layouts.disclosure.funds, 1);
  const claims = leafLines(layouts.disclosure.claims, 1);
  const debts = leafLines(layouts.disclosure.debts, -1);
  const sum = (lines: { amount: number }[]) => lines.reduce((total, line) => total + line.amount, 0);

  const sheet = await computeBalanceSheet(db, book, last);
  const statement = await computeIncomeStatement(db, book, last);
  const figures = await figuresFor(db, book, first < book.start_month ? book.start_month : first, last);

  const register = await db
    .selectFrom('finance_assets')
    .select((eb) => [
      eb.fn.countAll<number>().as('count'),
      eb.fn.count<number>('id').filterWhere('is_operating', '=', true).as('operating'),
      eb.fn.coalesce(eb.fn.sum<number>('original_value'), sql<number>`0`).as('original'),
      eb.fn.coalesce(eb.fn.sum<number>('opening_depreciation'), sql<number>`0`).as('opening_dep'),
    ])
    .where('book_id', '=', book.id)
    .where('state', '<>', 'disposed')
    .executeTakeFirstOrThrow();
  const depreciation = await db
    .selectFrom('finance_depreciation as d')
    .innerJoin('finance_vouchers as v', 'v.id', 'd.voucher_id')
    .innerJoin('finance_assets as a', 'a.id', 'd.asset_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('d.amount'), sql<number>`0`).as('amount'))
    .where('d.book_id', '=', book.id)
    .where('v.state', '=', 'posted')
    .where('d.period', '<=', last)
    .where('a.state', '<>', 'disposed')
    .executeTakeFirstOrThrow();
  const accumulated = Number(register.opening_dep) + Number(depreciation.amount);

  const resources = await db
    .selectFrom('finance_resources')
    .select(['kind', 'let_how', 'area_centimu'])
    .where('book_id', '=', book.id)
    .where('state', '=', 'active')
    .execute();
  const byKind = new Map<string, { count: number; areaCentimu: number }>();
  for (const resource of resources) {
    const entry = byKind.get(resource.kind) ?? { count: 0, areaCentimu: 0 };
    entry.count++;
    entry.areaCentimu += Number(resource.area_centimu);
    byKind.set(resource.kind, entry);
  }
  const lastDay = monthEnd(last);
  const rent = await db
    .selectFrom('finance_rent_schedule as r')
    .innerJoin('finance_contracts as c', 'c.id', 'r.contract_id')
    .select((eb) => [
      eb.fn
        .coalesce(
          eb.fn.sum<number>('r.amount').filterWhere('r.due_date', '>=', `${first}-01`),
          sql<number>`0`,
        )
        .as('due'),
      eb.fn
        .coalesce(
          eb.fn.sum<number>('r.paid_amount').filterWhere('r.due_date', '>=', `${first}-01`),
          sql<number>`0`,
        )
        .as('received'),
      eb.fn
        .count<number>('r.id')
        .filterWhere(sql<boolean>`r.paid_amount < r.amount AND r.due_date < ${lastDay}::date`)
        .as('overdue_count'),
      eb.fn
        .coalesce(
          eb.fn
            .sum<number>(sql`r.amount - r.paid_amount`)
            .filterWhere(sql<boolean>`r.paid_amount < r.amount AND r.due_date < ${lastDay}::date`),
          sql<number>`0`,
        )
        .as('overdue_amount'),
    ])
    .where('r.book_id', '=', book.id)
    .where('c.state', '=', 'active')
    .where('r.due_date', '<=', lastDay)
    .executeTakeFirstOrThrow();
  const contracts = await db
    .selectFrom('finance_contracts')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('book_id', '=', book.id)
    .where('state', '=', 'active')
    .executeTakeFirstOrThrow();

  const distributionItems = distributionLines(
    vouchers.filter((voucher) => voucher.kind !== 'closing'),
    layouts.disclosure.distribution,
    name,
  );
  const previous = await db
    .selectFrom('finance_disclosures')
    .select(['id', 'label', 'content_hash'])
    .where('book_id', '=', book.id)
    .where('state', '=', 'sealed')
    .where('id', '<>', disclosure.id)
    .orderBy('sealed_at', 'desc')
    .limit(1)
    .executeTakeFirst();

  const majorItems = (disclosure.major_items as MajorItem[]).map((item) => ({
    title: item.title,
    description: item.description,
    amount: item.amount ?? null,
    decidedOn: item.decidedOn ?? null,
  }));
  const ytd = (key: string) => statement.lines.find((line) => line.key === key)?.ytd ?? 0;
  const sheetAmount = (key: string) =>
    [...sheet.assets, ...sheet.liabilitiesAndEquity].find((line) => line.key === key)?.closing ?? 0;

  return {
    format: 1,
    book: { id: book.id, name: book.name, unitName: book.unit_name, unitCode: book.unit_code },
    disclosure: {
      id: disclosure.id,
      kind: disclosure.kind,
      label: disclosure.label,
      firstPeriod: first,
      lastPeriod: last,
    },
    previous: previous
      ? { id: previous.id, label: previous.label, contentHash: previous.content_hash ?? '' }
      : null,
    income: category(income, 1),
    expenditure: category(expenditure, -1),
    assets: {
      funds,
      fundsTotal: sum(funds),
      balanceSheet: [...sheet.assets, ...sheet.liabilitiesAndEquity]
        .filter((line) => line.isTotal || line.closing !== 0)
        .map((line) => ({ key: line.key, label: line.label, amount: line.closing })),
      register: {
        count: Number(register.count),
        operatingCount: Number(register.operating),
        originalValue: Number(register.original),
        accumulatedDepreciation: accumulated,
        netValue: Number(register.original) - accumulated,
      },
    },
    resources: {
      count: resources.length,
      letCount: resources.filter(
        (resource) => resource.let_how !== 'unlet' && resource.let_how !== 'self_operated',
      ).length,
      areaCentimu: resources.reduce((total, resource) => total + Number(resource.area_centimu), 0),
      byKind: [...byKind].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, entry]) => ({ kind, ...entry })),
      contracts: Number(contracts.count),
      rentDue: Number(rent.due),
      rentReceived: Number(rent.received),
      overdueInstalments: Number(rent.overdue_count),
      overdueAmount: Number(rent.overdue_amount),
    },
    debts: { claims, claimsTotal: sum(claims), debts, debtsTotal: sum(debts) },
    distribution: {
      netProfitYtd: ytd('netProfit'),
      items: distributionItems,
      total: sum(distributionItems),
      undistributed: sheetAmount('undistributed'),
    },
    majorItems,
    trialBalance: trialBalanceRows(figures, names),
    totals: { voucherCount: vouchers.length, debit, credit },
    vouchers: vouchers.map((voucher) => ({
      id: voucher.id,
      period: voucher.period,
      number: voucher.number ?? 0,
      digest: sha256Hex(publicVoucherDigestText(presentPublicVoucher(voucher, null))),
    })),
  };
}

function distributionLines(
  vouchers: { lines: unknown }[],
  prefixes: string[],
  name: (code: string) => string,
): { code: string; name: string; amount: number }[] {
  const sums = new Map<string, number>();
  for (const voucher of vouchers) {
    for (const line of voucher.lines as StoredLine[]) {
      if (!prefixes.some((prefix) => line.account.startsWith(prefix))) continue;
      sums.set(line.account, (sums.get(line.account) ?? 0) + line.debit - line.credit);
    }
  }
  return [...sums]
    .filter(([, amount]) => amount !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, amount]) => ({ code, name: name(code), amount }));
}

export function monthEnd(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  const day = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${period}-${String(day).padStart(2, '0')}`;
}

export function contentHash(content: DisclosureContent): string {
  return sha256Hex(disclosureContentText(content));
}

export function summaryOf(content: DisclosureContent): DisclosureSummary {
  return {
    income: content.income.total,
    expenditure: content.expenditure.total,
    fundsTotal: content.assets.fundsTotal,
    voucherCount: content.totals.voucherCount,
  };
}
