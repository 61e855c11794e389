import type { Case, CasePage, Schedule } from '@minqing/contract';
import { Badge, Button, Card, ErrorBlock, List, SpinLoading, Tag } from 'antd-mobile';
import {
  BellOutline,
  CameraOutline,
  EnvironmentOutline,
  FileOutline,
  SoundOutline,
  UnorderedListOutline,
  UserOutline,
} from 'antd-mobile-icons';
import { useEffect, useState, type ReactNode } from 'react';
import { api } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { OutboxList } from '../components/OutboxList.tsx';
import { readActivePatrol } from '../patrol/patrol-state.ts';
import { navigate } from '../router.ts';
import { isGridWorker, useSession } from '../session.ts';
import { formatTime, STATE_HINTS } from '../text.ts';
import { useUnreadCount } from './Notifications.tsx';

function LanguageSwitch() {
  const [language, setLanguage] = useLanguage();
  return (
    <button
      type="button"
      className="m-lang"
      onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}
      aria-label={language === 'zh' ? 'EN: switch to English' : '中文：切换到中文'}
    >
      {language === 'zh' ? 'EN' : '中文'}
    </button>
  );
}

function Tile(props: { icon: ReactNode; label: string; onClick: () => void; badge?: number }) {
  return (
    <button type="button" className="m-tile" onClick={props.onClick}>
      <Badge content={props.badge ? props.badge : null}>
        <span className="m-tile-icon" aria-hidden="true">
          {props.icon}
        </span>
      </Badge>
      <span>{props.label}</span>
    </button>
  );
}

/** /m/home — residents: report, my reports, notifications, the map; grid workers: today's work. */
export default function HomePage() {
  const { me, loading } = useSession();
  if (loading && !me)
    return (
      <div className="m-loading" role="status">
        <SpinLoading />
      </div>
    );
  if (!me) return <PublicHome />;
  if (isGridWorker(me)) return <Today />;
  return <ResidentHome />;
}

function PublicHome() {
  const t = useT();
  return (
    <div className="m-scroll">
      <header className="m-hero">
        <LanguageSwitch />
        <h1>{t('民情 · 随手拍', 'Minqing')}</h1>
        <p>
          {t(
            '身边的问题，拍一拍就能报给社区；处理进展看得见。',
            'Report a problem around you in a minute, and see it dealt with.',
          )}
        </p>
      </header>
      <div className="m-actions">
        <Button block color="primary" size="large" onClick={() => navigate('/m/login?next=/m/report')}>
          {t('登录后上报问题', 'Sign in to report')}
        </Button>
        <Button block size="large" onClick={() => navigate('/m/map')}>
          {t('看看民情地图', 'See the live map')}
        </Button>
        <Button block size="large" onClick={() => navigate('/m/notices')}>
          <SoundOutline aria-hidden="true" /> {t('社区公告', 'Community notices')}
        </Button>
      </div>
    </div>
  );
}

