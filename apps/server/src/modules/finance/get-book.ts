import type { Book } from '@minqing/contract';
import type { App } from '../../app.ts';
import { scopePaths, type Actor } from '../../policy/index.ts';
import { loadReadableBook } from './load-book.ts';
import { APPROVE_ROLES, KEEP_ROLES, REVIEW_ROLES } from './policy.ts';
import { presentBook } from './present.ts';
import { listAccounts, listBooksUnder } from './repository.ts';

/** A book with its opening balances and what the caller may do with it. */
export async function getBook(app: App, actor: Actor | null, bookId: string): Promise<Book> {
  const book = await loadReadableBook(app.db, actor, bookId);
  return presentBook(actor, book, await listAccounts(app.db, book.id));
}

/** The books the caller keeps, approves or reviews. */
export async function listBooks(app: App, actor: Actor): Promise<{ items: Book[] }> {
  const books = await listBooksUnder(
    app.db,
    scopePaths(actor, [...KEEP_ROLES, ...APPROVE_ROLES, ...REVIEW_ROLES]),
  );
  const items: Book[] = [];
  for (const book of books) items.push(presentBook(actor, book, await listAccounts(app.db, book.id)));
  return { items };
}
