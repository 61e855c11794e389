import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../apps/server/src/app.ts';
import { SESSION_COOKIE } from '../apps/server/src/modules/people/sessions.ts';
import {
  launchChromium,
  phoneContext,
  seriousA11yViolations,
  startWebServer,
  SCREENSHOTS,
} from './harness.ts';
import {
  buildMapCommunity,
  recordApiResponses,
  recordServerSentEvents,
  report,
  waitForMarkerTotal,
  type MapCommunity,
} from './map-fixtures.ts';

/**
 * The phone map (/m/map) at 390×844 in WeChat's browser (its user agent): the viewer's own area, live
 * markers, the list view, filters by state and category, drilling down, and no personal data in public.
 */
describe('phone map /m/map', () => {
  let app: App;
  let url: string;
  let browser: Browser;
  let data: MapCommunity;

  beforeAll(async () => {
    ({ app, url } = await startWebServer());
    browser = await launchChromium();
    data = await buildMapCommunity(app);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  test('shows the public map of a community with a list and filters, and no personal data', async () => {
    const { community, cases } = data;
    const context = await phoneContext(browser, url);
    const page = await context.newPage();
    const responses = recordApiResponses(page);
    await recordServerSentEvents(page);
    await page.goto(`/m/map?unit=${community.community.id}`);
    await page.waitForSelector('.pm-title');
    expect(await page.textContent('.pm-title')).toBe(community.community.name);
    await waitForMarkerTotal(page, cases.length);
    await page.waitForSelector('.pm-dot-open');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}phone-map.png` });

    // The list shows the same cases, one row each.
    await page.getByRole('tab', { name: '列表' }).click();
    await page.waitForSelector('.pm-list .adm-list-item');
    expect(await page.locator('.pm-list .adm-list-item').count()).toBe(cases.length);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}phone-map-list.png` });

    // Filter by state: only the accepted cases stay.
    const accepted = cases.filter((item) => item.state === 'accepted').length;
    expect(accepted).toBeGreaterThan(0);
    await page.getByRole('button', { name: '筛选' }).click();
    await page.getByRole('option', { name: '已受理', exact: true }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => page.locator('.pm-list .adm-list-item').count()).toBe(accepted);
    // And by category: disputes (04) among them.
    await page.getByRole('button', { name: /筛选/ }).click();
    await page.getByRole('option', { name: '矛盾纠纷', exact: true }).click();
    await page.getByRole('button', { name: '确定' }).click();
    const acceptedDisputes = cases.filter(
      (item) => item.state === 'accepted' && item.category.code.startsWith('04'),
    ).length;
    await expect
      .poll(async () =>
        acceptedDisputes === 0
          ? page.locator('.pm-list .adm-error-block').count()
          : page.locator('.pm-list .adm-list-item').count(),
      )
      .toBe(acceptedDisputes === 0 ? 1 : acceptedDisputes);

    // Public: a tapped case shows its category and state, never who reported it or what they wrote.
    await page.getByRole('button', { name: /筛选/ }).click();
    await page.getByRole('button', { name: '清除' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await expect.poll(() => page.locator('.pm-list .adm-list-item').count()).toBe(cases.length);
    await page.locator('.pm-list .adm-list-item').first().click();
    await page.waitForSelector('#pm-case-title');
    expect(await page.textContent('[aria-labelledby="pm-case-title"]')).toContain(
      '公众地图只显示事件类别和办理状态',
    );

    await page.waitForTimeout(500); // let the last responses' bodies be read
    const text = await page.evaluate(() => (globalThis as any).document.body.innerText);
    const stream = await page.evaluate(() => (globalThis as any).__sse.join('\n'));
    for (const secret of data.secrets) {
      expect(text, `page shows ${secret}`).not.toContain(secret);
      expect(stream, `stream carries ${secret}`).not.toContain(secret);
      for (const response of responses)
        expect(response.body, `${response.url} carries ${secret}`).not.toContain(secret);
    }
    await context.close();
  });

  test('opens on a resident’s own community, updates live, and drills down to a grid', async () => {
    const { community } = data;
    const context = await phoneContext(browser, url);
    const token = community.people.resident.client.cookie!.split('=')[1]!;
    await context.addCookies([{ name: SESSION_COOKIE, value: token, url }]);
    const page = await context.newPage();
    // No unit in the address: the map opens on the viewer's own area (the phone app's home links here).
    await page.goto('/m/map');
    await page.waitForSelector('.pm-title');
    expect(await page.textContent('.pm-title')).toBe(community.community.name);
    await page.waitForSelector('.pm-dot-open');
    const before = data.cases.length;
    await waitForMarkerTotal(page, before);
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));

    const created = await report(community.people.otherResident.client, {
      categoryCode: '0204',
      description: '单元门口的井盖不见了',
      location: community.pointIn(3),
    });
    data.cases.push(created);
    await waitForMarkerTotal(page, before + 1);
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);

    // Tap a grid: the map follows it, and the back arrow climbs up again.
    await page.locator(`path[data-unit-id="${community.grids[3]!.id}"]`).dispatchEvent('click');
    await page.waitForURL(`**/m/map?unit=${community.grids[3]!.id}`);
    await expect.poll(() => page.textContent('.pm-title')).toBe(community.grids[3]!.name);
    await waitForMarkerTotal(
      page,
      data.cases.filter((item) => item.gridId === community.grids[3]!.id).length,
    );
    await page.getByRole('button', { name: '上一级' }).click();
    await expect.poll(() => page.textContent('.pm-title')).toBe(community.community.name);

    // The resident's own report opens in full; a neighbour's shows only its category and state.
    await page.getByRole('tab', { name: '列表' }).click();
    const own = data.cases.find((item) => item.reporter.userId === community.people.resident.id)!;
    const neighbours = data.cases.find((item) => item.reporter.userId === community.people.otherResident.id)!;
    await page.locator(`.pm-list [data-case-code="${own.code}"]`).click();
    await page.waitForSelector('.pm-case-description');
    expect(await page.textContent('.pm-case-description')).toBe(own.description);
    await page.getByRole('button', { name: '关闭' }).click();
    await page.locator(`.pm-list [data-case-code="${neighbours.code}"]`).click();
    await page.waitForSelector('#pm-case-title');
    expect(await page.textContent('[aria-labelledby="pm-case-title"]')).toContain(
      '公众地图只显示事件类别和办理状态',
    );
    expect(await page.textContent('[aria-labelledby="pm-case-title"]')).not.toContain(neighbours.description);
    await context.close();
  });
});
