import type { Capability } from '@minqing/contract';
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

/**
 * The console's pages and menu in one table. A capability adds its pages with one entry here (the
 * finance books add theirs under apps/web/src/console/finance/): the shell draws the menu, checks
 * the capability and matches the path. Whether an action is allowed on a record is still answered
 * by that record's allowedActions; the capability only decides whether a menu entry is shown.
 */
export interface ConsoleRoute {
  /** '/console/cases/:id' — ':name' parts become props.params. */
  path: string;
  /** Shown in the side menu under its group; pages without a label are reached by links. */
  menu?: { zh: string; en: string };
  group?: 'work' | 'admin' | 'finance';
  /** Shown to people holding any of these capabilities (absent: every staff member). */
  capability?: Capability | readonly Capability[];
  page: LazyExoticComponent<ComponentType<{ params: Record<string, string> }>> & { preload?: () => unknown };
}

/**
 * A page loaded on first use, which can also be fetched ahead: the shell starts loading the page the
 * address names while it is still asking the server who is signed in, instead of one after the other.
 */
export function lazyPage(
  load: () => Promise<{ default: ComponentType<{ params: Record<string, string> }> }>,
): ConsoleRoute['page'] {
  return Object.assign(lazy(load), { preload: load });
}

export const MENU_GROUPS = {
  work: { zh: '事件办理', en: 'Cases' },
  admin: { zh: '系统管理', en: 'Administration' },
  finance: { zh: '三资与财务', en: 'Collective finances' },
} as const;

export const consoleRoutes: ConsoleRoute[] = [
  {
    path: '/console',
    menu: { zh: '工作台', en: 'Workbench' },
    group: 'work',
    page: lazyPage(() => import('./workbench/WorkbenchPage.tsx')),
  },
  { path: '/console/cases/:id', page: lazyPage(() => import('./case/CasePage.tsx')) },
  {
    path: '/console/figures',
    menu: { zh: '绩效指标', en: 'Figures' },
    group: 'work',
    capability: ['figures.view', 'case.view_area'],
    page: lazyPage(() => import('./figures/FiguresPage.tsx')),
  },
  {
    path: '/console/admin/areas',
    menu: { zh: '区域与网格', en: 'Areas and grids' },
    group: 'admin',
    capability: ['area.manage', 'case.view_area'],
    page: lazyPage(() => import('./admin/AreasPage.tsx')),
  },
  {
    path: '/console/admin/organisations',
    menu: { zh: '组织与队伍', en: 'Organisations' },
    group: 'admin',
    capability: ['area.manage', 'case.accept', 'user.manage'],
    page: lazyPage(() => import('./admin/OrganisationsPage.tsx')),
  },
  {
    path: '/console/admin/people',
    menu: { zh: '人员与角色', en: 'People and roles' },
    group: 'admin',
    capability: ['user.view', 'user.manage'],
    page: lazyPage(() => import('./admin/PeoplePage.tsx')),
  },
  {
    path: '/console/admin/residents',
    menu: { zh: '居民账号', en: 'Resident accounts' },
    group: 'admin',
    capability: ['user.view', 'user.manage'],
    page: lazyPage(() => import('./admin/ResidentsPage.tsx')),
  },
  {
    path: '/console/admin/categories',
    menu: { zh: '事件分类与时限', en: 'Categories' },
    group: 'admin',
    capability: ['area.manage', 'routing.manage'],
    page: lazyPage(() => import('./admin/CategoriesPage.tsx')),
  },
  {
    path: '/console/admin/routing',
    menu: { zh: '分拨规则', en: 'Routing rules' },
    group: 'admin',
    capability: 'routing.manage',
    page: lazyPage(() => import('./admin/RoutingPage.tsx')),
  },
  {
    path: '/console/admin/calendar',
    menu: { zh: '工作日历', en: 'Working calendar' },
    group: 'admin',
    capability: ['area.manage', 'routing.manage'],
    page: lazyPage(() => import('./admin/CalendarPage.tsx')),
  },
  {
    path: '/console/admin/notification-templates',
    menu: { zh: '通知模板', en: 'Notification templates' },
    group: 'admin',
    capability: ['area.manage', 'routing.manage'],
    page: lazyPage(() => import('./admin/NotificationTemplatesPage.tsx')),
  },
  {
    path: '/console/admin/notices',
    menu: { zh: '公告管理', en: 'Notices' },
    group: 'admin',
    capability: 'notice.publish',
    page: lazyPage(() => import('./admin/NoticesPage.tsx')),
  },
  {
    path: '/console/admin/public-reports',
    menu: { zh: '公众上报设置', en: 'Public reports' },
    group: 'admin',
    capability: ['area.manage', 'routing.manage'],
    page: lazyPage(() => import('./admin/PublicReportsPage.tsx')),
  },
  {
    path: '/console/admin/journal',
    menu: { zh: '存证日志', en: 'Journal' },
    group: 'admin',
    capability: ['journal.verify', 'security_log.view'],
    page: lazyPage(() => import('./admin/JournalPage.tsx')),
  },
  {
    path: '/console/finance',
    menu: { zh: '账簿与公开', en: 'Books and disclosures' },
    group: 'finance',
    capability: ['finance.keep_books', 'finance.review', 'finance.publish'],
    page: lazyPage(() => import('./finance/FinancePage.tsx')),
  },
];
