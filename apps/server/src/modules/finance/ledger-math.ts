import type { TrialBalanceRow, VoucherLineInput } from '@minqing/contract';
import { errors } from '../../errors.ts';
import { accountLevel, parentCodeOf, type StatementLine } from './chart.ts';
import type { AccountMovement, AccountRow } from './repository.ts';

/**
 * The arithmetic of double entry, on integer fen only. A balance is signed, debit positive: an asset's
 * normal balance is positive, a liability's negative; presentation puts it on its side.
 */

export interface StoredLine {
  account: string;
  name: string;
  summary: string;
  debit: number;
  credit: number;
}

/** Leaf accounts: no active or inactive sub-account under them. */
export function leafCodes(accounts: AccountRow[]): Set<string> {
  const parents = new Set(
    accounts
      .filter((account) => account.state !== 'removed' && account.parent_code)
      .map((a) => a.parent_code!),
  );
  return new Set(accounts.filter((a) => a.state !== 'removed' && !parents.has(a.code)).map((a) => a.code));
}

/**
 * Checks a voucher's lines against the chart: every account exists, is a leaf and is active, and the
 * lines balance to the fen. Each failure names the line (lines.N.accountCode) in its details.
 */
export function checkVoucherLines(lines: VoucherLineInput[], accounts: AccountRow[]): StoredLine[] {
  const byCode = new Map(accounts.map((account) => [account.code, account]));
  const leaves = leafCodes(accounts);
  const stored = lines.map((line, index) => {
    const account = byCode.get(line.accountCode);
    const where = { line: index + 1, field: `lines.${index}.accountCode`, accountCode: line.accountCode };
    if (!account || account.state === 'removed') {
      throw errors.unprocessable(
        'account_unknown',
        {
          zh: `第 ${index + 1} 行的科目 ${line.accountCode} 不存在`,
          en: `line ${index + 1}: there is no account ${line.accountCode}`,
        },
        where,
      );
    }
    if (account.state !== 'active') {
      throw errors.unprocessable(
        'account_inactive',
        {
          zh: `第 ${index + 1} 行的科目 ${line.accountCode} ${account.name} 已停用`,
          en: `line ${index + 1}: account ${line.accountCode} ${account.name} is inactive`,
        },
        where,
      );
    }
    if (!leaves.has(account.code)) {
      throw errors.unprocessable(
        'account_not_leaf',
        {
          zh: `第 ${index + 1} 行的科目 ${line.accountCode} ${account.name} 有下级科目，请记到末级科目`,
          en: `line ${index + 1}: account ${line.accountCode} ${account.name} has sub-accounts; post to a sub-account`,
        },
        where,
      );
    }
    return {
      account: account.code,
      name: account.name,
      summary: line.summary,
      debit: line.debit,
      credit: line.credit,
    };
  });
  const debit = stored.reduce((sum, line) => sum + line.debit, 0);
  const credit = stored.reduce((sum, line) => sum + line.credit, 0);
  if (debit !== credit) {
    throw errors.unprocessable(
      'voucher_unbalanced',
      {
        zh: `借贷不平衡：借方合计 ${yuan(debit)} 元，贷方合计 ${yuan(credit)} 元，相差 ${yuan(Math.abs(debit - credit))} 元`,
        en: `Debits (${yuan(debit)}) and credits (${yuan(credit)}) differ by ${yuan(Math.abs(debit - credit))} yuan`,
      },
      { debit, credit, difference: debit - credit },
    );
  }
  return stored;
}

export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function linesTotal(lines: StoredLine[]): number {
  return lines.reduce((sum, line) => sum + line.debit, 0);
}

/** Splits a signed balance onto its side. */
export function sides(signed: number): { debit: number; credit: number } {
  return signed >= 0 ? { debit: signed, credit: 0 } : { debit: 0, credit: -signed };
}

