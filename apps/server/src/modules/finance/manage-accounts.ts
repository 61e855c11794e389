import type { Account } from '@minqing/contract';
import type { z } from 'zod';
import type { ZCreateAccount, ZUpdateAccount } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { parentCodeOf } from './chart.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { leafCodes } from './ledger-math.ts';
import { loadKeptBook, loadReadableBook } from './load-book.ts';
import { actingRole, KEEP_ROLES } from './policy.ts';
import { presentAccount } from './present.ts';
import { insertAccounts, listAccounts, lockAccount, updateAccount, type BookWithUnit } from './repository.ts';

/**
 * The chart of one book: the standard's accounts plus the village's sub-accounts (明细科目). An account
 * once used (a posting, an opening balance) is never removed and keeps its name; it may be deactivated
 * (停用), which refuses new postings. Every change is journaled on the account's chain.
 */

const ACCOUNT = { zh: '会计科目', en: 'Account' };

export async function listBookAccounts(
  app: App,
  actor: Actor | null,
  bookId: string,
): Promise<{ items: Account[] }> {
  const book = await loadReadableBook(app.db, actor, bookId);
  const rows = await listAccounts(app.db, book.id);
  const leaves = leafCodes(rows);
  return {
    items: rows
      .filter((row) => row.state !== 'removed')
      .map((row) => presentAccount(actor, book, row, leaves)),
  };
}

async function present(app: App, actor: Actor, book: BookWithUnit, code: string): Promise<Account> {
  const rows = await listAccounts(app.db, book.id);
  return presentAccount(
    actor,
    book,
    rows.find((row) => row.code === code)!,
    leafCodes(rows),
  );
}

/** Adds a sub-account under an account that has no balance or postings of its own yet. */
export async function addAccount(
  app: App,
  actor: Actor,
  bookId: string,
  input: z.infer<typeof ZCreateAccount>,
): Promise<Account> {
  const book = await loadKeptBook(app.db, actor, bookId);
  if (parentCodeOf(input.code) !== input.parentCode) {
    throw errors.unprocessable(
      'account_code_shape',
      {
        zh: `下级科目编码应为上级编码 ${input.parentCode} 加两位数字`,
        en: `a sub-account's code is its parent's (${input.parentCode}) plus two digits`,
      },
      { field: 'code' },
    );
  }
  await inTransaction(app.db, async (trx) => {
    const parent = await lockAccount(trx, book.id, input.parentCode);
    if (!parent || parent.state === 'removed')
      throw errors.notFound({ zh: '上级科目', en: 'Parent account' });
    const rows = await listAccounts(trx, book.id);
    const hasChildren = rows.some((row) => row.parent_code === parent.code && row.state !== 'removed');
    const opening = book.opening_balances as Record<string, number>;
    if ((parent.is_used || parent.code in opening) && !hasChildren) {
      throw errors.conflict('account_parent_used', {
        zh: `科目 ${parent.code} ${parent.name} 已有余额或凭证，不能再增加下级科目`,
        en: `${parent.code} ${parent.name} already has a balance or postings; it cannot take sub-accounts now`,
      });
    }
    const existing = await lockAccount(trx, book.id, input.code);
    const role = actingRole(actor, KEEP_ROLES, book);
    if (existing && existing.state !== 'removed') {
      throw errors.conflict('account_exists', {
        zh: `科目编码 ${input.code} 已被“${existing.name}”使用`,
        en: `the code ${input.code} is taken by “${existing.name}”`,
      });
    }
    if (existing) {
      // A code removed before it was used comes back as the same record, with its own chain.
      const changes = { name: input.name, state: 'active', version: existing.version + 1 };
      await updateAccount(trx, existing.id, changes);
      await appendFinanceEntry(trx, {
        recordType: FINANCE_RECORD_TYPES.account,
        recordId: existing.id,
        streetId: book.street_id,
        action: 'restore',
        actorId: actor.userId,
        actorRole: role,
        changes,
      });
      return;
    }
    const row = {
      id: crypto.randomUUID(),
      book_id: book.id,
      street_id: book.street_id,
      code: input.code,
      name: input.name,
      category: parent.category,
      direction: parent.direction,
      parent_code: parent.code,
      is_standard: false,
      state: 'active',
      version: 1,
    };
    await insertAccounts(trx, [row]);
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.account,
      recordId: row.id,
      streetId: book.street_id,
      action: 'add',
      actorId: actor.userId,
      actorRole: role,
      changes: row,
    });
  });
  return present(app, actor, book, input.code);
}

/** Renames an unused account, or (de)activates any account. */
export async function changeAccount(
  app: App,
  actor: Actor,
  bookId: string,
  code: string,
  input: z.infer<typeof ZUpdateAccount>,
): Promise<Account> {
  const book = await loadKeptBook(app.db, actor, bookId);
  await inTransaction(app.db, async (trx) => {
    const account = await lockAccount(trx, book.id, code);
    if (!account || account.state === 'removed') throw errors.notFound(ACCOUNT);
    if (input.name !== undefined && input.name !== account.name && account.is_used) {
      throw errors.conflict('account_used', {
        zh: `科目 ${account.code} ${account.name} 已经使用，不能改名（可停用后另设科目）`,
        en: `${account.code} ${account.name} is in use and keeps its name (deactivate it and add another)`,
      });
    }
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.state !== undefined ? { state: input.state } : {}),
      version: account.version + 1,
    };
    await updateAccount(trx, account.id, changes);
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.account,
      recordId: account.id,
      streetId: book.street_id,
      action: input.state === 'inactive' ? 'deactivate' : input.state === 'active' ? 'activate' : 'rename',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes,
    });
  });
  return present(app, actor, book, code);
}

/** Removes an account that was never used and has no sub-accounts. */
export async function removeAccount(app: App, actor: Actor, bookId: string, code: string): Promise<void> {
  const book = await loadKeptBook(app.db, actor, bookId);
  await inTransaction(app.db, async (trx) => {
    const account = await lockAccount(trx, book.id, code);
    if (!account || account.state === 'removed') throw errors.notFound(ACCOUNT);
    if (account.is_used || account.code in (book.opening_balances as Record<string, number>)) {
      throw errors.conflict('account_used', {
        zh: `科目 ${account.code} ${account.name} 已经使用，不能删除（可以停用）`,
        en: `${account.code} ${account.name} has been used and is never removed (deactivate it instead)`,
      });
    }
    const rows = await listAccounts(trx, book.id);
    if (rows.some((row) => row.parent_code === account.code && row.state !== 'removed')) {
      throw errors.conflict('account_has_children', {
        zh: `科目 ${account.code} 还有下级科目，请先删除下级科目`,
        en: `${account.code} has sub-accounts; remove them first`,
      });
    }
    const changes = { state: 'removed', version: account.version + 1 };
    await updateAccount(trx, account.id, changes);
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.account,
      recordId: account.id,
      streetId: book.street_id,
      action: 'remove',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes,
    });
  });
}
