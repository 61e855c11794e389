import { mkdirSync } from 'node:fs';
import type { Notice } from '@minqing/contract';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { SESSION_COOKIE } from '../apps/server/src/modules/people/sessions.ts';
import { buildCommunity, type TestCommunity, type TestUser } from '../apps/server/test/factories.ts';
import type { Client } from '../apps/server/test/harness.ts';
import { launchChromium, seriousA11yViolations, startWebServer } from './harness.ts';
import { noSeriousViolations, phone, SCREENSHOTS, shot } from './phone-fixtures.ts';

function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 30_000, interval: 100 });
}

async function publish(client: Client, body: Record<string, unknown>): Promise<Notice> {
  const draft = await client.post<Notice>('/api/notices', body);
  expect(draft.status).toBe(201);
  const published = await client.post<Notice>(`/api/notices/${draft.body.id}/publish`, {
    expectedVersion: draft.body.version,
  });
  expect(published.status).toBe(200);
  return published.body;
}

/**
 * 社区公告 on the phone (/m/notices) at 390×844 in WeChat's browser, and 公告管理 in the console at
 * 1440×900: a resident opens the home screen, taps 公告, reads the community's and the street's notices
 * (pinned and urgent first) and opens one; a visitor of another community sees the empty state; the
 * community admin writes and publishes a notice in the console and the resident's list shows it.
 */