function ResidentHome() {
  const t = useT();
  const [language] = useLanguage();
  const { me } = useSession();
  const unread = useUnreadCount(true);
  const [recent, setRecent] = useState<Case[] | null>(null);
  useEffect(() => {
    api
      .get<CasePage>('/api/cases?mine=reported&limit=3')
      .then((page) => setRecent(page.items))
      .catch(() => setRecent([]));
  }, []);
  return (
    <div className="m-scroll">
      <header className="m-hero">
        <LanguageSwitch />
        <h1>{t(`您好，${me!.displayName}`, `Hello, ${me!.displayName}`)}</h1>
        <p>{me!.homeUnit?.name ?? ''}</p>
      </header>
      <div className="m-report-cta">
        <button type="button" className="m-big-button" onClick={() => navigate('/m/report')}>
          <CameraOutline fontSize={36} aria-hidden="true" />
          <span>{t('随手拍 · 我要上报', 'Report a problem')}</span>
        </button>
      </div>
      <nav className="m-tiles" aria-label={t('常用功能', 'Shortcuts')}>
        <Tile
          icon={<UnorderedListOutline />}
          label={t('我的上报', 'My reports')}
          onClick={() => navigate('/m/mine')}
        />
        <Tile
          icon={<BellOutline />}
          label={t('消息通知', 'Notifications')}
          badge={unread}
          onClick={() => navigate('/m/notifications')}
        />
        <Tile
          icon={<EnvironmentOutline />}
          label={t('民情地图', 'Live map')}
          onClick={() => navigate(me!.homeUnit ? `/m/map?unit=${me!.homeUnit.id}` : '/m/map')}
        />
        <Tile
          icon={<SoundOutline />}
          label={t('公告', 'Notices')}
          onClick={() => navigate(me!.homeUnit ? `/m/notices?unit=${me!.homeUnit.id}` : '/m/notices')}
        />
        <Tile icon={<UserOutline />} label={t('我的', 'Me')} onClick={() => navigate('/m/me')} />
      </nav>
      <OutboxList />
      <Card className="m-card" title={t('最近上报', 'Recent reports')}>
        {recent === null ? (
          <SpinLoading />
        ) : recent.length === 0 ? (
          <p className="m-muted">
            {t(
              '还没有上报过问题。发现身边的问题，点上面的按钮就能上报。',
              'Nothing reported yet. Tap the button above when you see a problem.',
            )}
          </p>
        ) : (
          <List>
            {recent.map((item) => (
              <List.Item
                key={item.id}
                arrowIcon
                onClick={() => navigate(`/m/cases/${item.id}`)}
                description={STATE_HINTS[item.state][language]}
                extra={<Tag color="primary">{pick(item.stateName, language)}</Tag>}
              >
                {pick(item.category.name, language)}
              </List.Item>
            ))}
          </List>
        )}
      </Card>
    </div>
  );
}

interface WorkItem {
  item: Case;
  why: { zh: string; en: string };
}

function byUrgency(a: WorkItem, b: WorkItem): number {
  if (a.item.isOverdue !== b.item.isOverdue) return a.item.isOverdue ? -1 : 1;
  return (a.item.dueAt ?? '9999').localeCompare(b.item.dueAt ?? '9999');
}

const SHIFT_STATUS: Record<string, { zh: string; en: string; color: string }> = {
  done: { zh: '已完成', en: 'Done', color: 'success' },
  in_progress: { zh: '巡查中', en: 'Under way', color: 'primary' },
  open: { zh: '待巡查', en: 'Due now', color: 'warning' },
  upcoming: { zh: '未开始', en: 'Later', color: 'default' },
  missed: { zh: '漏巡', en: 'Missed', color: 'danger' },
};

