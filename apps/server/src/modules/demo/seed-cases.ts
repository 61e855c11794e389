import type { Rating } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { performCaseAction } from '../cases/case-actions.ts';
import { createCase } from '../cases/create-case.ts';
import { loadActor } from '../people/sessions.ts';
import type { SeededRandom } from './random.ts';
import type { DemoAreas, DemoCommunityContext, DemoGrid } from './seed-areas.ts';

/** What residents and grid workers report in the article's communities, by category. */
const STORIES: Record<string, string[]> = {
  '0101': ['村口垃圾乱堆，已经好几天没人清运', '菜市场门口垃圾桶满溢，气味很大', '河边有人倾倒生活垃圾'],
  '0102': ['工地渣土堆在路边，下雨后满地泥浆', '拆旧房的建筑垃圾一直没有运走'],
  '0103': ['巷口堆放废旧家具，影响通行', '有人在空地上堆放木料和砖块'],
  '0104': ['主干道路面有大量泥土和落叶', '早市散场后路面脏乱'],
  '0106': ['化粪池满溢，污水流到路上', '下水道返水，巷子里全是污水'],
  '0201': ['村道路灯不亮，晚上老人出行不方便', '小区3号楼前路灯坏了一周'],
  '0202': ['楼道电线老化，接头裸露', '老房子电路老化，经常跳闸，担心起火', '有人从窗口私拉电线给电动车充电'],
  '0203': ['楼道里堆满纸箱和旧家具，消防通道被堵', '楼梯间堆放杂物，老人上下楼不安全'],
  '0204': ['路口井盖缺了一角，晚上很危险', '小区门口井盖松动'],
  '0205': ['村道塌陷出一个坑', '人行道地砖翘起，绊倒过人'],
  '0206': ['家里停水两天了', '水管爆裂，路面积水'],
  '0301': ['消防栓被杂物遮挡', '楼道灭火器过期'],
  '0302': ['电动车推进楼道充电', '楼下有人深夜在楼道给电瓶车充电'],
  '0304': ['外墙瓷砖松动，有掉落危险', '阳台花盆摆在护栏外'],
  '0401': ['楼上漏水到楼下，两家因此争吵', '邻居装修噪音扰民，双方发生口角', '两户人家因宅基地边界起争执'],
  '0402': ['赡养老人问题兄弟之间有矛盾', '夫妻吵架，邻居担心出事'],
  '0403': ['业主对物业收费有意见，拒交物业费', '电梯长期维修不到位，业主与物业矛盾'],
  '0404': ['装修工人反映工钱被拖欠', '厂里拖欠几名村民工资'],
  '0405': ['承包地流转合同到期，双方对续租有分歧', '村集体鱼塘承包租金有争议'],
  '0501': [
    '独居老人腿脚不便，需要上门探访',
    '空巢老人家里没人照顾，生活困难',
    '老人儿子周末才回来，平时没人做饭',
  ],
  '0502': ['几位老人希望社区能有老年食堂', '独居老人做饭困难，希望能送餐'],
  '0503': ['慢病老人需要定期取药，行动不便', '老人需要有人陪同去医院复诊'],
  '0504': ['家庭突遭变故，生活困难', '低保户房屋漏雨需要帮助'],
  '0601': ['建议在小区增加充电桩', '建议老旧小区改造时加装电梯', '建议在村里建老年助餐点', '建议增设快递柜'],
  '0602': ['咨询老旧小区改造的补贴政策', '咨询高龄津贴怎么申请'],
};

const CATEGORY_WEIGHTS: [string, number][] = Object.keys(STORIES).map((code) => {
  const major = code.slice(0, 2);
  const weight =
    major === '01'
      ? 5
      : major === '02'
        ? 4
        : major === '04'
          ? 4
          : major === '05'
            ? 3
            : major === '03'
              ? 2
              : 1;
  return [code, weight];
});

function weightedPick(random: SeededRandom, items: [string, number][]): string {
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let roll = random.next() * total;
  for (const [item, weight] of items) {
    roll -= weight;
    if (roll <= 0) return item;
  }
  return items[items.length - 1]![0];
}