describe('phone notices /m/notices', { timeout: 300_000 }, () => {
  let app: App;
  let url: string;
  let browser: Browser;
  let c: TestCommunity;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
    c = await buildCommunity(app);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  async function residentPhone(user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
    const context = await phone(browser, url);
    const token = user.client.cookie!.split('=')[1]!;
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url }]);
    return { context, page: await context.newPage() };
  }

  test('a resident taps 公告 on the home screen, reads the list and opens a notice; offline the kept copy shows', async () => {
    await publish(c.people.streetAdmin.client, {
      unitId: c.street.id,
      title: '流感疫苗接种安排',
      body: '辖区居民可在社区卫生服务中心接种流感疫苗。\n请携带身份证。',
      category: 'notice',
    });
    const water = await publish(c.people.communityAdmin.client, {
      unitId: c.community.id,
      title: '停水通知：本周六上午停水',
      body: '各位居民：\n因管网改造，本周六 8:00–12:00 停水，请提前储水。\n\n测试社区居委会',
      category: 'urgent',
    });
    const council = await publish(c.people.communityAdmin.client, {
      unitId: c.community.id,
      title: '议事会通知：加装电梯协商',
      body: '本周四 19:30 在党群服务中心二楼召开议事会。',
      category: 'activity',
      isPinned: true,
    });
    // A draft is not shown.
    const draft = await c.people.communityAdmin.client.post<Notice>('/api/notices', {
      unitId: c.community.id,
      title: '尚未发布的草稿',
      body: '草稿',
      category: 'notice',
    });
    expect(draft.status).toBe(201);

    const { context, page } = await residentPhone(c.people.resident);
    await page.goto('/m');
    await page.getByRole('button', { name: '公告' }).click();
    await page.waitForURL(/\/m\/notices/);
    const titles = page.locator('.mn-item-title');
    await eventually(() => titles.allTextContents()).toEqual([
      council.title,
      water.title,
      '流感疫苗接种安排',
    ]);
    await expect(page.textContent('.mn-area')).resolves.toContain('测试社区');
    await noSeriousViolations(page);
    await shot(page, 'phone-notices');

    await page.getByText(water.title).click();
    await page.waitForSelector('.mn-detail h2');
    expect(await page.textContent('.mn-detail h2')).toBe(water.title);
    const body = await page.locator('.mn-body').innerText();
    expect(body).toContain('请提前储水。\n\n测试社区居委会');
    await noSeriousViolations(page);
    await shot(page, 'phone-notice-detail');

    // Without a network, the list kept on the phone still opens a notice.
    await page.getByRole('button', { name: '返回' }).click();
    await page.waitForSelector('.mn-item-title');
    await context.setOffline(true);
    await page.getByText(council.title).click();
    await page.waitForSelector('.mn-detail h2');
    expect(await page.textContent('.mn-detail h2')).toBe(council.title);
    await context.setOffline(false);

    // English on request.
    await page.goto('/m/home');
    await page.getByRole('button', { name: /switch to English/ }).click();
    await page.goto('/m/notices');
    await page.waitForSelector('.mn-item-title');
    await eventually(() => page.textContent('.m-bar-title')).toBe('Notices');
    await expect(page.textContent('.mn-tags')).resolves.toContain('Pinned');
    await shot(page, 'phone-notices-en');
    await context.close();
  });

  test('a visitor of a community without notices is told what will appear there', async () => {
    const quiet = await buildCommunity(app);
    const context = await phone(browser, url);
    const page = await context.newPage();
    // The street publishes nothing either; the community chosen from the area list is in the address.
    await page.goto(`/m/notices?unit=${quiet.community.id}`);
    await page.waitForSelector('.mn-empty');
    expect(await page.textContent('.mn-empty')).toContain('目前没有公告');
    await noSeriousViolations(page);
    await shot(page, 'phone-notices-empty');
    await context.close();
  });

  test('the community admin writes and publishes a notice in 公告管理, and it appears on the phone', async () => {
    const context = await browser.newContext({
      baseURL: url,
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      bypassCSP: true,
    });
    const [name, value] = c.people.communityAdmin.client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
    const page = await context.newPage();
    await page.goto('/console');
    await page.getByRole('menuitem', { name: '公告管理' }).click();
    await page.waitForURL(/\/console\/admin\/notices/);
    await page.getByRole('button', { name: '写公告' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('标题').fill('长'.repeat(61));
    // Checked as one types, in the contract's words.
    await eventually(() => dialog.getByText('标题最多 60 个字').count()).toBe(1);
    await dialog.getByLabel('标题').fill('疫苗接种：周六上午社区服务站');
    await dialog.getByText('活动', { exact: true }).click();
    await dialog
      .getByLabel('正文')
      .fill('本周六 8:30–11:30，社区卫生服务站为 60 岁以上老人免费接种。\n请携带身份证。');
    await eventually(() => dialog.getByRole('region', { name: '预览' }).innerText()).toContain(
      '请携带身份证',
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-notices-editor.png` });
    await dialog.getByRole('button', { name: '保存并发布' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await eventually(() => page.getByRole('cell', { name: /疫苗接种：周六上午社区服务站/ }).count()).toBe(1);
    await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning'));
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}console-notices.png` });

    // The resident's list shows it.
    const { context: phoneCtx, page: phonePage } = await residentPhone(c.people.resident);
    await phonePage.goto('/m/notices');
    await eventually(() => phonePage.locator('.mn-item-title').allTextContents()).toContain(
      '疫苗接种：周六上午社区服务站',
    );

    // Withdrawing it takes it off the phone's list after a refresh.
    const row = page.getByRole('row', { name: /疫苗接种：周六上午社区服务站/ });
    // The list shows the published notice (the version the withdrawal must name) before it is withdrawn.
    await eventually(() => row.getByText('已发布').count()).toBe(1);
    await row.getByRole('button', { name: '撤回' }).click();
    // antd spaces out a two-character button label (撤 回).
    const confirm = page.getByRole('dialog');
    await confirm.waitFor();
    // A click while antd's dialog still zooms in can land beside the moving button.
    await page.waitForFunction(
      () => !document.querySelector('[class*="ant-zoom-appear"], [class*="ant-zoom-enter"]'),
    );
    await confirm.getByRole('button', { name: /^撤\s?回$/ }).click();
    await confirm.waitFor({ state: 'hidden' });
    await eventually(() => row.getByText('已撤回').count()).toBe(1);
    await phonePage.reload();
    await phonePage.waitForSelector('.mn-item-title, .mn-empty');
    expect(await phonePage.locator('.mn-item-title').allTextContents()).not.toContain(
      '疫苗接种：周六上午社区服务站',
    );
    await phoneCtx.close();
    await context.close();
  });
});
