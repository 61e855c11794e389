import { parseYuan, type ImportIssue, type OpeningImportReport } from '@minqing/contract';
import type ExcelJS from 'exceljs';
import { newWorkbook } from '../../workbook.ts';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { parentCodeOf } from './chart.ts';
import { leafCodes } from './ledger-math.ts';
import { loadKeptBook, loadReadableBook } from './load-book.ts';
import { presentBook } from './present.ts';
import { computeBalanceSheet, computeIncomeStatement, computeTrialBalance, figuresFor } from './reports.ts';
import { findBook, insertAccounts, listAccounts } from './repository.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { actingRole, KEEP_ROLES } from './policy.ts';
import { writeOpeningBalancesIn } from './set-opening-balances.ts';
import { inTransaction } from '../../db/transaction.ts';

/**
 * Spreadsheets the way village bookkeepers exchange them: the reports of a month as one workbook (科目余额表,
 * 资产负债表, 收益及收益分配表; amounts in yuan with two decimals, the book and the period in the heading),
 * and opening balances imported from a sheet with the columns 科目编码, 科目名称, 借方余额, 贷方余额.
 */

const MONEY = '#,##0.00;[Red]-#,##0.00';

function heading(sheet: ExcelJS.Worksheet, title: string, subtitle: string, columns: number) {
  sheet.mergeCells(1, 1, 1, columns);
  sheet.getCell(1, 1).value = title;
  sheet.getCell(1, 1).font = { bold: true, size: 14 };
  sheet.getCell(1, 1).alignment = { horizontal: 'center' };
  sheet.mergeCells(2, 1, 2, columns);
  sheet.getCell(2, 1).value = subtitle;
  sheet.getCell(2, 1).alignment = { horizontal: 'center' };
}

function header(row: ExcelJS.Row) {
  row.font = { bold: true };
  row.eachCell((cell) => {
    cell.border = { bottom: { style: 'thin' } };
    cell.alignment = { horizontal: 'center' };
  });
}

const y = (fen: number) => fen / 100;

/** The reports of `period` (trial balance from the start of its year) as an .xlsx workbook. */
export async function exportReports(
  app: App,
  actor: Actor | null,
  bookId: string,
  period: string,
): Promise<{ fileName: string; body: Buffer }> {
  const book = await loadReadableBook(app.db, actor, bookId);
  if (period < book.start_month) {
    throw errors.unprocessable(
      'date_before_books',
      { zh: `${period} 早于账套启用期间 ${book.start_month}`, en: `${period} is before the books start` },
      { field: 'period' },
    );
  }
  const yearStart = `${period.slice(0, 4)}-01`;
  const from = yearStart < book.start_month ? book.start_month : yearStart;
  const accounts = await listAccounts(app.db, book.id);
  const trial = computeTrialBalance(
    book,
    accounts,
    await figuresFor(app.db, book, from, period),
    from,
    period,
  );
  const sheet = await computeBalanceSheet(app.db, book, period);
  const income = await computeIncomeStatement(app.db, book, period);
  const subtitle = `编制单位：${book.name}  ${period.replace('-', ' 年 ')} 月  单位：元`;

  const workbook = await newWorkbook();
  workbook.creator = 'minqing';
  const t = workbook.addWorksheet('科目余额表');
  heading(t, '科目余额表', `编制单位：${book.name}  ${from} 至 ${period}  单位：元`, 8);
  header(
    t.addRow([
      '科目编码',
      '科目名称',
      '期初借方',
      '期初贷方',
      '本期借方',
      '本期贷方',
      '期末借方',
      '期末贷方',
    ]),
  );
  for (const row of trial.rows) {
    const added = t.addRow([
      row.code,
      `${'\u3000'.repeat(row.level - 1)}${row.name}`,
      y(row.openingDebit),
      y(row.openingCredit),
      y(row.debit),
      y(row.credit),
      y(row.closingDebit),
      y(row.closingCredit),
    ]);
    if (row.level === 1) added.font = { bold: true };
  }
  const total = t.addRow([
    '',
    '合计',
    y(trial.totals.openingDebit),
    y(trial.totals.openingCredit),
    y(trial.totals.debit),
    y(trial.totals.credit),
    y(trial.totals.closingDebit),
    y(trial.totals.closingCredit),
  ]);
  total.font = { bold: true };
  t.columns.forEach((column, index) => {
    column.width = index === 1 ? 28 : index === 0 ? 12 : 16;
    if (index >= 2) column.numFmt = MONEY;
  });

  const b = workbook.addWorksheet('资产负债表');
  heading(b, '资产负债表', subtitle, 6);
  header(b.addRow(['资产', '年初数', '期末数', '负债和所有者权益', '年初数', '期末数']));
  const rows = Math.max(sheet.assets.length, sheet.liabilitiesAndEquity.length);
  for (let i = 0; i < rows; i++) {
    const a = sheet.assets[i];
    const l = sheet.liabilitiesAndEquity[i];
    b.addRow([
      a?.label ?? '',
      a ? y(a.opening) : null,
      a ? y(a.closing) : null,
      l?.label ?? '',
      l ? y(l.opening) : null,
      l ? y(l.closing) : null,
    ]);
  }
  b.columns.forEach((column, index) => {
    column.width = index % 3 === 0 ? 24 : 16;
    if (index % 3 !== 0) column.numFmt = MONEY;
  });

  const s = workbook.addWorksheet('收益及收益分配表');
  heading(s, '收益及收益分配表', subtitle, 3);
  header(s.addRow(['项目', '本月数', '本年累计数']));
  for (const line of income.lines) {
    const added = s.addRow([line.label, y(line.month), y(line.ytd)]);
    if (line.isTotal) added.font = { bold: true };
  }
  s.columns.forEach((column, index) => {
    column.width = index === 0 ? 26 : 18;
    if (index > 0) column.numFmt = MONEY;
  });

  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  return { fileName: `reports-${period}.xlsx`, body };
}