/** Today for a grid worker: patrols scheduled, cases assigned, checks and follow-ups due — overdue first. */
function Today() {
  const t = useT();
  const [language] = useLanguage();
  const { me } = useSession();
  const unread = useUnreadCount(true);
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [work, setWork] = useState<WorkItem[] | null>(null);
  const [failed, setFailed] = useState(false);
  const active = readActivePatrol();
  useEffect(() => {
    api
      .get<Schedule>('/api/patrols/schedule')
      .then(setSchedule)
      .catch(() => setFailed(true));
    Promise.all([
      api.get<CasePage>('/api/cases?mine=assigned&state=dispatched,in_progress&limit=100'),
      api.get<CasePage>('/api/cases?state=handled,follow_up,reported&limit=200'),
    ])
      .then(([assigned, open]) => {
        const items: WorkItem[] = assigned.items.map((item) => ({
          item,
          why: { zh: '派给我处置', en: 'Assigned to me' },
        }));
        for (const item of open.items) {
          if (items.some((w) => w.item.id === item.id)) continue;
          if (item.allowedActions.includes('verify'))
            items.push({ item, why: { zh: '待核查', en: 'To check on site' } });
          else if (item.allowedActions.includes('follow-up'))
            items.push({ item, why: { zh: '待回访', en: 'Follow-up due' } });
        }
        setWork(items.sort(byUrgency));
      })
      .catch(() => setFailed(true));
  }, []);

  const shifts = schedule?.grids.flatMap((g) => g.shifts.map((s) => ({ ...s, grid: g.grid }))) ?? [];
  shifts.sort((a, b) =>
    a.status === 'open' ? -1 : b.status === 'open' ? 1 : a.start.localeCompare(b.start),
  );
  return (
    <div className="m-scroll">
      <header className="m-hero">
        <LanguageSwitch />
        <h1>{t('今日工作', 'Today')}</h1>
        <p>
          {me!.displayName} ·{' '}
          {me!.roles
            .filter((r) => r.role === 'grid_worker')
            .map((r) => r.unit.name)
            .join('、')}
        </p>
      </header>
      <nav className="m-tiles" aria-label={t('常用功能', 'Shortcuts')}>
        <Tile
          icon={<EnvironmentOutline />}
          label={active ? t('继续巡查', 'Patrol') : t('开始巡查', 'Patrol')}
          onClick={() => navigate('/m/patrol')}
        />
        <Tile
          icon={<CameraOutline />}
          label={t('上报问题', 'Report')}
          onClick={() => navigate('/m/report')}
        />
        <Tile
          icon={<BellOutline />}
          label={t('消息', 'Messages')}
          badge={unread}
          onClick={() => navigate('/m/notifications')}
        />
        <Tile icon={<FileOutline />} label={t('民情地图', 'Live map')} onClick={() => navigate('/m/map')} />
      </nav>
      <OutboxList />
      {failed && (
        <p className="m-banner">
          {t('网络不可用，部分内容未能加载', 'Offline: some of today could not be loaded')}
        </p>
      )}
      <Card className="m-card" title={t('今日巡查', 'Patrols today')}>
        {schedule === null ? (
          <SpinLoading />
        ) : shifts.length === 0 ? (
          <p className="m-muted">{t('今天没有排定的巡查。', 'No patrol is planned today.')}</p>
        ) : (
          <List>
            {shifts.map((shift) => (
              <List.Item
                key={`${shift.planId}-${shift.start}`}
                description={shift.grid.name}
                extra={
                  <Tag color={SHIFT_STATUS[shift.status]!.color}>
                    {pick(SHIFT_STATUS[shift.status]!, language)}
                  </Tag>
                }
                onClick={shift.status === 'open' ? () => navigate('/m/patrol') : undefined}
              >
                {formatTime(shift.start, language).split(' ').at(-1)}–
                {formatTime(shift.end, language).split(' ').at(-1)}
              </List.Item>
            ))}
          </List>
        )}
      </Card>
      <Card className="m-card" title={t('待办事项', 'To do')}>
        {work === null ? (
          <SpinLoading />
        ) : work.length === 0 ? (
          <ErrorBlock
            status="empty"
            title={t('暂无待办', 'Nothing to do')}
            description={t(
              '派给您的问题、待核查和待回访的都会列在这里',
              'Assigned cases, checks and follow-ups appear here',
            )}
          />
        ) : (
          <List data-testid="today-work">
            {work.map(({ item, why }) => (
              <List.Item
                key={item.id}
                arrowIcon
                onClick={() => navigate(`/m/cases/${item.id}`)}
                description={`${item.code} · ${item.gridName ?? ''}`}
                extra={
                  <Tag color={item.isOverdue ? 'danger' : 'primary'}>
                    {item.isOverdue ? t('已超期', 'Overdue') : pick(why, language)}
                  </Tag>
                }
              >
                {pick(item.category.name, language)}：{item.description.slice(0, 18)}
              </List.Item>
            ))}
          </List>
        )}
      </Card>
    </div>
  );
}
