import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { consoleRoutes, MENU_GROUPS } from '../routes.tsx';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { matchPath, navigate, useLocation } from './router.ts';
import { hasCapability, useSession } from './session.tsx';

/** The frame around every page: the menu from the route table, who is signed in, the language. */
export function ConsoleLayout({ children }: { children: ReactNode }) {
  const { me, signOut } = useSession();
  const [language] = useLanguage();
  const t = useT();
  const { pathname } = useLocation();
  const visible = consoleRoutes.filter((route) => route.menu && hasCapability(me, route.capability));
  const groups = (Object.keys(MENU_GROUPS) as (keyof typeof MENU_GROUPS)[])
    .map((group) => ({
      type: 'group' as const,
      key: group,
      label: pick(MENU_GROUPS[group], language),
      children: visible
        .filter((route) => (route.group ?? 'work') === group)
        .map((route) => ({ key: route.path, label: pick(route.menu!, language) })),
    }))
    .filter((group) => group.children.length > 0);
  const selected =
    visible.find((route) => route.path !== '/console' && pathname.startsWith(route.path))?.path ??
    (matchPath('/console/cases/:id', pathname) || pathname === '/console' ? '/console' : '');
  const roles = [...new Set(me.roles.map((role) => `${pick(role.roleName, language)} · ${role.unit.name}`))];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        width={200}
        theme="light"
        breakpoint="lg"
        collapsedWidth={0}
        style={{ borderRight: '1px solid #e5e7eb' }}
      >
        <div style={{ padding: '16px 20px', fontWeight: 600, fontSize: 17 }}>
          <a
            href="/console"
            onClick={(e) => {
              e.preventDefault();
              navigate('/console');
            }}
            style={{ color: '#1d4ed8' }}
          >
            {t('民情 · 工作台', 'minqing console')}
          </a>
        </div>
        <nav aria-label={t('主菜单', 'Main menu')}>
          <Menu
            mode="inline"
            selectedKeys={[selected]}
            items={groups}
            onClick={({ key }) => navigate(key)}
            style={{ borderInlineEnd: 'none' }}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            borderBottom: '1px solid #e5e7eb',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'flex-end',
            gap: 16,
            paddingInline: 24,
            height: 56,
          }}
        >
          <Space size={4} wrap style={{ flex: 1, overflow: 'hidden', height: 56, alignItems: 'center' }}>
            {roles.slice(0, 3).map((role) => (
              <Tag key={role} color="blue">
                {role}
              </Tag>
            ))}
          </Space>
          <Typography.Text strong>{me.displayName}</Typography.Text>
          <LanguageSwitch />
          <Button size="small" onClick={() => void signOut()}>
            {t('退出', 'Sign out')}
          </Button>
        </Layout.Header>
        <Layout.Content style={{ padding: 20, background: '#f5f7fb' }}>
          <main>{children}</main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
