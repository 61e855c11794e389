import type { Me } from '@minqing/contract';
import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import type { Locale } from 'antd/es/locale/index.js';
import enUSModule from 'antd/es/locale/en_US.js';
import zhCNModule from 'antd/es/locale/zh_CN.js';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { useLanguage } from '../../shared/i18n.ts';
import { consoleRoutes } from '../routes.tsx';
import { ChangePasswordPage } from './ChangePasswordPage.tsx';
import { ConsoleLayout } from './ConsoleLayout.tsx';
import { LoginPage } from './LoginPage.tsx';
import { matchPath, useLocation } from './router.ts';
import { hasCapability, SessionContext, type Session } from './session.tsx';

// antd ships its locales as ES modules without package exports; TypeScript's NodeNext resolution
// types them as CommonJS namespaces, the bundler hands over the default export.
const asLocale = (module: unknown): Locale => ((module as { default?: Locale }).default ?? module) as Locale;
const zhCN = asLocale(zhCNModule);
const enUS = asLocale(enUSModule);

/**
 * antd's default greys (group titles, placeholders, hints), its link blue, its warning and success text
 * and the text of several coloured tags fall below WCAG AA contrast (4.5:1); the console's are darkened
 * (one step down antd's own palettes; the tags' text in console.css) so that every label stays
 * readable at a desk in daylight.
 */
const CONSOLE_THEME = {
  token: {
    colorPrimary: '#1d4ed8',
    colorInfo: '#1d4ed8',
    colorLink: '#1d4ed8',
    borderRadius: 6,
    colorTextDescription: '#4b5563',
    colorTextTertiary: '#4b5563',
    colorTextPlaceholder: '#6b7280',
    colorTextQuaternary: '#6b7280',
    colorWarningText: '#92400e',
    colorSuccessText: '#166534',
    colorErrorText: '#b91c1c',
    colorError: '#c81e1e',
    colorErrorHover: '#991b1b',
    // Hovering darkens (antd lightens, which leaves white on blue below 4.5:1).
    colorPrimaryHover: '#1e40af',
    colorLinkHover: '#1e40af',
  },
};

/** The staff console: sign-in, then the layout and the page the address names. */
export function ConsoleApp() {
  const [language] = useLanguage();
  // Dates (calendars, pickers) in the person's language; weeks start on Monday in Chinese.
  dayjs.locale(language === 'zh' ? 'zh-cn' : 'en');
  return (
    <ConfigProvider locale={language === 'zh' ? zhCN : enUS} theme={CONSOLE_THEME}>
      <AntApp>
        <SignedIn />
      </AntApp>
    </ConfigProvider>
  );
}

// Fetch the code of the page the address names at once, alongside the question who is signed in.
consoleRoutes.find((route) => matchPath(route.path, location.pathname))?.page.preload?.();

function SignedIn() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [failure, setFailure] = useState<ApiError>();
  const [language] = useLanguage();

  const refresh = useCallback(async () => {
    try {
      setMe(await api.get<Me>('/api/me'));
      setFailure(undefined);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setMe(null);
      else setFailure(error as ApiError);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const session = useMemo<Session | null>(
    () =>
      me
        ? {
            me,
            refresh,
            signOut: async () => {
              await api.post('/api/auth/logout').catch(() => undefined);
              setMe(null);
            },
          }
        : null,
    [me, refresh],
  );

  if (failure) {
    return (
      <Result
        status="warning"
        title={language === 'zh' ? '无法连接服务器' : 'Cannot reach the server'}
        subTitle={failure.text()}
      />
    );
  }
  if (me === undefined) return <Spin fullscreen />;
  if (me === null) return <LoginPage onSignedIn={setMe} />;
  if (me.mustChangePassword) return <ChangePasswordPage me={me} onChanged={refresh} />;
  if (me.kind !== 'staff') {
    return (
      <Result
        status="403"
        title={language === 'zh' ? '工作台仅供工作人员使用' : 'The console is for staff'}
        subTitle={language === 'zh' ? '居民请使用手机端：/m' : 'Residents use the phone site: /m'}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      <ConsoleLayout>
        <CurrentPage />
      </ConsoleLayout>
    </SessionContext.Provider>
  );
}

function CurrentPage() {
  const { pathname } = useLocation();
  const [language] = useLanguage();
  for (const route of consoleRoutes) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    const Page = route.page;
    return (
      <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
        <Guarded capability={route.capability}>
          <Page params={params} />
        </Guarded>
      </Suspense>
    );
  }
  return (
    <Result
      status="404"
      title={language === 'zh' ? '没有这个页面' : 'No such page'}
      subTitle={language === 'zh' ? '请从左侧菜单进入。' : 'Use the menu on the left.'}
    />
  );
}

function Guarded({
  capability,
  children,
}: {
  capability: Parameters<typeof hasCapability>[1];
  children: React.ReactNode;
}) {
  const [language] = useLanguage();
  return (
    <SessionContext.Consumer>
      {(session) =>
        session && hasCapability(session.me, capability) ? (
          children
        ) : (
          <Result
            status="403"
            title={language === 'zh' ? '您没有这个页面的权限' : 'You may not open this page'}
            subTitle={
              language === 'zh' ? '如需使用，请联系管理员授予角色。' : 'Ask an administrator for the role.'
            }
          />
        )
      }
    </SessionContext.Consumer>
  );
}
