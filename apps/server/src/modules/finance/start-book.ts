import type { Book } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { sides, yuan } from './ledger-math.ts';
import { checkVersion, loadKeptBook } from './load-book.ts';
import { actingRole, KEEP_ROLES } from './policy.ts';
import { presentBook } from './present.ts';
import {
  ensurePeriod,
  findBook,
  listAccounts,
  lockBook,
  markAccountsUsed,
  updateBook,
} from './repository.ts';

/**
 * Starts the books (启用): the opening balances must balance; from now on they are fixed (a correction
 * is a voucher), and vouchers may be posted from the start month on.
 */
export async function startBook(
  app: App,
  actor: Actor,
  bookId: string,
  expectedVersion: number | undefined,
): Promise<Book> {
  await loadKeptBook(app.db, actor, bookId);
  await inTransaction(app.db, async (trx) => {
    const book = (await lockBook(trx, bookId))!;
    checkVersion(book.version, expectedVersion);
    if (book.state !== 'setup') {
      throw errors.conflict('book_started', { zh: '账套已启用', en: 'The books are already started' });
    }
    const balances = book.opening_balances as Record<string, number>;
    let debit = 0;
    let credit = 0;
    for (const amount of Object.values(balances)) {
      const side = sides(amount);
      debit += side.debit;
      credit += side.credit;
    }
    if (debit !== credit) {
      throw errors.unprocessable(
        'opening_unbalanced',
        {
          zh: `期初余额借贷不平衡：借方 ${yuan(debit)} 元，贷方 ${yuan(credit)} 元`,
          en: `Opening balances do not balance: debit ${yuan(debit)}, credit ${yuan(credit)} yuan`,
        },
        { debit, credit, difference: debit - credit },
      );
    }
    const startedAt = new Date();
    const changes = { state: 'active', started_at: startedAt, version: book.version + 1 };
    await updateBook(trx, bookId, changes);
    await markAccountsUsed(trx, bookId, Object.keys(balances));
    await ensurePeriod(trx, bookId, book.street_id, book.start_month);
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.book,
      recordId: bookId,
      streetId: book.street_id,
      action: 'start',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes,
      at: startedAt,
    });
  });
  const book = (await findBook(app.db, bookId))!;
  return presentBook(actor, book, await listAccounts(app.db, bookId));
}
