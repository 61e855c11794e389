import { readFileSync } from 'node:fs';
import { REFERENCE_DATA_DIR } from '../../paths.ts';
import type { AccountCategory, Direction } from '@minqing/contract';

/**
 * The chart of accounts and the report layouts are data (apps/server/reference-data/finance/), read
 * once: the standard's accounts that every new book starts from, the statement lines and the accounts
 * behind each disclosure category.
 */
const DIR = `${REFERENCE_DATA_DIR}/finance/`;

export interface StandardAccount {
  code: string;
  name: string;
  category: AccountCategory;
  direction: Direction;
  parent?: string;
}

export interface ChartFile {
  id: string;
  title: string;
  source: string;
  accounts: StandardAccount[];
}

export interface StatementLine {
  key: string;
  label: string;
  accounts?: string[];
  sum?: string[];
  total?: boolean;
  negate?: boolean;
  memo?: boolean;
  profitLoss?: boolean;
  sign?: 1 | -1;
  openingOf?: string[];
}

export interface ReportLayouts {
  chart: string;
  balanceSheet: { assets: StatementLine[]; liabilitiesAndEquity: StatementLine[] };
  incomeStatement: StatementLine[];
  disclosure: { funds: string[]; claims: string[]; debts: string[]; distribution: string[] };
}

let chart: ChartFile | undefined;
let layouts: ReportLayouts | undefined;

export function standardChart(): ChartFile {
  chart ??= JSON.parse(readFileSync(`${DIR}chart-2023.json`, 'utf8')) as ChartFile;
  return chart;
}

export function reportLayouts(): ReportLayouts {
  layouts ??= JSON.parse(readFileSync(`${DIR}report-layouts.json`, 'utf8')) as ReportLayouts;
  return layouts;
}

/** 1 for a 3-digit code, 2 for 5 digits, … */
export function accountLevel(code: string): number {
  return (code.length - 1) / 2;
}

/** The parent of a sub-account's code (null for a first-level account). */
export function parentCodeOf(code: string): string | null {
  return code.length > 3 ? code.slice(0, -2) : null;
}

/** Does `code` lie under `prefix` (the account itself or one of its sub-accounts)? */
export function isUnder(code: string, prefix: string): boolean {
  return code.startsWith(prefix);
}
