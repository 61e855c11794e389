import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case, CaseDetail, UnitDetail } from '@minqing/contract';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { runSchedulerOnce } from '../apps/server/src/modules/cases/run-scheduler.ts';
import {
  buildCommunity,
  square,
  TEST_PASSWORD,
  type TestCommunity,
  type TestUser,
} from '../apps/server/test/factories.ts';
import { launchChromium, seriousA11yViolations, startWebServer, SCREENSHOTS } from './harness.ts';

const minute = 60_000;

/**
 * Waits for what the page shows to settle: a small machine shared with other work answers in seconds,
 * not in the one second expect.poll waits by default.
 */
function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 30_000, interval: 100 });
}

/**
 * The staff console (/console) at 1440×900 in Chromium against the real server and its database:
 * the closed loop across four people, a grid import and a polygon edit, and an overdue case escalating
 * into the street's queue. Accessibility (axe-core) on the main pages; screenshots for docs/.
 */
// A shared two-core machine runs these journeys beside other work: generous limits, no timing asserted.
describe('staff console /console', { timeout: 300_000 }, () => {
  let app: App;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /**
   * A desktop browser at 1440×900. The console's Content-Security-Policy allows no inline script, so
   * the context lets the test inject axe-core past it (the app itself runs under the real policy).
   */
  function desktopContext(): Promise<BrowserContext> {
    return browser.newContext({
      baseURL: url,
      viewport: { width: 1440, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      bypassCSP: true,
    });
  }

  /** A browser signed in as `user` (the session cookie the factories made). */
  async function signedIn(user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
    const context = await desktopContext();
    const [name, value] = user.client.cookie!.split('=') as [string, string];
    await context.addCookies([{ name, value, url }]);
    return { context, page: await context.newPage() };
  }

  async function usernameOf(user: TestUser): Promise<string> {
    const row = await app.db
      .selectFrom('users')
      .select('username')
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    return row.username!;
  }

  async function expectAccessible(page: Page, what: string) {
    // A table that is reloading is dimmed on purpose; check the page as people read it, at rest.
    await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'));
    const violations = await seriousA11yViolations(page);
    expect(violations, `${what}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  }

  async function pressAction(page: Page, label: RegExp) {
    await page.getByTestId('case-actions').getByRole('button', { name: label }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // A click while antd's dialog still zooms in can land beside the moving button (seen on a loaded
    // machine: the dialog stayed open with nothing sent). Wait for the opening animation to end.
    await page.waitForFunction(
      () => !document.querySelector('[class*="ant-zoom-appear"], [class*="ant-zoom-enter"]'),
    );
    return dialog;
  }

  /** Presses the dialog's button and waits for it to close; if it stays open, fails with what it says. */
  async function confirmDialog(dialog: Locator, label: RegExp) {
    await dialog.getByRole('button', { name: label }).click();
    try {
      await dialog.waitFor({ state: 'hidden', timeout: 30_000 });
    } catch {
      throw new Error(`the dialog stayed open after pressing ${label}: ${await dialog.innerText()}`);
    }
  }

  async function stateOf(page: Page) {
    return page.getByTestId('case-state').innerText();
  }

  test('runs the closed loop: admin accepts and dispatches, handler records, grid worker verifies, admin follows up', async () => {
    const c = await buildCommunity(app);
    const { communityAdmin, handler, gridWorker } = c.people;
    // A resident reports by phone number without an account: the follow-up is a call by staff.
    const reported = await c.public.post<Case>('/api/cases', {
      categoryCode: '0101',
      description: '幸福小区东门垃圾桶满溢，三天没人清运',
      location: c.pointIn(0),
      address: '幸福小区东门',
      contact: { name: '王小红', phone: '13812345678' },
    });
    expect(reported.status).toBe(201);
    const caseId = reported.body.id;

    // The community admin signs in with a password.
    const adminContext = await desktopContext();
    const admin = await adminContext.newPage();
    await admin.goto('/console');
    await admin.getByLabel('用户名或手机号').fill(await usernameOf(communityAdmin));
    await admin.getByLabel('密码').fill(TEST_PASSWORD);
    await admin.getByRole('button', { name: /登\s*录/ }).click();
    await admin.getByRole('heading', { name: '事件工作台' }).waitFor();
    // The first queue is 待受理, with its count, and the report is in it.
    const toAccept = admin.locator('[data-queue="to_accept"]');
    await eventually(() => toAccept.innerText()).toMatch(/待受理\s*1/);
    await admin.getByRole('link', { name: reported.body.code }).waitFor();
    await expectAccessible(admin, 'workbench');
    await admin.screenshot({ path: join(SCREENSHOTS, 'console-workbench.png') });

    await admin.getByRole('link', { name: reported.body.code }).click();
    await admin.getByRole('heading', { name: reported.body.code }).waitFor();
    // The reporter is masked for display; the admin reveals the number with a purpose (logged).
    await eventually(() => admin.getByTestId('reporter').innerText()).toContain('138****5678');
    await admin.getByRole('button', { name: '查看完整号码' }).click();
    await admin
      .getByRole('dialog')
      .getByRole('button', { name: /查\s*看/ })
      .click();
    await eventually(() => admin.getByTestId('reporter').innerText()).toContain('13812345678');
    const log = await app.db.selectFrom('access_log').selectAll().where('record_id', '=', caseId).execute();
    expect(log.map((l) => l.action)).toEqual(['reveal_reporter_contact']);

    let dialog = await pressAction(admin, /^受\s*理$/);
    await confirmDialog(dialog, /^受\s*理$/);
    await eventually(() => stateOf(admin)).toBe('已受理');

    dialog = await pressAction(admin, /^派\s*遣$/);
    // The routed team is proposed; the handling time limit is shown.
    await dialog.getByText('处置时限').waitFor();
    await dialog.getByText('环卫保洁队').waitFor();
    await confirmDialog(dialog, /^派\s*遣$/);
    await eventually(() => stateOf(admin)).toBe('已派遣');
    await expectAccessible(admin, 'case page');
    await admin.screenshot({ path: join(SCREENSHOTS, 'console-case.png') });

    // The handler records the result, with the reason asked for and nothing else.
    const { context: handlerContext, page: handlerPage } = await signedIn(handler);
    await handlerPage.goto(`/console/cases/${caseId}`);
    dialog = await pressAction(handlerPage, /开始处置/);
    await confirmDialog(dialog, /开始处置/);
    await eventually(() => stateOf(handlerPage)).toBe('处置中');
    dialog = await pressAction(handlerPage, /提交处置结果/);
    // Submitting without a result is refused as the person types, and nothing is sent.
    await dialog.getByRole('button', { name: /提交处置结果/ }).click();
    await dialog.getByText('请填写处置结果').waitFor();
    await dialog.getByLabel('处置结果').fill('已清运垃圾并冲洗地面');
    await confirmDialog(dialog, /提交处置结果/);
    await eventually(() => stateOf(handlerPage)).toBe('已处置');

    // The grid worker checks on site.
    const { context: workerContext, page: worker } = await signedIn(gridWorker);
    await worker.goto(`/console/cases/${caseId}`);
    dialog = await pressAction(worker, /^核\s*查$/);
    await dialog.getByText('通过，进入回访').click();
    await confirmDialog(dialog, /^核\s*查$/);
    await eventually(() => stateOf(worker)).toBe('待回访');

    // The admin's page picks up what the others did without a reload, then records the call.
    await eventually(() => stateOf(admin)).toBe('待回访');
    dialog = await pressAction(admin, /记录回访/);
    await dialog.getByText('电话').click();
    await dialog.getByText('基本满意').click();
    await dialog.getByLabel('回访记录（可选）').fill('居民表示已清理干净');
    await confirmDialog(dialog, /记录回访/);
    await eventually(() => stateOf(admin)).toBe('已办结');

    const timeline = await admin.getByTestId('timeline').innerText();
    for (const step of ['上报', '受理', '派遣', '开始处置', '核查', '回访']) expect(timeline).toContain(step);
    expect(timeline).toContain('已清运垃圾并冲洗地面');
    const detail = await communityAdmin.client.get<CaseDetail>(`/api/cases/${caseId}`);
    expect(detail.body).toMatchObject({ state: 'closed', rating: 'basically_satisfied' });

    // The figures count the closed case: 结案率 100 % for the community.
    await admin.goto(`/console/figures?unitId=${c.community.id}`);
    const closure = admin.locator('.ant-card').filter({ hasText: /^结案率/ });
    await eventually(() => closure.innerText()).toContain('100.0%');
    await eventually(() =>
      admin
        .locator('.ant-card')
        .filter({ hasText: /^应结案数/ })
        .innerText(),
    ).toContain('1');
    await expectAccessible(admin, 'figures');
    await admin.screenshot({ path: join(SCREENSHOTS, 'console-figures.png') });

    await Promise.all([adminContext.close(), handlerContext.close(), workerContext.close()]);
  });

  test('shows what changed when someone else acted first, and retries on the current case', async () => {
    const c = await buildCommunity(app);
    const { communityAdmin, streetAdmin } = c.people;
    const created = (
      await c.people.resident.client.post<Case>('/api/cases', {
        categoryCode: '0101',
        description: '路灯不亮，晚上出行不便',
        location: c.pointIn(1),
      })
    ).body;
    const { context, page } = await signedIn(communityAdmin);
    await page.goto(`/console/cases/${created.id}`);
    const dialog = await pressAction(page, /^受\s*理$/);
    await dialog.getByLabel('备注（可选）').fill('已电话确认位置');
    // Meanwhile the street admin moves the case to another grid (the version moves on).
    const moved = await streetAdmin.client.post(`/api/cases/${created.id}/assign-grid`, {
      gridId: c.grids[2]!.id,
    });
    expect(moved.status).toBe(200);
    await dialog.getByRole('button', { name: /^受\s*理$/ }).click();
    const conflict = page.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('网格');
    // What the admin typed is still there, and one click sends it against the current version.
    expect(await dialog.getByLabel('备注（可选）').inputValue()).toBe('已电话确认位置');
    await conflict.getByRole('button', { name: '按现在的情况再次提交' }).click();
    await eventually(() => stateOf(page)).toBe('已受理');
    expect(await page.getByTestId('timeline').innerText()).toContain('已电话确认位置');
    await context.close();
  });

  test('shows what someone else changed in a team being edited, and saves both changes', async () => {
    const c = await buildCommunity(app);
    const teamId = c.teams.sanitation;
    const { context, page } = await signedIn(c.people.communityAdmin);
    await page.goto(`/console/admin/organisations?unitId=${c.community.id}`);
    const row = page.locator('tr').filter({ hasText: '环卫保洁队' });
    await row.getByRole('button', { name: /修\s*改/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('名称').fill('环卫保洁一队');
    // Meanwhile the street admin gives the team a code (the version moves on).
    const team = await c.people.streetAdmin.client.get<{ version: number; name: string }>(
      `/api/organisations/${teamId}`,
    );
    const coded = await c.people.streetAdmin.client.patch(`/api/organisations/${teamId}`, {
      expectedVersion: team.body.version,
      name: team.body.name,
      code: 'HW-01',
    });
    expect(coded.status).toBe(200);
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    const conflict = dialog.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('HW-01');
    // What the admin typed is kept; the field they did not touch takes the other change.
    expect(await dialog.getByLabel('名称').inputValue()).toBe('环卫保洁一队');
    await conflict.getByRole('button', { name: /再次提交/ }).click();
    await page.locator('tr').filter({ hasText: '环卫保洁一队' }).waitFor();
    const after = await c.people.communityAdmin.client.get(`/api/organisations/${teamId}`);
    expect(after.body).toMatchObject({ name: '环卫保洁一队', code: 'HW-01' });
    await context.close();
  });

  test('imports grids from a GeoJSON file with a preview of every refused row, then redraws one outline', async () => {
    const c = await buildCommunity(app, { gridCount: 2 });
    const { streetAdmin } = c.people;
    // buildCommunity draws grids 1 and 2 in the north half; the south half is free.
    const north0 = c.pointIn(0);
    const [west, south] = [north0.lng - 0.005, north0.lat - 0.015];
    const feature = (code: string, name: string, geometry: object) => ({
      type: 'Feature',
      properties: { code, name },
      geometry,
    });
    const file = join(tmpdir(), `grids-${c.community.code}.geojson`);
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          feature(`${c.community.code}003`, '第3网格', square(west, south, 0.01)),
          feature(`${c.community.code}004`, '第4网格', square(west + 0.01, south, 0.01)),
          feature('12345', '代码不对', square(west, south - 0.02, 0.005)),
          feature(`${c.community.code}005`, '与第1网格重叠', square(west + 0.002, south + 0.012, 0.005)),
        ],
      }),
    );
    const { context, page } = await signedIn(streetAdmin);
    await page.goto(`/console/admin/areas?unitId=${c.community.id}`);
    await page.getByRole('button', { name: '导入 GeoJSON' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('input[type=file]').setInputFiles(file);
    await dialog.getByText('4 个要素').waitFor();
    await dialog.getByRole('button', { name: /预\s*览/ }).click();
    await dialog.getByText('预览：新增 2，更新 0，无变化 0，拒绝 2').waitFor();
    const refusedRows = dialog.locator('tr').filter({ hasText: '拒绝' });
    expect(await refusedRows.count()).toBe(2);
    expect(await refusedRows.nth(0).innerText()).toMatch(/15/);
    expect(await refusedRows.nth(1).innerText()).toContain('重叠');
    // Nothing was written by the preview.
    expect(
      await app.db
        .selectFrom('units')
        .select('id')
        .where('code', '=', `${c.community.code}003`)
        .executeTakeFirst(),
    ).toBeUndefined();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-grid-import.png') });
    await dialog.getByRole('button', { name: /确认导入/ }).click();
    await dialog.getByText('已导入：新增 2，更新 0，无变化 0，拒绝 2').waitFor();
    await dialog.getByRole('button', { name: /完\s*成/ }).click();

    // The coverage check now finds no gap in the community.
    await page.getByRole('button', { name: '检查覆盖' }).click();
    await page.getByTestId('coverage').getByText('网格之间没有重叠，也没有空白区。').waitFor();

    // Select grid 3 and drag its south-west corner further out.
    const grid = await app.db
      .selectFrom('units')
      .selectAll()
      .where('code', '=', `${c.community.code}003`)
      .executeTakeFirstOrThrow();
    await page.goto(`/console/admin/areas?unitId=${grid.id}`);
    await page.getByTestId('edit-outline').click();
    const before = (await c.people.streetAdmin.client.get<UnitDetail>(`/api/units/${grid.id}`)).body;
    // geoman puts a draggable marker on each vertex; the south-west one is the lowest-left on screen.
    const markers = page.locator('.marker-icon:not(.marker-icon-middle)');
    await eventually(() => markers.count()).toBeGreaterThanOrEqual(4);
    const boxes = await Promise.all((await markers.all()).map((m) => m.boundingBox()));
    const corner = boxes
      .filter((b): b is NonNullable<typeof b> => b !== null)
      .sort((a, b) => b.y - a.y || a.x - b.x)[0]!;
    await page.mouse.move(corner.x + corner.width / 2, corner.y + corner.height / 2);
    await page.mouse.down();
    await page.mouse.move(corner.x - 40, corner.y + 40, { steps: 8 });
    await page.mouse.up();
    await page.getByRole('button', { name: '保存边界' }).click();
    await page.getByText('边界已保存').waitFor();
    const after = (await c.people.streetAdmin.client.get<UnitDetail>(`/api/units/${grid.id}`)).body;
    expect(after.version).toBe(before.version + 1);
    const lowest = (g: UnitDetail) =>
      Math.min(...(g.geometry as { coordinates: number[][][] }).coordinates[0]!.map((p) => p[1]!));
    expect(lowest(after)).toBeLessThan(lowest(before));
    await expectAccessible(page, 'areas');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-areas.png') });
    await context.close();
  });

  test('puts an overdue case into the street admin’s escalated queue', async () => {
    const c: TestCommunity = await buildCommunity(app);
    const created = (
      await c.people.resident.client.post<Case>('/api/cases', {
        categoryCode: '0101',
        description: '小区门口垃圾堆了三天没人清运',
        location: c.pointIn(0),
      })
    ).body;
    // The scheduler runs with a future clock, as the deadline passes and again two working days later.
    const first = new Date(new Date(created.dueAt!).getTime() + minute);
    await runSchedulerOnce(app, first, { streetId: c.street.id });
    const row = await app.db
      .selectFrom('cases')
      .select('next_check_at')
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    await runSchedulerOnce(app, new Date(row.next_check_at!.getTime() + minute), { streetId: c.street.id });

    const { context, page } = await signedIn(c.people.streetAdmin);
    await page.goto(`/console?queue=escalated&unitId=${c.street.id}`);
    const tab = page.locator('[data-queue="escalated"]');
    await eventually(() => tab.innerText()).toMatch(/督办给我\s*1/);
    const caseRow = page.locator('tr').filter({ hasText: created.code });
    await caseRow.waitFor();
    expect(await caseRow.innerText()).toContain('督办2');
    await page.getByRole('link', { name: created.code }).click();
    await page.getByText('已督办 2 次').waitFor();
    expect(await page.getByTestId('timeline').innerText()).toContain('督办');
    await context.close();
  });

  test('keeps the journal verifiable from the console, with a progress bar', async () => {
    const c = await buildCommunity(app);
    await c.people.resident.client.post('/api/cases', {
      categoryCode: '0101',
      description: '井盖松动',
      location: c.pointIn(0),
    });
    const { context, page } = await signedIn(c.people.streetAdmin);
    await page.goto(`/console/admin/journal?streetId=${c.street.id}`);
    await page.getByRole('button', { name: '核验本街道全部日志' }).click();
    await page
      .getByTestId('verification')
      .getByText(/核验通过/)
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('verification').innerText()).toMatch(/核验通过：\d+ 条日志/);
    await expectAccessible(page, 'journal');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-journal.png') });
    await context.close();
  });

  test('shows every console screen in Chinese, with its empty states, and switches to English', async () => {
    const c = await buildCommunity(app);
    await c.people.resident.client.post('/api/cases', {
      categoryCode: '0101',
      description: '村口垃圾堆放，影响通行',
      location: c.pointIn(0),
    });
    // The sign-in page, as anyone first sees it.
    const anonymous = await desktopContext();
    const login = await anonymous.newPage();
    await login.goto('/console');
    await login.getByRole('heading', { name: '民情 · 工作台' }).waitFor();
    await expectAccessible(login, 'sign-in');
    await login.screenshot({ path: join(SCREENSHOTS, 'console-login.png') });
    await anonymous.close();

    const { context, page } = await signedIn(c.people.streetAdmin);
    const screens: [string, string, string][] = [
      ['console-people', '/console/admin/people', '人员与角色'],
      ['console-residents', '/console/admin/residents', '居民账号'],
      ['console-organisations', `/console/admin/organisations?unitId=${c.community.id}`, '组织与队伍'],
      ['console-categories', '/console/admin/categories', '事件分类与时限'],
      ['console-calendar', '/console/admin/calendar', '工作日历'],
      ['console-public-reports', '/console/admin/public-reports', '公众上报设置'],
      ['console-routing', '/console/admin/routing', '分拨规则'],
    ];
    for (const [name, path, heading] of screens) {
      await page.goto(path);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await expectAccessible(page, name);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    }
    // The routing test tool answers for a point in the community.
    const point = c.pointIn(0);
    await page.getByLabel('经度').fill(String(point.lng));
    await page.getByLabel('纬度').fill(String(point.lat));
    await page.getByLabel('分类').click();
    await page.getByLabel('分类').fill('0101');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /^测\s*试$/ }).click();
    await page.getByTestId('route-result').waitFor();
    expect(await page.getByTestId('route-result').innerText()).toContain('第1网格');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-routing.png') });

    // An empty queue explains itself.
    await page.goto(`/console?queue=to_dispatch&unitId=${c.community.id}`);
    await page.getByText('手头的工作都处理完了').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'console-workbench-empty.png') });

    // English on the same screens, remembered on this device.
    await page.goto('/console?queue=to_accept');
    await page.getByText('EN', { exact: true }).click();
    await page.getByRole('heading', { name: 'Case workbench' }).waitFor();
    await expectAccessible(page, 'workbench (English)');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-workbench-en.png') });
    await context.close();
  });
});
