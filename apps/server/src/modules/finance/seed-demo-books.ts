import type { VoucherInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { loadActor } from '../people/sessions.ts';
import { actOnVoucher } from './act-on-voucher.ts';
import { createBook } from './create-book.ts';
import { createVoucher } from './create-voucher.ts';
import { actOnDisclosure, createDisclosure } from './disclosures.ts';
import { addAccount } from './manage-accounts.ts';
import { nextPeriod, previousPeriod } from './periods.ts';
import { askQuestion, answerQuestion } from './public.ts';
import { chinaToday } from './repository.ts';
import { setOpeningBalances } from './set-opening-balances.ts';
import { startBook } from './start-book.ts';
import {
  closeDemoMonth,
  reconcileDemoFunds,
  seedDemoFundsAndAssets,
} from './registers/seed-demo-funds-assets.ts';
import { seedDemoRegisters } from './registers/seed-demo-registers.ts';

interface Random {
  next(): number;
  int(min: number, maxInclusive: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
}

export interface DemoBooksVillage {
  unitId: string;
  name: string;
  bookkeeperId: string;
  reviewerId: string;
  approverId: string;
}

const HANDLERS = ['王建国', '李秀英', '张志强', '刘桂兰', '陈明', '欧阳春花', '黄德福'];

/** A plausible month of a village collective: rents, subsidies, interest; cleaning, lights, office, care. */
function monthVouchers(period: string, random: Random, monthIndex: number): VoucherInput[] {
  const day = (d: number) => `${period}-${String(Math.min(d, 28)).padStart(2, '0')}`;
  const month = Number(period.slice(5));
  const handler = () => random.pick(HANDLERS);
  const fen = (min: number, max: number) => random.int(min, max) * 100 + random.int(0, 99);
  const v = (
    date: string,
    summary: string,
    debit: string,
    credit: string,
    amount: number,
    options: { debitSummary?: string; creditSummary?: string } = {},
  ): VoucherInput => ({
    date,
    summary,
    handlerName: handler(),
    lines: [
      { accountCode: debit, summary: options.debitSummary ?? summary, debit: amount, credit: 0 },
      { accountCode: credit, summary: options.creditSummary ?? summary, debit: 0, credit: amount },
    ],
    attachments: [],
  });
  const out: VoucherInput[] = [];
  // Income
  if (month === 1 || month === 7)
    out.push(v(day(6), '收鱼塘承包费（半年）', '10201', '50101', 18_600_00, { creditSummary: '鱼塘承包费' }));
  if (month % 3 === 1)
    out.push(
      v(day(8), '收村集体厂房租金（季度）', '10201', '50102', 42_000_00 + (monthIndex >= 12 ? 3_000_00 : 0)),
    );
  out.push(v(day(10), '收农贸市场摊位租金', '10201', '50102', fen(3_800, 5_200)));
  if (month % 3 === 0) out.push(v(day(15), '收到镇财政拨付村级组织运转经费', '10201', '522', 25_000_00));
  if (month === 6 || month === 12) out.push(v(day(21), '收到银行存款利息', '10201', '531', fen(300, 900)));
  if (month === 4) out.push(v(day(18), '收到上级一事一议财政奖补资金', '10201', '231', 60_000_00));
  // Expenditure
  out.push(
    v(day(5), '支付村道保洁员工资', '54101', '10201', 4_200_00, {
      debitSummary: '保洁员工资',
      creditSummary: '银行转账',
    }),
  );
  out.push(v(day(12), '支付路灯电费', '54102', '10201', fen(600, 1_400), { creditSummary: '银行转账' }));
  out.push(v(day(16), '购买办公用品', '511', '101', fen(80, 600), { creditSummary: '现金支付' }));
  if (random.chance(0.5)) out.push(v(day(19), '村委会水电费', '511', '10201', fen(300, 900)));
  if (month % 3 === 0) out.push(v(day(24), '发放村干部误工补贴（季度）', '511', '10201', 15_600_00));
  if (month === 1 || month === 9)
    out.push(v(day(20), '慰问困难户、五保户', '54103', '101', fen(2_000, 4_000)));
  if (random.chance(0.35)) out.push(v(day(22), '维修集体厂房屋顶', '502', '10201', fen(1_500, 6_000)));
  if (month === 5) out.push(v(day(26), '村道硬化工程进度款', '153', '10201', 45_000_00));
  if (month === 10) out.push(v(day(27), '村道硬化工程完工转固定资产', '151', '153', 45_000_00));
  out.push(
    v(day(3), '从银行提取备用金', '101', '10201', 1_500_00, { debitSummary: '提现', creditSummary: '提现' }),
  );
  if (month === 12) out.push(v(day(28), '按村民代表会议决议分配年终福利', '32201', '10201', 36_000_00));
  return out;
}

async function act(app: App, actor: Actor, id: string, action: Parameters<typeof actOnVoucher>[3]) {
  return actOnVoucher(app, actor, id, action, {});
}

/**
 * Two years of plausible books for the demo village (新山村), through the same use-cases as the API:
 * every voucher prepared by the bookkeeper, approved by the village committee, reviewed by the
 * 民主理财小组 and posted; every month closed, disclosed and sealed; the current month open with
 * work in progress; a few villagers' questions, most answered. Returns the number of vouchers.
 */
export async function seedDemoBooks(
  app: App,
  village: DemoBooksVillage,
  random: Random,
  months = 24,
): Promise<number> {
  const bookkeeper = (await loadActor(app.db, village.bookkeeperId))!;
  const reviewer = (await loadActor(app.db, village.reviewerId))!;
  const approver = (await loadActor(app.db, village.approverId))!;
  const current = (await chinaToday(app.db)).slice(0, 7);
  let start = current;
  for (let i = 0; i < months; i++) start = previousPeriod(start);

  const book = await createBook(app, bookkeeper, {
    unitId: village.unitId,
    name: `${village.name}股份经济合作社`,
    orgCode: 'N2440300MF0000001X',
    startMonth: start,
  });
  for (const [parentCode, code, name] of [
    ['102', '10201', '农商银行基本户'],
    ['501', '50101', '发包及上交收入'],
    ['501', '50102', '租赁收入'],
    ['541', '54101', '村道保洁'],
    ['541', '54102', '路灯电费'],
    ['541', '54103', '困难户慰问'],
  ] as const) {
    await addAccount(app, bookkeeper, book.id, { parentCode, code, name });
  }
  await setOpeningBalances(app, bookkeeper, book.id, {
    balances: [
      { accountCode: '101', debit: 3_260_50, credit: 0 },
      { accountCode: '10201', debit: 1_286_400_00, credit: 0 },
      { accountCode: '112', debit: 24_000_00, credit: 0 },
      { accountCode: '151', debit: 2_360_000_00, credit: 0 },
      { accountCode: '152', debit: 0, credit: 412_000_00 },
      { accountCode: '211', debit: 0, credit: 38_500_00 },
      { accountCode: '301', debit: 0, credit: 2_800_000_00 },
      { accountCode: '311', debit: 0, credit: 260_000_00 },
      { accountCode: '32202', debit: 0, credit: 163_160_50 },
    ],
  });
  await startBook(app, bookkeeper, book.id, undefined);
  await seedDemoFundsAndAssets(app, bookkeeper, book.id);

  let count = 0;
  let monthIndex = 0;
  for (let period = start; period < current; period = nextPeriod(period), monthIndex++) {
    for (const input of monthVouchers(period, random, monthIndex)) {
      const voucher = await createVoucher(app, bookkeeper, book.id, input);
      await act(app, bookkeeper, voucher.id, 'submit');
      await act(app, approver, voucher.id, 'approve');
      await act(app, reviewer, voucher.id, 'review');
      await act(app, bookkeeper, voucher.id, 'post');
      count++;
    }
    count += await closeDemoMonth(app, { bookkeeper, approver, reviewer }, book.id, period);
    const disclosure = await createDisclosure(app, bookkeeper, book.id, {
      kind: 'month',
      label: period,
      majorItems: period.endsWith('-05')
        ? [
            {
              title: '村道硬化工程',
              description:
                '经村民代表会议表决通过，硬化村东至村西主干道 1.2 公里，工程款 45 万元，公开招标。',
              amount: 45_000_00,
              decidedOn: `${period}-02`,
            },
          ]
        : period.endsWith('-12')
          ? [
              {
                title: '年终福利分配',
                description: '经村民代表会议决议，按户发放年终福利，每户 300 元，共 120 户。',
                amount: 36_000_00,
                decidedOn: `${period}-20`,
              },
            ]
          : [],
    });
    await actOnDisclosure(app, reviewer, disclosure.id, 'review', { note: '经核对，账实相符' });
    await actOnDisclosure(app, approver, disclosure.id, 'seal', {});
    if (random.chance(0.25)) {
      const question = await askQuestion(app, null, disclosure.id, {
        text: random.pick([
          '路灯电费比上月高了不少，是什么原因？',
          '厂房租金今年涨了吗？合同能看吗？',
          '保洁员工资是怎么定的？',
          '慰问困难户的名单在哪里公示？',
        ]),
        name: random.pick(['张大山', '李桂芳', '王小明', null]),
      });
      if (random.chance(0.8)) {
        await answerQuestion(
          app,
          bookkeeper,
          question.id,
          '已在村务公开栏张贴说明，也可到村委会查看原始单据。',
        );
      }
    }
  }
  // This month: work in progress (a posted voucher, one waiting for the finance group).
  const inProgress = monthVouchers(current, random, monthIndex).slice(0, 2);
  if (inProgress[0]) {
    const voucher = await createVoucher(app, bookkeeper, book.id, inProgress[0]);
    await act(app, bookkeeper, voucher.id, 'submit');
    await act(app, approver, voucher.id, 'approve');
    count++;
  }
  if (inProgress[1]) {
    await createVoucher(app, bookkeeper, book.id, inProgress[1]);
    count++;
  }
  await seedDemoRegisters(app, bookkeeper, book.id, await chinaToday(app.db));
  await reconcileDemoFunds(app, bookkeeper, book.id, current);
  return count;
}
