import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { checkVoucherLines, type StoredLine } from './ledger-math.ts';
import {
  addBalances,
  ensurePeriod,
  insertPostings,
  listAccounts,
  lockPeriod,
  markAccountsUsed,
  updatePeriod,
  updateVoucher,
  type VoucherRow,
} from './repository.ts';

/**
 * 入账: gives the voucher the next number of its month and adds its lines to the ledger, in the
 * caller's transaction (which holds the voucher's row lock). The month's row is locked for the
 * numbering, so concurrent postings take turns and the numbers run 1..n without gaps; the balances
 * are added atomically per account and month, so they always equal the sum of the postings.
 */
export async function postLockedVoucher(
  trx: Db,
  row: VoucherRow,
  actor: { userId: string; role: string | null },
  at = new Date(),
): Promise<number> {
  await ensurePeriod(trx, row.book_id, row.street_id, row.period);
  const period = (await lockPeriod(trx, row.book_id, row.period))!;
  if (period.state !== 'open') {
    throw errors.conflict(
      'period_closed',
      {
        zh: `${row.period} 已结账或已封存，不能入账`,
        en: `${row.period} is closed or sealed; nothing more is posted to it`,
      },
      { period: row.period, periodState: period.state },
    );
  }
  const lines = row.lines as unknown as StoredLine[];
  // The chart may have changed since the draft (an account deactivated): check again at posting.
  checkVoucherLines(
    lines.map((line) => ({
      accountCode: line.account,
      summary: line.summary,
      debit: line.debit,
      credit: line.credit,
    })),
    await listAccounts(trx, row.book_id),
  );
  const number = period.last_number + 1;
  await updatePeriod(trx, row.book_id, row.period, { last_number: number });
  const changes = {
    state: 'posted',
    number,
    posted_by: actor.userId,
    posted_at: at,
    version: row.version + 1,
  };
  await updateVoucher(trx, row.id, { ...changes, updated_at: at });
  await insertPostings(
    trx,
    lines.map((line, index) => ({
      voucher_id: row.id,
      line_no: index + 1,
      book_id: row.book_id,
      street_id: row.street_id,
      period: row.period,
      number,
      voucher_date: row.voucher_date,
      voucher_kind: row.kind,
      account_code: line.account,
      summary: line.summary,
      debit: line.debit,
      credit: line.credit,
    })),
  );
  const isClosing = row.kind === 'closing';
  const byAccount = new Map<string, { debit: number; credit: number }>();
  for (const line of lines) {
    const sum = byAccount.get(line.account) ?? { debit: 0, credit: 0 };
    sum.debit += line.debit;
    sum.credit += line.credit;
    byAccount.set(line.account, sum);
  }
  await addBalances(
    trx,
    [...byAccount].map(([code, sum]) => ({
      book_id: row.book_id,
      account_code: code,
      period: row.period,
      street_id: row.street_id,
      debit: sum.debit,
      credit: sum.credit,
      closing_debit: isClosing ? sum.debit : 0,
      closing_credit: isClosing ? sum.credit : 0,
    })),
  );
  await markAccountsUsed(trx, row.book_id, [...byAccount.keys()]);
  await appendFinanceEntry(trx, {
    recordType: FINANCE_RECORD_TYPES.voucher,
    recordId: row.id,
    streetId: row.street_id,
    action: 'post',
    actorId: actor.userId,
    actorRole: actor.role,
    changes,
    at,
  });
  return number;
}
