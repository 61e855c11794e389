import { SpinLoading, TabBar, unstableSetRender } from 'antd-mobile';
import { AppOutline, CameraOutline, EnvironmentOutline, FlagOutline, UserOutline } from 'antd-mobile-icons';
import { lazy, StrictMode, Suspense, useEffect, useState, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { useT } from '../shared/i18n.ts';
import { flush } from './offline/outbox.ts';
import { navigate, usePath } from './router.ts';
import { isGridWorker, useSession } from './session.ts';
import './mobile.css';

export { navigate, usePath } from './router.ts';

// antd-mobile's Toast and Dialog render outside the tree: tell it how, the React 19 way.
unstableSetRender((node, container) => {
  const element = container as Element & { _mqRoot?: Root };
  element._mqRoot ??= createRoot(element);
  element._mqRoot.render(node);
  return async () => {
    await Promise.resolve();
    element._mqRoot?.unmount();
    delete element._mqRoot;
  };
});

// Each page is its own chunk: the first screen loads only what it shows.
const pages = {
  home: () => import('./pages/Home.tsx'),
  map: () => import('./map/MapPage.tsx'),
  report: () => import('./pages/Report.tsx'),
  mine: () => import('./pages/MyReports.tsx'),
  case: () => import('./pages/CaseDetail.tsx'),
  notifications: () => import('./pages/Notifications.tsx'),
  notices: () => import('./notices/NoticesPage.tsx'),
  notice: () => import('./notices/NoticeDetail.tsx'),
  patrol: () => import('./patrol/PatrolPage.tsx'),
  me: () => import('./pages/MePage.tsx'),
  login: () => import('./pages/SignIn.tsx'),
};
// The page the address names starts loading now, beside /api/me, not after it.
const FIRST: Record<string, keyof typeof pages> = {
  '/m/report': 'report',
  '/m/mine': 'mine',
  '/m/notifications': 'notifications',
  '/m/notices': 'notices',
  '/m/patrol': 'patrol',
  '/m/me': 'me',
  '/m/login': 'login',
};
const first = location.pathname.startsWith('/m/cases/')
  ? 'case'
  : location.pathname.startsWith('/m/notices/')
    ? 'notice'
    : location.pathname.startsWith('/m/map')
      ? 'map'
      : (FIRST[location.pathname] ?? 'home');
void pages[first]().catch(() => undefined);

const HomePage = lazy(pages.home);
const MapPage = lazy(pages.map);
const ReportPage = lazy(pages.report);
const MyReportsPage = lazy(pages.mine);
const CaseDetailPage = lazy(pages.case);
const NotificationsPage = lazy(pages.notifications);
const NoticesPage = lazy(pages.notices);
const NoticeDetailPage = lazy(pages.notice);
const PatrolPage = lazy(pages.patrol);
const MePage = lazy(pages.me);
const SignInPage = lazy(pages.login);

interface Tab {
  path: string;
  zh: string;
  en: string;
  icon: ReactNode;
}

const HOME: Tab = { path: '/m/home', zh: '首页', en: 'Home', icon: <AppOutline /> };
const TODAY: Tab = { path: '/m/home', zh: '今日', en: 'Today', icon: <AppOutline /> };
const MAP: Tab = { path: '/m/map', zh: '民情地图', en: 'Live map', icon: <EnvironmentOutline /> };
const REPORT: Tab = { path: '/m/report', zh: '上报', en: 'Report', icon: <CameraOutline /> };
const PATROL: Tab = { path: '/m/patrol', zh: '巡查', en: 'Patrol', icon: <FlagOutline /> };
const ME: Tab = { path: '/m/me', zh: '我的', en: 'Me', icon: <UserOutline /> };

function Loading() {
  const t = useT();
  return (
    <div className="m-loading" role="status">
      <SpinLoading color="primary" />
      <span>{t('加载中…', 'Loading…')}</span>
    </div>
  );
}

function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** Pages that need a signed-in person send others to sign in first, and back afterwards. */
function SignedIn(props: { children: ReactNode }) {
  const { me, loading } = useSession();
  const path = usePath();
  useEffect(() => {
    if (!loading && !me)
      navigate(`/m/login?next=${encodeURIComponent(path + location.search)}`, { replace: true });
  }, [loading, me, path]);
  return me ? <>{props.children}</> : <Loading />;
}

function Shell() {
  const path = usePath();
  const t = useT();
  const online = useOnline();
  const { me } = useSession();
  useEffect(() => {
    if (path === '/m' || path === '/m/') navigate('/m/home', { replace: true });
  }, [path]);
  useEffect(() => {
    if (me) void flush();
  }, [me]);

  const tabs = !me ? [HOME, MAP, ME] : isGridWorker(me) ? [TODAY, PATROL, MAP, ME] : [HOME, MAP, REPORT, ME];
  const active = tabs.find((tab) => path === tab.path || path.startsWith(`${tab.path}/`));
  const caseId = /^\/m\/cases\/([0-9a-f-]{36})$/i.exec(path)?.[1];
  const noticeId = /^\/m\/notices\/([0-9a-f-]{36})$/i.exec(path)?.[1];
  let page: ReactNode;
  if (path.startsWith('/m/map')) page = <MapPage />;
  else if (path === '/m/home' || path === '/m' || path === '/m/') page = <HomePage />;
  else if (path === '/m/login') page = <SignInPage />;
  // 社区公告 are public: no sign-in.
  else if (path === '/m/notices') page = <NoticesPage />;
  else if (noticeId) page = <NoticeDetailPage id={noticeId} />;
  else if (path === '/m/report')
    page = (
      <SignedIn>
        <ReportPage />
      </SignedIn>
    );
  else if (path === '/m/mine')
    page = (
      <SignedIn>
        <MyReportsPage />
      </SignedIn>
    );
  else if (caseId)
    page = (
      <SignedIn>
        <CaseDetailPage id={caseId} />
      </SignedIn>
    );
  else if (path === '/m/notifications')
    page = (
      <SignedIn>
        <NotificationsPage />
      </SignedIn>
    );
  else if (path === '/m/patrol')
    page = (
      <SignedIn>
        <PatrolPage />
      </SignedIn>
    );
  else if (path === '/m/me') page = <MePage />;
  else
    page = (
      <div className="m-not-found" role="alert">
        <p>{t('没有这个页面。', 'There is no such page.')}</p>
        <a href="/m/home">{t('回到首页', 'Go to the home page')}</a>
      </div>
    );
  return (
    <div className="m-shell">
      {!online && (
        <div className="m-offline" role="status">
          {t(
            '离线模式：填写的内容会保存在手机上，联网后自动发送',
            'Offline: what you fill in is kept on this phone and sent when online',
          )}
        </div>
      )}
      <main className="m-page">
        <Suspense fallback={<Loading />}>{page}</Suspense>
      </main>
      {path !== '/m/login' && (
        <nav className="m-tabbar" aria-label={t('主导航', 'Main navigation')}>
          <TabBar activeKey={active?.path ?? null} onChange={(key) => navigate(key)} safeArea>
            {tabs.map((tab) => (
              <TabBar.Item key={tab.path} icon={tab.icon} title={t(tab.zh, tab.en)} />
            ))}
          </TabBar>
        </nav>
      )}
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Shell />
  </StrictMode>,
);

// Installable and usable offline: the service worker keeps the site; once the first screen is up,
// the other pages are fetched in the background so that they open without a network too.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  // After the first screen is up (and out of its way on a slow network): the worker, then the rest.
  window.addEventListener('load', () => {
    setTimeout(() => {
      navigator.serviceWorker.register('/m/sw.js', { scope: '/m' }).catch(() => undefined);
      const warm = () => Object.values(pages).forEach((load) => void load().catch(() => undefined));
      // …and the other pages a while later, when the first one has had the network to itself.
      setTimeout(() => {
        if ('requestIdleCallback' in window) requestIdleCallback(warm, { timeout: 5000 });
        else warm();
      }, 6000);
    }, 3000);
  });
}
