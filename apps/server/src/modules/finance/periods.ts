import type { PeriodInfo } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { loadKeptBook, loadReadableBook, requireActiveBook } from './load-book.ts';
import { actingRole, canKeepBooks, KEEP_ROLES } from './policy.ts';
import {
  chinaToday,
  countPendingVouchers,
  ensurePeriod,
  laterClosedPeriod,
  lockBook,
  lockPeriod,
  periodStates,
  periodTotals,
  updatePeriod,
  voucherCountsByPeriod,
  type BookWithUnit,
} from './repository.ts';

/**
 * Accounting months (会计期间). A month is closed (结账) in order, once nothing in it waits for posting;
 * it can be reopened (反结账) while it is not sealed and no later month is closed. Sealing a disclosure
 * seals its months for good (DESIGN.md: after that the period never changes).
 */

export function nextPeriod(period: string): string {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

export function previousPeriod(period: string): string {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, inclusive. */
export function periodsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let period = from; period <= to; period = nextPeriod(period)) out.push(period);
  return out;
}

function periodActions(
  actor: Actor | null,
  book: BookWithUnit,
  state: string,
  period: string,
  all: Map<string, string>,
): string[] {
  if (!canKeepBooks(actor, book) || book.state !== 'active') return [];
  const previous = all.get(previousPeriod(period));
  const next = all.get(nextPeriod(period));
  if (state === 'open' && (period === book.start_month || previous === 'closed' || previous === 'sealed'))
    return ['close'];
  if (state === 'closed' && next !== 'closed' && next !== 'sealed') return ['reopen'];
  return [];
}

/** Every month of the books up to this month (or the last month with vouchers), newest first. */
export async function listPeriods(
  app: App,
  actor: Actor | null,
  bookId: string,
): Promise<{ items: PeriodInfo[] }> {
  const book = await loadReadableBook(app.db, actor, bookId);
  const rows = await periodStates(app.db, book.id);
  const counts = new Map((await voucherCountsByPeriod(app.db, book.id)).map((row) => [row.period, row]));
  const totals = await periodTotals(app.db, book.id);
  const sums = new Map(totals.map((row) => [row.period, row]));
  const today = (await chinaToday(app.db)).slice(0, 7);
  const last = [today, ...rows.map((row) => row.period), ...counts.keys()].sort().at(-1)!;
  const states = new Map(rows.map((row) => [row.period, row.state]));
  const byPeriod = new Map(rows.map((row) => [row.period, row]));
  const items = periodsBetween(book.start_month, last < book.start_month ? book.start_month : last)
    .reverse()
    .map((period) => {
      const row = byPeriod.get(period);
      const state = row?.state ?? 'open';
      return {
        period,
        state: state as PeriodInfo['state'],
        postedCount: Number(counts.get(period)?.posted ?? 0),
        pendingCount: Number(counts.get(period)?.pending ?? 0),
        debit: Number(sums.get(period)?.debit ?? 0),
        credit: Number(sums.get(period)?.credit ?? 0),
        closedAt: row?.closed_at?.toISOString() ?? null,
        disclosureId: row?.disclosure_id ?? null,
        allowedActions: periodActions(actor, book, state, period, states),
      };
    });
  return { items };
}

/** 结账: closes a month; the month before must be closed and nothing in this one may wait. */
export async function closePeriod(app: App, actor: Actor, bookId: string, period: string): Promise<void> {
  const book = await loadKeptBook(app.db, actor, bookId);
  requireActiveBook(book);
  if (period < book.start_month) {
    throw errors.unprocessable('date_before_books', {
      zh: `${period} 早于账套启用期间 ${book.start_month}`,
      en: `${period} is before the books start (${book.start_month})`,
    });
  }
  await inTransaction(app.db, async (trx) => {
    await lockBook(trx, book.id);
    await ensurePeriod(trx, book.id, book.street_id, period);
    const row = (await lockPeriod(trx, book.id, period))!;
    if (row.state !== 'open') {
      throw errors.conflict(
        'period_not_open',
        {
          zh: `${period} 已经结账${row.state === 'sealed' ? '并封存' : ''}`,
          en: `${period} is already ${row.state}`,
        },
        { currentState: row.state },
      );
    }
    if (period > book.start_month) {
      const previous = previousPeriod(period);
      const before = await lockPeriod(trx, book.id, previous);
      if (!before || before.state === 'open') {
        throw errors.conflict(
          'previous_period_open',
          { zh: `请先结账 ${previous}`, en: `Close ${previous} first` },
          { period: previous },
        );
      }
    }
    const pending = await countPendingVouchers(trx, book.id, period);
    if (pending > 0) {
      throw errors.conflict(
        'period_has_pending',
        {
          zh: `${period} 还有 ${pending} 张凭证未入账（草稿或待审），请先入账或作废`,
          en: `${period} still has ${pending} vouchers not posted (drafts or awaiting approval); post or discard them first`,
        },
        { pending },
      );
    }
    const now = new Date();
    await updatePeriod(trx, book.id, period, { state: 'closed', closed_by: actor.userId, closed_at: now });
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.book,
      recordId: book.id,
      streetId: book.street_id,
      action: 'close_period',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes: {},
      extra: { period, postedCount: row.last_number },
      at: now,
    });
  });
}

/** 反结账: reopens a closed (not sealed) month when no later month is closed. */
export async function reopenPeriod(app: App, actor: Actor, bookId: string, period: string): Promise<void> {
  const book = await loadKeptBook(app.db, actor, bookId);
  await inTransaction(app.db, async (trx) => {
    await lockBook(trx, book.id);
    const row = await lockPeriod(trx, book.id, period);
    if (!row || row.state !== 'closed') {
      throw errors.conflict(
        row?.state === 'sealed' ? 'period_sealed' : 'period_not_closed',
        row?.state === 'sealed'
          ? { zh: `${period} 已公开封存，不能反结账`, en: `${period} is sealed and never reopened` }
          : { zh: `${period} 没有结账`, en: `${period} is not closed` },
        { currentState: row?.state ?? 'open' },
      );
    }
    const later = await laterClosedPeriod(trx, book.id, period);
    if (later) {
      throw errors.conflict(
        'later_period_closed',
        { zh: `请先反结账 ${later.period}`, en: `Reopen ${later.period} first` },
        { period: later.period },
      );
    }
    await updatePeriod(trx, book.id, period, { state: 'open', closed_by: null, closed_at: null });
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.book,
      recordId: book.id,
      streetId: book.street_id,
      action: 'reopen_period',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes: {},
      extra: { period },
    });
  });
}