export interface LeafFigures {
  code: string;
  opening: number;
  debit: number;
  credit: number;
  closingDebit: number;
  closingCredit: number;
}

/**
 * Trial-balance figures per leaf account: opening = the book's opening balance + every movement before
 * the range; then the range's movements; closing = opening + movements.
 */
export function leafFigures(
  opening: Record<string, number>,
  before: AccountMovement[],
  during: AccountMovement[],
): Map<string, LeafFigures> {
  const out = new Map<string, LeafFigures>();
  const get = (code: string) => {
    let row = out.get(code);
    if (!row) {
      row = { code, opening: 0, debit: 0, credit: 0, closingDebit: 0, closingCredit: 0 };
      out.set(code, row);
    }
    return row;
  };
  for (const [code, amount] of Object.entries(opening)) get(code).opening += amount;
  for (const row of before) get(row.account_code).opening += row.debit - row.credit;
  for (const row of during) {
    const figures = get(row.account_code);
    figures.debit += row.debit;
    figures.credit += row.credit;
    figures.closingDebit += row.closing_debit;
    figures.closingCredit += row.closing_credit;
  }
  return out;
}

export function closingOf(figures: LeafFigures): number {
  return figures.opening + figures.debit - figures.credit;
}

/** Leaf rows as the disclosure and the trial balance show them (only accounts with a figure). */
export function trialBalanceRows(
  figures: Map<string, LeafFigures>,
  names: Map<string, string>,
): TrialBalanceRow[] {
  return [...figures.values()]
    .filter((row) => row.opening !== 0 || row.debit !== 0 || row.credit !== 0)
    .sort((a, b) => (a.code < b.code ? -1 : 1))
    .map((row) => {
      const opening = sides(row.opening);
      const closing = sides(closingOf(row));
      return {
        code: row.code,
        name: names.get(row.code) ?? row.code,
        openingDebit: opening.debit,
        openingCredit: opening.credit,
        debit: row.debit,
        credit: row.credit,
        closingDebit: closing.debit,
        closingCredit: closing.credit,
      };
    });
}

/** Rolls leaf figures up to every ancestor account (the trial balance shows each level). */
export function rollUp(figures: Map<string, LeafFigures>): Map<string, LeafFigures> {
  const out = new Map<string, LeafFigures>();
  for (const leaf of figures.values()) {
    for (let code: string | null = leaf.code; code; code = parentCodeOf(code)) {
      const row = out.get(code) ?? {
        code,
        opening: 0,
        debit: 0,
        credit: 0,
        closingDebit: 0,
        closingCredit: 0,
      };
      row.opening += leaf.opening;
      row.debit += leaf.debit;
      row.credit += leaf.credit;
      row.closingDebit += leaf.closingDebit;
      row.closingCredit += leaf.closingCredit;
      out.set(code, row);
    }
  }
  return out;
}

export function level(code: string): number {
  return accountLevel(code);
}

/**
 * Evaluates statement lines over signed balances by code. `pick(prefixes)` sums what a line's
 * accounts contribute; sums refer to earlier lines. Memo lines are shown but not summed.
 */
export function evaluateLines(
  lines: StatementLine[],
  pick: (line: StatementLine) => number,
): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of lines) {
    if (line.sum) {
      values.set(
        line.key,
        line.sum.reduce((total, key) => {
          const other = lines.find((candidate) => candidate.key === key);
          const value = values.get(key) ?? 0;
          // In the income statement a cost line shows positive and subtracts in the sums.
          return total + (other?.sign === -1 ? -value : value);
        }, 0),
      );
    } else {
      values.set(line.key, pick(line));
    }
  }
  return values;
}

/** Sum of signed balances of every leaf under any of the prefixes. */
export function sumUnder(balances: Map<string, number>, prefixes: string[]): number {
  let total = 0;
  for (const [code, amount] of balances) {
    if (prefixes.some((prefix) => code.startsWith(prefix))) total += amount;
  }
  return total;
}
