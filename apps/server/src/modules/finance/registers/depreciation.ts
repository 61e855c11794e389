import type { DepreciationRun, VoucherInput } from '@minqing/contract';
import { sql } from 'kysely';
import type { App } from '../../../app.ts';
import type { Db } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transaction.ts';
import { errors } from '../../../errors.ts';
import type { Actor } from '../../../policy/index.ts';
import { insertDraftVoucher } from '../create-voucher.ts';
import { loadKeptBook, loadReadableBook, requireActiveBook } from '../load-book.ts';
import { listAccounts, lockBook, type BookWithUnit } from '../repository.ts';
import { checkOpenPeriod } from '../voucher-content.ts';
import { assetRows, depreciationByAsset, runIsReversed } from './assets.ts';
import { chargeFor, expenseAccountOf, monthsBetween, postingAccount } from './depreciation-math.ts';

/**
 * 计提折旧 (docs/decisions/0710): one run per month makes ONE draft voucher (debit each expense
 * account, credit 152 累计折旧) that goes through approval, review and posting like any other, and
 * records each asset's share in finance_depreciation. A second run of the same month is refused while
 * its voucher is not discarded; a month that is closed or sealed is refused.
 */

export function lastDayOf(period: string): string {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${period}-${String(day).padStart(2, '0')}`;
}

const FOR_DEPRECIATION = { zh: '计提折旧', en: 'depreciation' };

async function computeRun(db: Db, book: BookWithUnit, period: string) {
  const charged = await depreciationByAsset(db, book.id);
  const accounts = await listAccounts(db, book.id);
  const items: DepreciationRun['items'] = [];
  for (const asset of await assetRows(db, book.id)) {
    const opening = asset.opening_depreciation;
    const charge = chargeFor(asset, period, opening + (charged.get(asset.id)?.charged ?? 0));
    if (charge.amount === 0) continue;
    items.push({
      assetId: asset.id,
      code: asset.code,
      name: asset.name,
      expenseAccount: postingAccount(accounts, expenseAccountOf(asset)!, FOR_DEPRECIATION),
      amount: charge.amount,
      isLastMonth: charge.isLastMonth,
    });
  }
  const byAccount = new Map<string, number>();
  for (const item of items)
    byAccount.set(item.expenseAccount, (byAccount.get(item.expenseAccount) ?? 0) + item.amount);
  const total = items.reduce((sum, item) => sum + item.amount, 0);
  const lines: DepreciationRun['lines'] = [...byAccount]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([accountCode, amount]) => ({ accountCode, debit: amount, credit: 0 }));
  if (total > 0)
    lines.push({ accountCode: postingAccount(accounts, '152', FOR_DEPRECIATION), debit: 0, credit: total });
  return { items, lines, total };
}

/** The run recorded for the month (its voucher not discarded), if any. */
async function recordedRun(db: Db, book: BookWithUnit, period: string): Promise<DepreciationRun | null> {
  const rows = await db
    .selectFrom('finance_depreciation as d')
    .innerJoin('finance_vouchers as v', 'v.id', 'd.voucher_id')
    .innerJoin('finance_assets as a', 'a.id', 'd.asset_id')
    .select([
      'd.asset_id',
      'd.amount',
      'v.id as voucher_id',
      'v.state',
      'v.lines',
      'a.code',
      'a.name',
      'a.useful_life_months',
      'a.acquired_on',
      'a.is_operating',
      'a.category',
    ])
    .where('d.book_id', '=', book.id)
    .where('d.period', '=', period)
    .where('v.state', '<>', 'discarded')
    .where(sql<boolean>`not ${runIsReversed}`)
    .orderBy('a.code')
    .execute();
  if (rows.length === 0) return null;
  const accounts = await listAccounts(db, book.id);
  const lines = (rows[0]!.lines as unknown as { account: string; debit: number; credit: number }[]).map(
    (line) => ({
      accountCode: line.account,
      debit: line.debit,
      credit: line.credit,
    }),
  );
  return {
    period,
    voucherId: rows[0]!.voucher_id,
    voucherState: rows[0]!.state,
    total: rows.reduce((sum, row) => sum + Number(row.amount), 0),
    items: rows.map((row) => ({
      assetId: row.asset_id,
      code: row.code,
      name: row.name,
      expenseAccount: safePostingAccount(accounts, expenseAccountOf(row)),
      amount: Number(row.amount),
      isLastMonth:
        row.useful_life_months !== null &&
        monthsBetween(row.acquired_on.slice(0, 7), period) >= row.useful_life_months,
    })),
    lines,
  };
}

function safePostingAccount(accounts: Parameters<typeof postingAccount>[0], code: string | null): string {
  if (!code) return '';
  try {
    return postingAccount(accounts, code, FOR_DEPRECIATION);
  } catch {
    return code;
  }
}

/** The month's run as recorded, or what a run would charge now (a preview). */
export async function depreciationOf(
  app: App,
  actor: Actor,
  bookId: string,
  period: string,
): Promise<DepreciationRun> {
  const book = await loadReadableBook(app.db, actor, bookId);
  const recorded = await recordedRun(app.db, book, period);
  if (recorded) return recorded;
  const run = await computeRun(app.db, book, period);
  return { period, voucherId: null, voucherState: null, ...run };
}

export async function runDepreciation(
  app: App,
  actor: Actor,
  bookId: string,
  period: string,
): Promise<DepreciationRun> {
  const book = await loadKeptBook(app.db, actor, bookId);
  requireActiveBook(book);
  await inTransaction(app.db, async (trx) => {
    await lockBook(trx, book.id);
    const date = lastDayOf(period);
    await checkOpenPeriod(trx, book, date, 'period');
    const existing = await trx
      .selectFrom('finance_depreciation as d')
      .innerJoin('finance_vouchers as v', 'v.id', 'd.voucher_id')
      .select(['v.id', 'v.state'])
      .select(runIsReversed.as('is_reversed'))
      .where('d.book_id', '=', book.id)
      .where('d.period', '=', period)
      .execute();
    const live = existing.find((row) => row.state !== 'discarded' && !row.is_reversed);
    if (live) {
      throw errors.conflict(
        'depreciation_already_run',
        {
          zh: `${period} 已计提折旧（凭证${live.state === 'posted' ? '已入账' : '在审批中'}）；如需重算，请先作废该草稿凭证`,
          en: `depreciation for ${period} is already run; discard its draft voucher to run it again`,
        },
        { period, voucherId: live.id, voucherState: live.state },
      );
    }
    // A run whose voucher was discarded (or reversed) left its rows behind: they no longer count and make way.
    if (existing.length > 0) {
      await trx
        .deleteFrom('finance_depreciation')
        .where('book_id', '=', book.id)
        .where('period', '=', period)
        .execute();
    }
    const run = await computeRun(trx, book, period);
    if (run.total === 0) {
      throw errors.unprocessable(
        'nothing_to_depreciate',
        {
          zh: `${period} 没有需要计提折旧的资产（未登记资产、不提折旧或已提足）`,
          en: `no asset is depreciated in ${period} (none registered, not depreciated or fully depreciated)`,
        },
        { field: 'period' },
      );
    }
    const summary = `计提${period.slice(0, 4)}年${Number(period.slice(5))}月固定资产折旧`;
    const input: VoucherInput = {
      date,
      summary,
      handlerName: null,
      lines: run.lines.map((line) => ({
        accountCode: line.accountCode,
        summary: line.credit > 0 ? '累计折旧' : summary,
        debit: line.debit,
        credit: line.credit,
      })),
      attachments: [],
    };
    const voucherId = await insertDraftVoucher(trx, actor, book, input, {
      kind: 'depreciation',
      extra: {
        depreciation: {
          period,
          items: run.items.map((item) => ({ asset: item.assetId, amount: item.amount })),
        },
      },
    });
    await trx
      .insertInto('finance_depreciation')
      .values(
        run.items.map((item) => ({
          asset_id: item.assetId,
          period,
          book_id: book.id,
          street_id: book.street_id,
          amount: item.amount,
          voucher_id: voucherId,
        })),
      )
      .execute();
  });
  return (await recordedRun(app.db, book, period))!;
}
