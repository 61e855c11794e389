import type { Fund, ZCreateFund, ZUpdateFund } from '@minqing/contract';
import type { z } from 'zod';
import type { App } from '../../../app.ts';
import type { Db } from '../../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../../db/transaction.ts';
import { errors } from '../../../errors.ts';
import type { Actor } from '../../../policy/index.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from '../finance-journal.ts';
import { checkVersion, loadKeptBook, loadReadableBook } from '../load-book.ts';
import { actingRole, canKeepBooks, cannotSee, canReadBook, KEEP_ROLES } from '../policy.ts';
import { findBook, listAccounts, type BookWithUnit } from '../repository.ts';

/**
 * 资金 register (docs/decisions/0711): each cash box and bank account is tied to a ledger account under
 * 101 库存现金 or 102 银行存款; its balance is read from the books (opening balance plus posted
 * vouchers up to the statement date), and the bank statement's balance the bookkeeper enters is set
 * beside it with the difference.
 */

const FUND = { zh: '资金账户', en: 'Fund account' };
type FundRow = {
  id: string;
  book_id: string;
  street_id: string;
  kind: string;
  name: string;
  bank_name: string | null;
  account_no: string | null;
  account_code: string;
  statement_balance: number | null;
  statement_date: string | null;
  is_active: boolean;
  version: number;
};

/** A bank account number shown with its middle hidden: 6228 **** 1234. */
export function maskAccountNo(accountNo: string | null): string | null {
  if (!accountNo) return null;
  const digits = accountNo.replace(/\D/g, '');
  if (digits.length <= 4) return `****${digits}`;
  if (digits.length <= 8) return `****${digits.slice(-4)}`;
  return `${digits.slice(0, 4)} **** ${digits.slice(-4)}`;
}

/** The signed (debit positive) balance under `code` from the opening balances and posted vouchers to `date`. */
export async function ledgerBalanceUnder(
  db: Db,
  book: BookWithUnit,
  code: string,
  date: string | null,
): Promise<number> {
  let opening = 0;
  for (const [account, amount] of Object.entries(book.opening_balances as Record<string, number>)) {
    if (account.startsWith(code)) opening += amount;
  }
  let query = db
    .selectFrom('finance_postings')
    .select((eb) => [eb.fn.sum<number>('debit').as('debit'), eb.fn.sum<number>('credit').as('credit')])
    .where('book_id', '=', book.id)
    .where('account_code', 'like', `${code}%`);
  if (date) query = query.where('voucher_date', '<=', date);
  const row = await query.executeTakeFirst();
  return opening + Number(row?.debit ?? 0) - Number(row?.credit ?? 0);
}

async function presentFund(db: Db, actor: Actor | null, book: BookWithUnit, row: FundRow): Promise<Fund> {
  const names = new Map((await listAccounts(db, book.id)).map((account) => [account.code, account.name]));
  const ledgerBalance = await ledgerBalanceUnder(db, book, row.account_code, row.statement_date);
  const difference = row.statement_balance === null ? null : row.statement_balance - ledgerBalance;
  return {
    id: row.id,
    kind: row.kind as Fund['kind'],
    name: row.name,
    bankName: row.bank_name,
    accountNo: maskAccountNo(row.account_no),
    accountCode: row.account_code,
    accountName: names.get(row.account_code) ?? row.account_code,
    ledgerBalance,
    statementBalance: row.statement_balance,
    statementDate: row.statement_date,
    difference,
    isReconciled: difference === null ? null : difference === 0,
    isActive: row.is_active,
    version: row.version,
    allowedActions: canKeepBooks(actor, book) ? ['edit'] : [],
  };
}

export async function listFunds(app: App, actor: Actor, bookId: string) {
  const book = await loadReadableBook(app.db, actor, bookId);
  const rows = await app.db
    .selectFrom('finance_funds')
    .selectAll()
    .where('book_id', '=', book.id)
    .orderBy('kind')
    .orderBy('account_code')
    .execute();
  const items: Fund[] = [];
  for (const row of rows) items.push(await presentFund(app.db, actor, book, row));
  const ledgerTotal =
    (await ledgerBalanceUnder(app.db, book, '101', null)) +
    (await ledgerBalanceUnder(app.db, book, '102', null));
  return { items, ledgerTotal };
}

