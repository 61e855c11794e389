import type { App } from '../../../app.ts';
import { AppError } from '../../../errors.ts';
import type { Actor } from '../../../policy/index.ts';
import { actOnVoucher } from '../act-on-voucher.ts';
import { addAccount } from '../manage-accounts.ts';
import { closePeriod, previousPeriod } from '../periods.ts';
import { findBook } from '../repository.ts';
import { createAsset } from './assets.ts';
import { closeYear, draftClosingVoucher } from './close-year.ts';
import { lastDayOf, runDepreciation } from './depreciation.ts';
import { createFund, ledgerBalanceUnder, updateFund } from './funds.ts';

/**
 * The demo village's funds and assets (issue 6): a cash box and the bank account, ten fixed assets
 * whose original value and opening depreciation match the opening balances of 151 and 152, each
 * month's depreciation posted through the normal workflow, the road built each year registered when
 * it is finished, and each year closed (年终结账) before its December is disclosed.
 */

interface DemoAsset {
  code: string;
  name: string;
  category:
    | 'building'
    | 'structure'
    | 'machinery'
    | 'vehicle'
    | 'equipment'
    | 'furniture'
    | 'infrastructure'
    | 'other';
  isOperating: boolean;
  originalValue: number;
  openingDepreciation: number;
  usefulLifeMonths: number | null;
  acquiredOn: string;
  acquiredHow: 'purchase' | 'construction' | 'donation' | 'allocation' | 'other';
  state?: 'in_use' | 'idle' | 'let';
  where: string;
  /** Offset from the village centre, as a share of its extent. */
  at: [number, number];
}

// Σ original = 2,360,000.00 (151) and Σ opening depreciation = 412,000.00 (152), as in the opening balances.
const ASSETS: DemoAsset[] = [
  {
    code: 'FW-001',
    name: '村委会办公楼',
    category: 'building',
    isOperating: false,
    originalValue: 980_000_00,
    openingDepreciation: 196_000_00,
    usefulLifeMonths: 480,
    acquiredOn: '2012-06-30',
    acquiredHow: 'construction',
    where: '村委会大院',
    at: [0, 0],
  },
  {
    code: 'FW-002',
    name: '文化礼堂',
    category: 'building',
    isOperating: false,
    originalValue: 600_000_00,
    openingDepreciation: 90_000_00,
    usefulLifeMonths: 480,
    acquiredOn: '2016-09-30',
    acquiredHow: 'construction',
    where: '村委会东侧',
    at: [0.08, 0.02],
  },
  {
    code: 'FW-003',
    name: '村集体厂房',
    category: 'building',
    isOperating: true,
    originalValue: 420_000_00,
    openingDepreciation: 84_000_00,
    usefulLifeMonths: 360,
    acquiredOn: '2014-04-30',
    acquiredHow: 'construction',
    state: 'let',
    where: '村北工业点',
    at: [-0.1, 0.15],
  },
  {
    code: 'SS-001',
    name: '主干道路灯（86 盏）',
    category: 'infrastructure',
    isOperating: false,
    originalValue: 129_000_00,
    openingDepreciation: 21_500_00,
    usefulLifeMonths: 120,
    acquiredOn: '2020-11-30',
    acquiredHow: 'purchase',
    where: '村东至村西主干道',
    at: [0.12, -0.05],
  },
  {
    code: 'CL-001',
    name: '垃圾清运车',
    category: 'vehicle',
    isOperating: false,
    originalValue: 86_000_00,
    openingDepreciation: 10_750_00,
    usefulLifeMonths: 96,
    acquiredOn: '2021-08-31',
    acquiredHow: 'purchase',
    where: '村委会车库',
    at: [0.02, -0.03],
  },
  {
    code: 'SS-002',
    name: '村口文化广场',
    category: 'structure',
    isOperating: false,
    originalValue: 45_000_00,
    openingDepreciation: 4_500_00,
    usefulLifeMonths: 240,
    acquiredOn: '2019-05-31',
    acquiredHow: 'construction',
    where: '村口',
    at: [-0.15, -0.12],
  },
  {
    code: 'SB-001',
    name: '党群服务中心办公设备',
    category: 'equipment',
    isOperating: false,
    originalValue: 28_000_00,
    openingDepreciation: 3_250_00,
    usefulLifeMonths: 60,
    acquiredOn: '2023-03-31',
    acquiredHow: 'purchase',
    where: '村委会办公楼二楼',
    at: [0.01, 0.01],
  },
  {
    code: 'SS-003',
    name: '农贸市场摊位棚',
    category: 'structure',
    isOperating: true,
    originalValue: 36_000_00,
    openingDepreciation: 1_200_00,
    usefulLifeMonths: 120,
    acquiredOn: '2023-10-31',
    acquiredHow: 'construction',
    state: 'let',
    where: '农贸市场',
    at: [-0.05, 0.06],
  },
  {
    code: 'JX-001',
    name: '灌溉泵站水泵',
    category: 'machinery',
    isOperating: false,
    originalValue: 16_000_00,
    openingDepreciation: 800_00,
    usefulLifeMonths: 120,
    acquiredOn: '2023-06-30',
    acquiredHow: 'allocation',
    where: '南片农田',
    at: [0.05, -0.2],
  },
  {
    code: 'QT-001',
    name: '晒谷场',
    category: 'other',
    isOperating: false,
    originalValue: 20_000_00,
    openingDepreciation: 0,
    usefulLifeMonths: null,
    acquiredOn: '2005-10-31',
    acquiredHow: 'construction',
    where: '村西',
    at: [-0.2, 0.0],
  },
];

/** How far from the centre the assets stand, as a share of the offsets above (inside a convex outline). */
const SPREAD = 1.8;