/** Where each story ends: most cases closed, the rest spread over every stage of the loop. */
const OUTCOMES: [Outcome, number][] = [
  ['closed', 46],
  ['closed_reworked', 6],
  ['follow_up', 8],
  ['handled', 7],
  ['in_progress', 8],
  ['dispatched', 8],
  ['accepted', 5],
  ['reported', 6],
  ['rejected', 4],
  ['merged', 2],
];
type Outcome =
  | 'closed'
  | 'closed_reworked'
  | 'follow_up'
  | 'handled'
  | 'in_progress'
  | 'dispatched'
  | 'accepted'
  | 'reported'
  | 'rejected'
  | 'merged';

const HOUR = 3600_000;

/** A point inside a grid's quadrilateral (bilinear between its corners). */
function pointInGrid(grid: DemoGrid, random: SeededRandom): { lng: number; lat: number } {
  const [a, b, c, d] = grid.ring as [[number, number], [number, number], [number, number], [number, number]];
  const u = 0.1 + random.next() * 0.8;
  const v = 0.1 + random.next() * 0.8;
  const top = [a[0] + (b[0] - a[0]) * u, a[1] + (b[1] - a[1]) * u];
  const bottom = [d[0] + (c[0] - d[0]) * u, d[1] + (c[1] - d[1]) * u];
  return {
    lng: Math.round((top[0]! + (bottom[0]! - top[0]!) * v) * 1e6) / 1e6,
    lat: Math.round((top[1]! + (bottom[1]! - top[1]!) * v) * 1e6) / 1e6,
  };
}

/** A moment in office hours `daysAgo` days before now (China time). */
function officeTime(now: Date, daysAgo: number, random: SeededRandom): Date {
  const day = new Date(now.getTime() - daysAgo * 24 * HOUR);
  const chinaMidnight = Math.floor((day.getTime() + 8 * HOUR) / (24 * HOUR)) * 24 * HOUR - 8 * HOUR;
  return new Date(chinaMidnight + (8.5 + random.next() * 9) * HOUR);
}

const TEAM_OF_MAJOR: Record<string, keyof DemoCommunityContext['handlerIds']> = {
  '01': 'sanitation',
  '02': 'property',
  '03': 'property',
  '04': 'mediation',
  '05': 'volunteer',
  '06': 'committee',
};

/**
 * Cases in every state over the last 90 days, made through the same use-cases as the API (with past
 * timestamps), so the journal chains and the figures are exactly what real use would produce.
 */