async function checkFundAccount(db: Db, book: BookWithUnit, kind: 'cash' | 'bank', code: string) {
  const parent = kind === 'cash' ? '101' : '102';
  const account = (await listAccounts(db, book.id)).find((a) => a.code === code && a.state !== 'removed');
  if (!code.startsWith(parent)) {
    throw errors.unprocessable(
      'fund_account_wrong',
      {
        zh:
          kind === 'cash'
            ? `现金账户应对应 101 库存现金或其明细科目，${code} 不是`
            : `银行账户应对应 102 银行存款或其明细科目，${code} 不是`,
        en: `a ${kind} account is tied to ${parent} or one of its sub-accounts, not ${code}`,
      },
      { field: 'accountCode' },
    );
  }
  if (!account) {
    throw errors.unprocessable(
      'account_unknown',
      {
        zh: `科目 ${code} 不存在，请先在科目表中添加`,
        en: `there is no account ${code}; add it to the chart first`,
      },
      { field: 'accountCode' },
    );
  }
}

export async function createFund(
  app: App,
  actor: Actor,
  bookId: string,
  input: z.infer<typeof ZCreateFund>,
): Promise<Fund> {
  const book = await loadKeptBook(app.db, actor, bookId);
  await checkFundAccount(app.db, book, input.kind, input.accountCode);
  if (input.kind === 'bank' && !input.bankName) {
    throw errors.unprocessable(
      'bank_name_required',
      { zh: '银行账户请填写开户银行', en: 'a bank account needs the bank’s name' },
      { field: 'bankName' },
    );
  }
  const now = new Date();
  const row = {
    id: crypto.randomUUID(),
    book_id: book.id,
    street_id: book.street_id,
    kind: input.kind,
    name: input.name,
    bank_name: input.kind === 'bank' ? (input.bankName ?? null) : null,
    account_no: input.kind === 'bank' ? (input.accountNo?.replace(/\D/g, '') ?? null) : null,
    account_code: input.accountCode,
    statement_balance: null,
    statement_date: null,
    is_active: true,
    version: 1,
  };
  try {
    await inTransaction(app.db, async (trx) => {
      await trx
        .insertInto('finance_funds')
        .values({ ...row, created_at: now, updated_at: now })
        .execute();
      await appendFinanceEntry(trx, {
        recordType: FINANCE_RECORD_TYPES.fund,
        recordId: row.id,
        streetId: book.street_id,
        action: 'create',
        actorId: actor.userId,
        actorRole: actingRole(actor, KEEP_ROLES, book),
        changes: row,
        at: now,
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw errors.conflict(
        'fund_exists',
        {
          zh: `科目 ${input.accountCode} 已登记为资金账户`,
          en: `account ${input.accountCode} already has a fund account`,
        },
        { field: 'accountCode' },
      );
    }
    throw error;
  }
  return presentFund(app.db, actor, book, row);
}

export async function updateFund(
  app: App,
  actor: Actor,
  id: string,
  input: z.infer<typeof ZUpdateFund>,
): Promise<Fund> {
  const { book, row } = await inTransaction(app.db, async (trx) => {
    const current = await trx
      .selectFrom('finance_funds')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!current) throw errors.notFound(FUND);
    const book = (await findBook(trx, current.book_id))!;
    if (!canReadBook(actor, book)) throw cannotSee(actor, FUND);
    if (!canKeepBooks(actor, book)) throw errors.forbidden({ need: 'bookkeeper' });
    checkVersion(current.version, input.expectedVersion);
    const changes: Record<string, unknown> = {};
    if (input.name !== undefined) changes.name = input.name;
    if (input.isActive !== undefined) changes.is_active = input.isActive;
    if (input.statementBalance !== undefined) changes.statement_balance = input.statementBalance;
    if (input.statementDate !== undefined) changes.statement_date = input.statementDate;
    const balance =
      changes.statement_balance ?? (input.statementBalance === null ? null : current.statement_balance);
    const date = changes.statement_date ?? (input.statementDate === null ? null : current.statement_date);
    if ((balance === null) !== (date === null)) {
      throw errors.unprocessable(
        'statement_incomplete',
        {
          zh: '对账单余额和对账日期须同时填写',
          en: 'the statement balance and the statement date go together',
        },
        { field: balance === null ? 'statementBalance' : 'statementDate' },
      );
    }
    if (typeof date === 'string' && date.slice(0, 7) < book.start_month) {
      throw errors.unprocessable(
        'date_before_books',
        { zh: `对账日期早于账套启用期间 ${book.start_month}`, en: `the date is before the books start` },
        { field: 'statementDate' },
      );
    }
    const now = new Date();
    const next = { ...changes, version: current.version + 1 };
    await trx
      .updateTable('finance_funds')
      .set({ ...next, updated_at: now })
      .where('id', '=', id)
      .execute();
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.fund,
      recordId: id,
      streetId: current.street_id,
      action: 'update',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes: next,
      at: now,
    });
    return { book, row: { ...current, ...next } };
  });
  return presentFund(app.db, actor, book, row);
}
