import { errors } from '../../../errors.ts';
import { leafCodes } from '../ledger-math.ts';
import type { AccountRow } from '../repository.ts';

/**
 * Straight-line depreciation (平均年限法) on integer fen (docs/decisions/0710). An asset is depreciated
 * from the month after it was acquired (当月增加当月不提, 下月起计提), for `usefulLifeMonths` months:
 * each month takes floor((original − salvage) / life) fen and the last month of its life takes what is
 * left, so the charges add up to exactly original − salvage. A month that was never run (or an opening
 * depreciation that does not match the months elapsed) is caught up in the last month; an asset whose
 * life is over and still has a remainder gives it all in the next run. Not depreciated: no useful life
 * (land, assets marked so), disposed assets, and assets fully depreciated.
 */

export interface DepreciableAsset {
  original_value: number;
  salvage_value: number;
  useful_life_months: number | null;
  acquired_on: string;
  state: string;
}

/** Months from `from` to `to` (YYYY-MM), 0 when equal. */
export function monthsBetween(from: string, to: string): number {
  return (
    (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
    Number(to.slice(5, 7)) -
    Number(from.slice(5, 7))
  );
}

/** The standard monthly charge: floor((original − salvage) / life); 0 when not depreciated. */
export function monthlyCharge(asset: DepreciableAsset): number {
  if (!asset.useful_life_months) return 0;
  return Math.floor((asset.original_value - asset.salvage_value) / asset.useful_life_months);
}

/**
 * The charge of `period` given what has been charged so far (`charged`: opening depreciation plus every
 * run not discarded). Returns 0 when nothing is due.
 */
export function chargeFor(
  asset: DepreciableAsset,
  period: string,
  charged: number,
): { amount: number; isLastMonth: boolean } {
  const none = { amount: 0, isLastMonth: false };
  if (!asset.useful_life_months || asset.state === 'disposed') return none;
  const remaining = asset.original_value - asset.salvage_value - charged;
  if (remaining <= 0) return none;
  // month 1 is the month after acquisition
  const n = monthsBetween(asset.acquired_on.slice(0, 7), period);
  if (n < 1) return none;
  if (n >= asset.useful_life_months) return { amount: remaining, isLastMonth: true };
  return { amount: Math.min(monthlyCharge(asset), remaining), isLastMonth: false };
}

/**
 * 农村集体经济组织会计制度 (2023): depreciation of assets used in operations goes to 经营支出 (502), of
 * assets for the organisation's own management (its buildings, vehicles, machines, equipment and
 * furniture) to 管理费用 (511), of public-welfare works (structures and infrastructure: roads, lights,
 * squares, water works) to 公益支出 (541). The register has no separate 管理/公益 flag yet, so a
 * public-welfare building follows its category (docs/decisions/0710 names this).
 */
export function expenseAccountOf(asset: {
  is_operating: boolean;
  category: string;
  useful_life_months: number | null;
}): string | null {
  if (!asset.useful_life_months) return null;
  if (asset.is_operating) return '502';
  return MANAGEMENT_CATEGORIES.has(asset.category) ? '511' : '541';
}
const MANAGEMENT_CATEGORIES = new Set(['building', 'machinery', 'vehicle', 'equipment', 'furniture']);

/**
 * The leaf to post to under a standard account: the account itself when it has no sub-accounts, its
 * only active leaf, or the active leaf named 折旧 (e.g. 54104 折旧费); otherwise the bookkeeper is
 * asked to add one.
 */
export function postingAccount(
  accounts: AccountRow[],
  code: string,
  purpose: { zh: string; en: string },
  hint = '折旧',
): string {
  const leaves = leafCodes(accounts);
  const byCode = new Map(accounts.map((account) => [account.code, account]));
  const account = byCode.get(code);
  if (account && leaves.has(code) && account.state === 'active') return code;
  const under = accounts.filter(
    (a) => a.code.startsWith(code) && a.code !== code && leaves.has(a.code) && a.state === 'active',
  );
  const named = under.filter((a) => a.name.includes(hint));
  if (named.length === 1) return named[0]!.code;
  if (under.length === 1) return under[0]!.code;
  throw errors.unprocessable(
    'posting_account_missing',
    {
      zh: `科目 ${code} ${account?.name ?? ''} 下有多个明细科目，请添加名称含"${hint}"的明细科目，用于${purpose.zh}`,
      en: `account ${code} has several sub-accounts; add one whose name contains ${hint} for ${purpose.en}`,
    },
    { accountCode: code },
  );
}