export async function seedDemoCases(
  app: App,
  areas: DemoAreas,
  random: SeededRandom,
  options: { perCommunity: number; now?: Date; progress?: (fraction: number) => void },
): Promise<number> {
  const now = options.now ?? new Date();
  const actors = new Map<string, Actor>();
  const actorOf = async (userId: string): Promise<Actor> => {
    let actor = actors.get(userId);
    if (!actor) {
      actor = (await loadActor(app.db, userId))!;
      actors.set(userId, actor);
    }
    return actor;
  };
  const communities = areas.streets.flatMap((street) => street.communities);
  let created = 0;
  const total = communities.length * options.perCommunity;
  for (const [index, community] of communities.entries()) {
    // 新山村 handled 84 disputes in half a year: its demo leans towards dispute screening.
    const isXinshan = index === 0;
    const count = isXinshan ? Math.round(options.perCommunity * 1.5) : options.perCommunity;
    const recentOpen: string[] = [];
    for (let i = 0; i < count; i++) {
      const outcome = weightedPick(random, OUTCOMES) as Outcome;
      const category =
        isXinshan && random.chance(0.3)
          ? random.pick(['0401', '0402', '0405'])
          : weightedPick(random, CATEGORY_WEIGHTS);
      const grid = random.pick(community.grids);
      // Open cases are mostly recent; a few old ones are the overdue cases the screen shows in red.
      const isOpen = !['closed', 'closed_reworked', 'rejected', 'merged'].includes(outcome);
      const daysAgo = isOpen
        ? random.chance(0.8)
          ? random.next() * 4
          : 4 + random.next() * 20
        : 3 + random.next() * 87;
      let at = officeTime(now, daysAgo, random);
      const step = (minHours: number, maxHours: number) => {
        at = new Date(
          Math.min(
            at.getTime() + (minHours + random.next() * (maxHours - minHours)) * HOUR,
            now.getTime() - 60_000,
          ),
        );
        return { at };
      };
      const sourceRoll = random.next();
      const residentId = community.residentIds.length > 0 ? random.pick(community.residentIds) : null;
      const source = sourceRoll < 0.45 && residentId ? 'resident' : sourceRoll < 0.85 ? 'patrol' : 'hotline';
      const reporter = await actorOf(
        source === 'resident' ? residentId! : source === 'patrol' ? grid.workerId : community.adminId,
      );
      const story = random.pick(STORIES[category]!);
      const building = grid.buildings.length > 0 ? random.pick(grid.buildings) : null;
      const location =
        building && random.chance(0.5) ? { lng: building.lng, lat: building.lat } : pointInGrid(grid, random);
      const { case: created_ } = await createCase(
        app,
        reporter,
        {
          categoryCode: category,
          description: story,
          location,
          address: building ? `${community.spec.name}${building.name}附近` : undefined,
          priority: random.chance(0.1) ? 'urgent' : 'normal',
          isPublicAnonymous: source === 'resident' && random.chance(0.2),
          ...(source === 'hotline'
            ? {
                contact: {
                  name: `${story.slice(0, 1)}先生`,
                  phone: `1700001${String(created).padStart(4, '0')}`,
                },
              }
            : {}),
        },
        { at },
      );
      created++;
      options.progress?.(created / total);
      const caseId = created_.id;
      const admin = await actorOf(community.adminId);
      if (outcome === 'reported') continue;
      if (outcome === 'rejected') {
        await performCaseAction(
          app,
          admin,
          caseId,
          'reject',
          { reason: '经核实不属于社区职责范围，已告知反映人向相关部门咨询' },
          step(0.5, 4),
        );
        continue;
      }
      if (outcome === 'merged' && recentOpen.length > 0) {
        await performCaseAction(
          app,
          admin,
          caseId,
          'merge',
          { intoCaseId: random.pick(recentOpen), note: '与已受理事件重复' },
          step(0.5, 3),
        );
        continue;
      }
      await performCaseAction(app, admin, caseId, 'accept', {}, step(0.3, 2.5));
      recentOpen.push(caseId);
      if (outcome === 'accepted' || outcome === 'merged') continue;
      const team = TEAM_OF_MAJOR[category.slice(0, 2)] ?? 'committee';
      await performCaseAction(app, admin, caseId, 'dispatch', { orgId: community.teams[team] }, step(0.2, 2));
      if (outcome === 'dispatched') continue;
      const handler = await actorOf(community.handlerIds[team]);
      await performCaseAction(app, handler, caseId, 'start', {}, step(0.5, 6));
      if (outcome === 'in_progress') continue;
      const result = category.startsWith('04')
        ? '调解服务队上门调解，双方达成一致意见'
        : category.startsWith('05')
          ? '志愿者已上门探访并落实帮扶措施'
          : '已到现场处置完毕，恢复正常';
      await performCaseAction(app, handler, caseId, 'submit', { result }, step(1, 20));
      if (outcome === 'handled') continue;
      const worker = await actorOf(grid.workerId);
      const reviewer = worker.userId === handler.userId ? admin : worker;
      if (outcome === 'closed_reworked') {
        await performCaseAction(
          app,
          reviewer,
          caseId,
          'verify',
          { passed: false, note: '现场核查未达到结案标准' },
          step(1, 8),
        );
        await performCaseAction(app, handler, caseId, 'start', { note: '返工' }, step(1, 6));
        await performCaseAction(app, handler, caseId, 'submit', { result: '返工后已彻底处置' }, step(2, 16));
      }
      await performCaseAction(app, reviewer, caseId, 'verify', { passed: true }, step(1, 8));
      if (outcome === 'follow_up') continue;
      const rating: Rating = random.chance(0.75)
        ? 'satisfied'
        : random.chance(0.8)
          ? 'basically_satisfied'
          : 'unsatisfied';
      if (source === 'resident') {
        await performCaseAction(
          app,
          reporter,
          caseId,
          'rate',
          {
            rating: rating === 'unsatisfied' ? 'basically_satisfied' : rating,
            comment: rating === 'satisfied' ? '处理及时，谢谢' : undefined,
          },
          step(2, 30),
        );
      } else {
        await performCaseAction(
          app,
          worker,
          caseId,
          'follow-up',
          {
            method: random.chance(0.5) ? 'phone' : 'visit',
            rating: rating === 'unsatisfied' ? 'basically_satisfied' : rating,
          },
          step(2, 30),
        );
      }
      recentOpen.splice(recentOpen.indexOf(caseId), 1);
    }
  }
  return created;
}