const COLUMNS = { code: '科目编码', name: '科目名称', debit: '借方余额', credit: '贷方余额' } as const;

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'result' in value) return cellText(value.result);
  if (typeof value === 'object' && 'richText' in value)
    return value.richText.map((part) => part.text).join('');
  if (typeof value === 'object') return '';
  return String(value).trim();
}

/** A number cell as fen: integer arithmetic on its text, so 0.1 + 0.2 never becomes 0.30000000000000004. */
function cellFen(value: ExcelJS.CellValue): number | null {
  if (value === null || value === undefined || value === '') return 0;
  if (typeof value === 'number') {
    const fen = Math.round(value * 100);
    return Math.abs(value * 100 - fen) < 1e-6 ? fen : null;
  }
  const text = cellText(value);
  if (text === '') return 0;
  return parseYuan(text);
}

/**
 * Reads an opening-balance sheet and checks every row; with `commit`, applies it when no row is refused
 * and the rows balance (sub-accounts the chart lacks, under a leaf with no postings, are added).
 */
export async function importOpeningBalances(
  app: App,
  actor: Actor,
  bookId: string,
  file: Buffer,
  commit: boolean,
): Promise<OpeningImportReport> {
  const book = await loadKeptBook(app.db, actor, bookId);
  if (book.state !== 'setup') {
    throw errors.conflict('book_started', {
      zh: '账套已启用，期初余额不能再导入',
      en: 'The books are started: opening balances can no longer be imported',
    });
  }
  const workbook = await newWorkbook();
  try {
    await workbook.xlsx.load(file as unknown as ArrayBuffer);
  } catch {
    throw errors.unsupportedMedia({
      zh: '文件不是 Excel（.xlsx）表格',
      en: 'The file is not an Excel (.xlsx) workbook',
    });
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw errors.badRequest({ zh: '表格是空的', en: 'The workbook has no sheet' });
  const headers = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, column) => headers.set(cellText(cell.value), column));
  const missing = Object.values(COLUMNS).filter((name) => name !== COLUMNS.name && !headers.has(name));
  if (missing.length) {
    throw errors.unprocessable(
      'import_columns',
      {
        zh: `表格第 1 行缺少列：${missing.join('、')}（应有 科目编码、科目名称、借方余额、贷方余额）`,
        en: `Row 1 lacks the columns ${missing.join(', ')} (expected 科目编码, 科目名称, 借方余额, 贷方余额)`,
      },
      { missing, found: [...headers.keys()] },
    );
  }
  const accounts = await listAccounts(app.db, book.id);
  const byCode = new Map(accounts.filter((a) => a.state !== 'removed').map((a) => [a.code, a]));
  const rows: OpeningImportReport['rows'] = [];
  const refused: ImportIssue[] = [];
  const newAccounts = new Map<string, string>();
  const seen = new Set<string>();
  const refuse = (row: number, column: string | null, code: string, zh: string, en: string) =>
    refused.push({ row, column, code, message: { zh: `第 ${row} 行：${zh}`, en: `row ${row}: ${en}` } });
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const code = cellText(row.getCell(headers.get(COLUMNS.code)!).value);
    const name = headers.has(COLUMNS.name) ? cellText(row.getCell(headers.get(COLUMNS.name)!).value) : '';
    const debitCell = row.getCell(headers.get(COLUMNS.debit)!).value;
    const creditCell = row.getCell(headers.get(COLUMNS.credit)!).value;
    if (!code && !name && cellText(debitCell) === '' && cellText(creditCell) === '') continue;
    if (!/^\d{3}(\d{2}){0,3}$/.test(code)) {
      refuse(
        r,
        COLUMNS.code,
        'account_code',
        `科目编码“${code}”格式不对`,
        `“${code}” is not an account code`,
      );
      continue;
    }
    const debit = cellFen(debitCell);
    const credit = cellFen(creditCell);
    if (debit === null || debit < 0) {
      refuse(
        r,
        COLUMNS.debit,
        'amount',
        `借方余额“${cellText(debitCell)}”不是金额（最多两位小数）`,
        `debit “${cellText(debitCell)}” is not an amount`,
      );
      continue;
    }
    if (credit === null || credit < 0) {
      refuse(
        r,
        COLUMNS.credit,
        'amount',
        `贷方余额“${cellText(creditCell)}”不是金额（最多两位小数）`,
        `credit “${cellText(creditCell)}” is not an amount`,
      );
      continue;
    }
    if (debit > 0 && credit > 0) {
      refuse(
        r,
        COLUMNS.credit,
        'both_sides',
        '借方余额和贷方余额只能填一个',
        'give a debit or a credit balance, not both',
      );
      continue;
    }
    if (seen.has(code)) {
      refuse(r, COLUMNS.code, 'duplicate', `科目 ${code} 重复`, `${code} appears twice`);
      continue;
    }
    seen.add(code);
    let account = byCode.get(code);
    let createsAccount = false;
    if (!account) {
      const parent = byCode.get(parentCodeOf(code) ?? '');
      if (!parent || code.length === 3) {
        refuse(
          r,
          COLUMNS.code,
          'account_unknown',
          `科目 ${code} 不存在，其上级科目也不存在`,
          `no account ${code} nor its parent`,
        );
        continue;
      }
      if (!name) {
        refuse(
          r,
          COLUMNS.name,
          'name_required',
          `新的明细科目 ${code} 需要填写科目名称`,
          `the new sub-account ${code} needs a name`,
        );
        continue;
      }
      if (parent.is_used) {
        refuse(
          r,
          COLUMNS.code,
          'account_parent_used',
          `上级科目 ${parent.code} 已使用，不能再增加下级科目`,
          `${parent.code} is in use and takes no sub-accounts`,
        );
        continue;
      }
      createsAccount = true;
      newAccounts.set(code, name);
      account = { ...parent, code, name, parent_code: parent.code, is_standard: false };
    }
    rows.push({ row: r, accountCode: code, accountName: account.name, debit, credit, createsAccount });
  }
  // A balance on an account that (after the new sub-accounts) has sub-accounts is refused.
  const all = [
    ...accounts,
    ...[...newAccounts].map(([code, name]) => ({
      ...accounts[0]!,
      code,
      name,
      parent_code: parentCodeOf(code),
      state: 'active',
    })),
  ];
  const leaves = leafCodes(all);
  for (const row of rows) {
    if (!leaves.has(row.accountCode)) {
      refuse(
        row.row,
        COLUMNS.code,
        'account_not_leaf',
        `科目 ${row.accountCode} 有下级科目，余额请填到末级科目`,
        `${row.accountCode} has sub-accounts; put the balance on them`,
      );
    }
  }
  const good = rows.filter((row) => !refused.some((issue) => issue.row === row.row));
  const totals = {
    debit: good.reduce((sum, row) => sum + row.debit, 0),
    credit: good.reduce((sum, row) => sum + row.credit, 0),
  };
  const isBalanced = totals.debit === totals.credit;
  refused.sort((a, b) => a.row - b.row);
  let isCommitted = false;
  if (commit) {
    if (refused.length > 0) {
      throw errors.unprocessable(
        'import_refused_rows',
        {
          zh: `有 ${refused.length} 行未通过检查，请改正后再导入：${refused[0]!.message.zh}`,
          en: `${refused.length} rows were refused; correct them and import again: ${refused[0]!.message.en}`,
        },
        { refused },
      );
    }
    if (!isBalanced) {
      throw errors.unprocessable('opening_unbalanced', {
        zh: `期初余额借贷不平衡：借方 ${totals.debit / 100} 元，贷方 ${totals.credit / 100} 元`,
        en: `The opening balances do not balance: debit ${totals.debit / 100}, credit ${totals.credit / 100}`,
      });
    }
    const role = actingRole(actor, KEEP_ROLES, book);
    await inTransaction(app.db, async (trx) => {
      const created = [...newAccounts].map(([code, name]) => {
        const parent = byCode.get(parentCodeOf(code)!)!;
        return {
          id: crypto.randomUUID(),
          book_id: book.id,
          street_id: book.street_id,
          code,
          name,
          category: parent.category,
          direction: parent.direction,
          parent_code: parent.code,
          is_standard: false,
          state: 'active',
          version: 1,
        };
      });
      await insertAccounts(trx, created);
      for (const account of created) {
        await appendFinanceEntry(trx, {
          recordType: FINANCE_RECORD_TYPES.account,
          recordId: account.id,
          streetId: book.street_id,
          action: 'add',
          actorId: actor.userId,
          actorRole: role,
          changes: account,
          extra: { source: 'opening_import' },
        });
      }
      const balances: Record<string, number> = {};
      for (const row of good)
        if (row.debit - row.credit !== 0) balances[row.accountCode] = row.debit - row.credit;
      await writeOpeningBalancesIn(trx, actor, book.id, balances, {
        action: 'import_opening',
        extra: { rows: good.length },
      });
    });
    isCommitted = true;
  }
  return {
    isCommitted,
    rows,
    refused,
    totals,
    isBalanced,
    book: isCommitted
      ? presentBook(actor, (await findBook(app.db, book.id))!, await listAccounts(app.db, book.id))
      : null,
  };
}