async function placeOf(app: App, unitId: string, at: [number, number]) {
  const unit = await app.db
    .selectFrom('units')
    .select(['centroid_lng', 'centroid_lat', 'min_lng', 'max_lng', 'min_lat', 'max_lat'])
    .where('id', '=', unitId)
    .executeTakeFirst();
  if (!unit || unit.centroid_lng === null || unit.centroid_lat === null) return null;
  const width = (unit.max_lng ?? unit.centroid_lng) - (unit.min_lng ?? unit.centroid_lng);
  const height = (unit.max_lat ?? unit.centroid_lat) - (unit.min_lat ?? unit.centroid_lat);
  const round = (value: number) => Math.round(value * 1e6) / 1e6;
  return {
    near: {
      lng: round(unit.centroid_lng + width * at[0] * SPREAD),
      lat: round(unit.centroid_lat + height * at[1] * SPREAD),
    },
    centre: { lng: round(unit.centroid_lng), lat: round(unit.centroid_lat) },
  };
}

/** A sub-account for public-welfare depreciation, two funds and the ten assets; right after the book starts. */
export async function seedDemoFundsAndAssets(app: App, bookkeeper: Actor, bookId: string): Promise<void> {
  const book = (await findBook(app.db, bookId))!;
  await addAccount(app, bookkeeper, bookId, { parentCode: '541', code: '54104', name: '公益设施折旧' });
  await createFund(app, bookkeeper, bookId, { kind: 'cash', name: '村委会库存现金', accountCode: '101' });
  await createFund(app, bookkeeper, bookId, {
    kind: 'bank',
    name: '农商银行基本户',
    bankName: '农村商业银行新山支行',
    accountNo: '6228480012345678',
    accountCode: '10201',
  });
  for (const asset of ASSETS) await addDemoAsset(app, bookkeeper, bookId, book.unit_id, asset);
}

async function addDemoAsset(app: App, bookkeeper: Actor, bookId: string, unitId: string, asset: DemoAsset) {
  const place = await placeOf(app, unitId, asset.at);
  const input = {
    code: asset.code,
    name: asset.name,
    category: asset.category,
    isOperating: asset.isOperating,
    location: place?.near ?? null,
    locationText: asset.where,
    originalValue: asset.originalValue,
    openingDepreciation: asset.openingDepreciation,
    salvageValue: 0,
    usefulLifeMonths: asset.usefulLifeMonths,
    acquiredOn: asset.acquiredOn,
    acquiredHow: asset.acquiredHow,
    state: asset.state ?? 'in_use',
    note: null,
  };
  try {
    await createAsset(app, bookkeeper, bookId, input);
  } catch (error) {
    // an irregular village outline: the point falls outside it, so the asset stands at the centre
    if (!(error instanceof AppError) || error.code !== 'location_outside') throw error;
    await createAsset(app, bookkeeper, bookId, { ...input, location: place?.centre ?? null });
  }
}

interface DemoPeople {
  bookkeeper: Actor;
  approver: Actor;
  reviewer: Actor;
}

async function throughWorkflow(app: App, people: DemoPeople, voucherId: string) {
  await actOnVoucher(app, people.bookkeeper, voucherId, 'submit', {});
  await actOnVoucher(app, people.approver, voucherId, 'approve', {});
  await actOnVoucher(app, people.reviewer, voucherId, 'review', {});
  await actOnVoucher(app, people.bookkeeper, voucherId, 'post', {});
}

/**
 * The end of a demo month: the finished road registered (October), the depreciation posted, then the
 * month closed — in December by the year-end closing. Returns the vouchers it made.
 */
export async function closeDemoMonth(
  app: App,
  people: DemoPeople,
  bookId: string,
  period: string,
): Promise<number> {
  let count = 0;
  const book = (await findBook(app.db, bookId))!;
  if (period.endsWith('-10')) {
    const year = period.slice(0, 4);
    await addDemoAsset(app, people.bookkeeper, bookId, book.unit_id, {
      code: `SS-${year}`,
      name: `村道硬化工程（${year}年）`,
      category: 'structure',
      isOperating: false,
      // the voucher of month 10 moves 45,000.00 from 在建工程 to 固定资产
      originalValue: 45_000_00,
      openingDepreciation: 0,
      usefulLifeMonths: 240,
      acquiredOn: `${period}-27`,
      acquiredHow: 'construction',
      where: '村东至村西主干道',
      at: [0.1, -0.08],
    });
  }
  const run = await runDepreciation(app, people.bookkeeper, bookId, period);
  await throughWorkflow(app, people, run.voucherId!);
  count++;
  if (period.endsWith('-12')) {
    const year = Number(period.slice(0, 4));
    const closing = await draftClosingVoucher(app, people.bookkeeper, bookId, { year });
    if (closing.closingVoucherId) {
      await throughWorkflow(app, people, closing.closingVoucherId);
      count++;
    }
    await closeYear(app, people.bookkeeper, bookId, year);
  } else {
    await closePeriod(app, people.bookkeeper, bookId, period);
  }
  return count;
}

/** The bookkeeper's last reconciliation: last month's statements entered; the bank's agrees with the books. */
export async function reconcileDemoFunds(app: App, bookkeeper: Actor, bookId: string, current: string) {
  const book = (await findBook(app.db, bookId))!;
  const date = lastDayOf(previousPeriod(current));
  const funds = await app.db.selectFrom('finance_funds').selectAll().where('book_id', '=', bookId).execute();
  for (const fund of funds) {
    const balance = await ledgerBalanceUnder(app.db, book, fund.account_code, date);
    await updateFund(app, bookkeeper, fund.id, { statementBalance: balance, statementDate: date });
  }
}
