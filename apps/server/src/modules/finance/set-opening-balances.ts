import type { Book, SetOpeningBalances } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { leafCodes } from './ledger-math.ts';
import { checkVersion, loadKeptBook } from './load-book.ts';
import { actingRole, KEEP_ROLES } from './policy.ts';
import { presentBook } from './present.ts';
import { findBook, listAccounts, lockBook, updateBook, type AccountRow } from './repository.ts';

export interface OpeningRow {
  accountCode: string;
  debit: number;
  credit: number;
}

/**
 * Checks opening rows against the chart: each names a leaf account, has one side only, and no
 * account appears twice. Returns the balances as {code: signed fen, debit positive}; each failure
 * names its row (balances.N).
 */
export function openingMap(rows: OpeningRow[], accounts: AccountRow[]): Record<string, number> {
  const byCode = new Map(accounts.map((account) => [account.code, account]));
  const leaves = leafCodes(accounts);
  const out: Record<string, number> = {};
  rows.forEach((row, index) => {
    const where = { row: index + 1, field: `balances.${index}.accountCode`, accountCode: row.accountCode };
    const account = byCode.get(row.accountCode);
    if (!account || account.state === 'removed') {
      throw errors.unprocessable(
        'account_unknown',
        {
          zh: `第 ${index + 1} 行：科目 ${row.accountCode} 不存在`,
          en: `row ${index + 1}: no account ${row.accountCode}`,
        },
        where,
      );
    }
    if (!leaves.has(account.code)) {
      throw errors.unprocessable(
        'account_not_leaf',
        {
          zh: `第 ${index + 1} 行：科目 ${row.accountCode} ${account.name} 有下级科目，余额请填到末级科目`,
          en: `row ${index + 1}: ${row.accountCode} ${account.name} has sub-accounts; enter the balance on them`,
        },
        where,
      );
    }
    if (row.debit > 0 && row.credit > 0) {
      throw errors.unprocessable(
        'opening_both_sides',
        {
          zh: `第 ${index + 1} 行：借方余额和贷方余额只能填一个`,
          en: `row ${index + 1}: give a debit or a credit balance, not both`,
        },
        { ...where, field: `balances.${index}.credit` },
      );
    }
    if (account.code in out) {
      throw errors.unprocessable(
        'opening_duplicate',
        {
          zh: `第 ${index + 1} 行：科目 ${row.accountCode} 重复`,
          en: `row ${index + 1}: ${row.accountCode} appears twice`,
        },
        where,
      );
    }
    const amount = row.debit - row.credit;
    if (amount !== 0) out[account.code] = amount;
  });
  return out;
}

/** Writes a book's opening balances (the book still in setup), journaled; used by the import too. */
export async function writeOpeningBalances(
  db: Db,
  actor: Actor,
  bookId: string,
  balances: Record<string, number>,
  options: { expectedVersion?: number | undefined; action: string; extra?: Record<string, unknown> },
): Promise<void> {
  await inTransaction(db, (trx) => writeOpeningBalancesIn(trx, actor, bookId, balances, options));
}

/** The same, in the caller's transaction. */
export async function writeOpeningBalancesIn(
  trx: Db,
  actor: Actor,
  bookId: string,
  balances: Record<string, number>,
  options: { expectedVersion?: number | undefined; action: string; extra?: Record<string, unknown> },
): Promise<void> {
  {
    const book = (await lockBook(trx, bookId))!;
    checkVersion(book.version, options.expectedVersion);
    if (book.state !== 'setup') {
      throw errors.conflict('book_started', {
        zh: '账套已启用，期初余额不能再修改；更正请填制凭证',
        en: 'The books are started: opening balances are fixed; correct them with a voucher',
      });
    }
    const changes = { opening_balances: balances, version: book.version + 1 };
    await updateBook(trx, bookId, { ...changes, opening_balances: JSON.stringify(balances) });
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.book,
      recordId: bookId,
      streetId: book.street_id,
      action: options.action,
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes,
      extra: options.extra,
    });
  }
}

/** PUT opening balances: the whole set replaces the previous one. */
export async function setOpeningBalances(
  app: App,
  actor: Actor,
  bookId: string,
  input: SetOpeningBalances,
): Promise<Book> {
  const book = await loadKeptBook(app.db, actor, bookId);
  const accounts = await listAccounts(app.db, book.id);
  const balances = openingMap(input.balances, accounts);
  await writeOpeningBalances(app.db, actor, book.id, balances, {
    expectedVersion: input.expectedVersion,
    action: 'set_opening',
  });
  return presentBook(actor, (await findBook(app.db, book.id))!, accounts);
}
