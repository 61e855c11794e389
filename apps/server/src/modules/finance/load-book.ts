import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { canKeepBooks, cannotSee, canReadBook } from './policy.ts';
import { findBook, type BookWithUnit } from './repository.ts';

const BOOK = { zh: '账套', en: 'Set of books' };

/** The book, if the caller may read it (404 for the public and residents, 403 for other staff). */
export async function loadReadableBook(db: Db, actor: Actor | null, bookId: string): Promise<BookWithUnit> {
  const book = await findBook(db, bookId);
  if (!book) throw errors.notFound(BOOK);
  if (!canReadBook(actor, book)) throw cannotSee(actor, BOOK);
  return book;
}

/** The book, if the caller keeps it (the bookkeeper). */
export async function loadKeptBook(db: Db, actor: Actor | null, bookId: string): Promise<BookWithUnit> {
  const book = await loadReadableBook(db, actor, bookId);
  if (!canKeepBooks(actor, book)) throw errors.forbidden({ need: 'bookkeeper' });
  return book;
}

/** Refuses work that needs the book started (opening balances fixed). */
export function requireActiveBook(book: { state: string }): void {
  if (book.state !== 'active') {
    throw errors.conflict('book_not_started', {
      zh: '账套尚未启用：请先录入期初余额并启用账套',
      en: 'The books are not started yet: enter the opening balances and start them first',
    });
  }
}

export function checkVersion(current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) throw errors.staleVersion(current);
}
