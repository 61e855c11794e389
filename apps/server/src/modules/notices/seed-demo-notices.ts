import type { CreateNotice } from '@minqing/contract';
import type { App } from '../../app.ts';
import { loadActor } from '../people/sessions.ts';
import { createNotice } from './create-notice.ts';
import { publishNotice } from './transition-notice.ts';

interface DemoUnit {
  unit: { id: string; name: string };
  adminId: string;
}

/** What the demo's committees have announced, by unit name; a street's office speaks to all its villages. */
const NOTICES: Record<string, Omit<CreateNotice, 'unitId'>[]> = {
  新山村: [
    {
      title: '停水通知：本周六上午村东片区停水',
      body: '各位村民：\n因村东供水管网改造，本周六 8:00–12:00 村东片区（一组至三组）暂停供水，请提前储水。\n如有特殊困难，请联系村委会或本组网格员。\n\n新山村村民委员会',
      category: 'urgent',
      isPinned: true,
    },
    {
      title: '三月村务财务公开已上墙，可在“村账公开”查看',
      body: '本村三月份收支、资产和合同情况已经民主理财小组审核并公开。\n村民可在手机上打开“村账公开”逐笔查看凭证和附件，也可到村委会公开栏查看。有疑问请在公开期内向民主理财小组反映。',
      category: 'notice',
      isPinned: false,
    },
  ],
  深田社区: [
    {
      title: '议事会通知：小区加装电梯方案协商',
      body: '各位居民：\n社区“有事好商量”议事会定于本周四 19:30 在社区党群服务中心二楼召开，协商 3 栋、5 栋加装电梯的费用分摊方案。\n欢迎相关楼栋居民参加，也可提前把意见交给楼栋长。',
      category: 'activity',
      isPinned: true,
    },
    {
      title: '65 岁以上老人免费体检预约',
      body: '社区卫生服务站为辖区 65 周岁以上常住老人提供免费体检。\n请携带身份证和医保卡，于工作日上午 8:00–10:00 空腹到站，或拨打服务站电话预约上门。',
      category: 'guide',
      isPinned: false,
    },
  ],
};

const STREET_NOTICE: Omit<CreateNotice, 'unitId'> = {
  title: '流感疫苗接种安排',
  body: '辖区居民可在社区卫生服务中心接种流感疫苗，60 岁以上老人和中小学生免费。\n接种时间：工作日 8:30–11:30、14:00–16:30。请携带身份证，接种后留观 30 分钟。',
  category: 'notice',
  isPinned: false,
};

/**
 * The demo street's notices, written and published by each unit's admin through the use-cases (so the
 * journal has their chains): one for each street, and a few for 新山村 and 深田社区.
 */
export async function seedDemoNotices(
  app: App,
  streets: readonly (DemoUnit & { communities: readonly DemoUnit[] })[],
): Promise<number> {
  let count = 0;
  const publish = async (by: DemoUnit, notice: Omit<CreateNotice, 'unitId'>) => {
    const actor = await loadActor(app.db, by.adminId);
    if (!actor) return;
    const draft = await createNotice(app.db, actor, { ...notice, unitId: by.unit.id });
    await publishNotice(app.db, actor, draft.id, { expectedVersion: draft.version });
    count++;
  };
  for (const street of streets) {
    await publish(street, STREET_NOTICE);
    for (const community of street.communities) {
      for (const notice of NOTICES[community.unit.name] ?? []) await publish(community, notice);
    }
  }
  return count;
}
