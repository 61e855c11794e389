import type { OverdueRentList, OverdueRentSummary, PublicContract } from '@minqing/contract';
import type { App } from '../../../app.ts';
import type { Db } from '../../../db/database.ts';
import { errors } from '../../../errors.ts';
import type { Actor } from '../../../policy/index.ts';
import { findUnit } from '../../areas/repository.ts';
import { loadReadableBook } from '../load-book.ts';
import { canSeePersonalData } from '../policy.ts';
import { findBook, type BookWithUnit } from '../repository.ts';
import { presentContracts } from './contracts.ts';
import { presentResource, resourcesWithContracts } from './resources.ts';
import { addDays, chinaToday, daysBetween, ENDING_SOON_DAYS, presentHolder } from './holder.ts';
import { contractsEnding, listContracts, overdueInstalments } from './repository.ts';

/**
 * 欠租预警: an instalment of an active contract is overdue from the day after it falls due until it is
 * paid in full. The bookkeeper's list names the holder in full; the villagers' page and the big screen
 * see the holder masked (张*) or only counts and amounts.
 */
async function alertsOf(
  app: App,
  book: BookWithUnit,
  asOf: string,
  isFull: boolean,
): Promise<OverdueRentList> {
  const rows = await overdueInstalments(app.db, { bookId: book.id }, asOf);
  const ending = await contractsEnding(app.db, book.id, asOf, addDays(asOf, ENDING_SOON_DAYS));
  return {
    asOf,
    items: rows.map((row) => ({
      contractId: row.contract_id,
      contractCode: row.code,
      title: row.title,
      holderName: presentHolder(
        app.fieldCipher,
        { ...row, counterparty_id_enc: null, counterparty_phone_enc: null },
        isFull,
      ).name,
      instalmentId: row.instalment_id,
      dueDate: row.due_date,
      amount: Number(row.amount),
      paidAmount: Number(row.paid_amount),
      overdueDays: daysBetween(row.due_date, asOf),
    })),
    amount: rows.reduce((sum, row) => sum + Number(row.amount) - Number(row.paid_amount), 0),
    endingSoon: ending.map((row) => ({
      contractId: row.id,
      contractCode: row.code,
      title: row.title,
      holderName: presentHolder(app.fieldCipher, row, isFull).name,
      endDate: row.end_date,
      daysLeft: daysBetween(asOf, row.end_date),
    })),
  };
}

export async function bookAlerts(
  app: App,
  actor: Actor,
  bookId: string,
  asOf?: string,
): Promise<OverdueRentList> {
  const book = await loadReadableBook(app.db, actor, bookId);
  return alertsOf(app, book, asOf ?? chinaToday(), canSeePersonalData(actor, book));
}

const BOOK = { zh: '账套', en: 'Set of books' };

/** A book villagers may read (as `/api/public/books/:id`: a started book). */
async function publicBookRow(db: Db, bookId: string): Promise<BookWithUnit> {
  const book = await findBook(db, bookId);
  if (!book || book.state !== 'active') throw errors.notFound(BOOK);
  return book;
}

export async function publicAlerts(app: App, bookId: string, asOf?: string): Promise<OverdueRentList> {
  return alertsOf(app, await publicBookRow(app.db, bookId), asOf ?? chinaToday(), false);
}

/** The resource register as villagers see it: no certificate numbers, holders masked. */
export async function publicResources(app: App, bookId: string) {
  const book = await publicBookRow(app.db, bookId);
  return {
    items: (await resourcesWithContracts(app.db, book.id)).map(({ row, contract }) => {
      const {
        version: _version,
        allowedActions: _actions,
        certificateNo: _certificate,
        ...rest
      } = presentResource(app, row, contract, { isFull: false, canEdit: false });
      return rest;
    }),
  };
}

/** The contracts as villagers see them: holder masked, amounts, term, what is paid and overdue. */
export async function publicContracts(
  app: App,
  bookId: string,
  asOf?: string,
): Promise<{ items: PublicContract[] }> {
  const book = await publicBookRow(app.db, bookId);
  const contracts = await presentContracts(app, await listContracts(app.db, book.id), {
    isFull: false,
    canEdit: false,
    asOf: asOf ?? chinaToday(),
  });
  return {
    items: contracts.map((contract) => {
      const next = contract.schedule.find((entry) => entry.paidAmount < entry.amount && !entry.isOverdue);
      return {
        id: contract.id,
        code: contract.code,
        title: contract.title,
        holderName: contract.counterpartyName,
        subject: contract.resource?.name ?? contract.asset?.name ?? null,
        startDate: contract.startDate,
        endDate: contract.endDate,
        totalRent: contract.totalRent,
        paidTotal: contract.paidTotal,
        overdueAmount: contract.overdueAmount,
        annualRent: contract.annualRent,
        overdueInstalments: contract.schedule.filter((entry) => entry.isOverdue).length,
        isEndingSoon: contract.isEndingSoon,
        nextDue: next ? { dueDate: next.dueDate, amount: next.amount - next.paidAmount } : null,
        state: contract.state,
      };
    }),
  };
}

/** Overdue rent under an area for the big screen: counts and amounts per book, no names at all. */
export async function overdueRentSummary(
  app: App,
  query: { unitId?: string | undefined; asOf?: string | undefined },
): Promise<OverdueRentSummary> {
  let path = '';
  if (query.unitId) {
    const unit = await findUnit(app.db, query.unitId);
    if (!unit) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
    path = unit.path;
  }
  const asOf = query.asOf ?? chinaToday();
  const rows = await overdueInstalments(app.db, { unitPath: path }, asOf);
  const perBook = new Map<string, { instalments: number; amount: number }>();
  for (const row of rows) {
    const entry = perBook.get(row.book_id) ?? { instalments: 0, amount: 0 };
    entry.instalments++;
    entry.amount += Number(row.amount) - Number(row.paid_amount);
    perBook.set(row.book_id, entry);
  }
  const books = [];
  for (const [bookId, figures] of perBook) {
    const book = await findBook(app.db, bookId);
    if (!book) continue;
    books.push({ bookId, name: book.name, unitId: book.unit_id, unitName: book.unit_name, ...figures });
  }
  return {
    asOf,
    instalments: rows.length,
    contracts: new Set(rows.map((row) => row.contract_id)).size,
    amount: rows.reduce((sum, row) => sum + Number(row.amount) - Number(row.paid_amount), 0),
    books: books.sort((a, b) => b.amount - a.amount),
  };
}
