import { SpinLoading, TabBar, unstableSetRender } from 'antd-mobile';
import { EnvironmentOutline } from 'antd-mobile-icons';
import { lazy, StrictMode, Suspense, useEffect, useSyncExternalStore, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { useT } from '../shared/i18n.ts';
import './mobile.css';

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

const MapPage = lazy(() => import('./map/MapPage.tsx'));

// ---- a small router: the phone site is a handful of pages under /m --------------------------------

const listeners = new Set<() => void>();
window.addEventListener('popstate', () => listeners.forEach((listener) => listener()));

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((listener) => listener());
}

export function usePath(): string {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => location.pathname,
  );
}

/** The bottom bar's tabs: the phone app (issue 4) adds home, report and mine here. */
const TABS: { path: string; zh: string; en: string; icon: ReactNode }[] = [
  { path: '/m/map', zh: '民情地图', en: 'Live map', icon: <EnvironmentOutline /> },
];

function Loading() {
  const t = useT();
  return (
    <div className="m-loading" role="status">
      <SpinLoading color="primary" />
      <span>{t('加载中…', 'Loading…')}</span>
    </div>
  );
}

function Shell() {
  const path = usePath();
  const t = useT();
  useEffect(() => {
    if (path === '/m' || path === '/m/') navigate('/m/map', { replace: true });
  }, [path]);
  const active = TABS.find((tab) => path === tab.path || path.startsWith(`${tab.path}/`));
  let page: ReactNode;
  if (path.startsWith('/m/map')) page = <MapPage />;
  else if (path === '/m' || path === '/m/') page = <Loading />;
  else
    page = (
      <div className="m-not-found" role="alert">
        <p>{t('没有这个页面。', 'There is no such page.')}</p>
        <a href="/m/map">{t('打开民情地图', 'Open the live map')}</a>
      </div>
    );
  return (
    <div className="m-shell">
      <main className="m-page">
        <Suspense fallback={<Loading />}>{page}</Suspense>
      </main>
      <nav className="m-tabbar" aria-label={t('主导航', 'Main navigation')}>
        <TabBar activeKey={active?.path ?? null} onChange={(key) => navigate(key)} safeArea>
          {TABS.map((tab) => (
            <TabBar.Item key={tab.path} icon={tab.icon} title={t(tab.zh, tab.en)} />
          ))}
        </TabBar>
      </nav>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Shell />
  </StrictMode>,
);
