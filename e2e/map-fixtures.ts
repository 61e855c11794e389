import type { Case } from '@minqing/contract';
import type { Page } from 'playwright-core';
import type { App } from '../apps/server/src/app.ts';
import { buildCommunity, testPhone, type TestCommunity } from '../apps/server/test/factories.ts';
import type { Client } from '../apps/server/test/harness.ts';

/**
 * Shared by the 民情地图 browser journeys (screen.test.ts, phone-map.test.ts): a community with cases
 * in every grid and several states, made through the API as people would make them, and the personal
 * data that must never reach a public page.
 */

export interface MapCommunity {
  community: TestCommunity;
  cases: Case[];
  /** Names, phone numbers and free text that a public page must not show or receive. */
  secrets: string[];
}

async function post<T>(client: Client, url: string, body: object): Promise<T> {
  const reply = await client.post<T>(url, body);
  if (reply.status !== 200 && reply.status !== 201) {
    throw new Error(`POST ${url} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}

/** Reports a case through POST /api/cases and returns it. */
export function report(
  client: Client,
  body: {
    categoryCode: string;
    description: string;
    location: { lng: number; lat: number };
    address?: string;
    contact?: { name?: string; phone: string };
  },
): Promise<Case> {
  return post<Case>(client, '/api/cases', body);
}

export function act(client: Client, caseId: string, action: string, body: object = {}): Promise<Case> {
  return post<Case>(client, `/api/cases/${caseId}/${action}`, body);
}

/** A point inside grid `index`, nudged so that several cases in one grid do not sit on one spot. */
function near(community: TestCommunity, index: number, step: number): { lng: number; lat: number } {
  const centre = community.pointIn(index);
  const r = (n: number) => Math.round(n * 1e6) / 1e6;
  return {
    lng: r(centre.lng + ((step % 3) - 1) * 0.0018),
    lat: r(centre.lat + ((Math.floor(step / 3) % 3) - 1) * 0.0015),
  };
}

/**
 * Ten cases over the four grids: reports by residents, by a grid worker on patrol and by a member of the
 * public (with a name and a phone number), a neighbour dispute and a request for help (sensitive
 * categories), taken through accept, dispatch, start and submit so the map shows several states.
 */
export async function buildMapCommunity(app: App): Promise<MapCommunity> {
  const community = await buildCommunity(app);
  const { people } = community;
  const publicName = '欧阳明月';
  const publicPhone = testPhone();
  const specs: {
    client: Client;
    categoryCode: string;
    description: string;
    grid: number;
    contact?: object;
  }[] = [
    {
      client: people.resident.client,
      categoryCode: '0101',
      description: '幸福小区东门垃圾堆了三天没人清运',
      grid: 0,
    },
    { client: people.resident.client, categoryCode: '0201', description: '二号楼前的路灯晚上不亮', grid: 1 },
    {
      client: community.public,
      categoryCode: '0203',
      description: '三单元楼道里堆满了纸箱，挡住了消防通道',
      grid: 2,
      contact: { name: publicName, phone: publicPhone },
    },
    {
      client: people.gridWorker.client,
      categoryCode: '0302',
      description: '车棚里有人拉线给电动车充电',
      grid: 0,
    },
    {
      client: people.resident.client,
      categoryCode: '0401',
      description: '楼上张家漏水到我家天花板，两家吵了好几次',
      grid: 3,
    },
    {
      client: people.otherResident.client,
      categoryCode: '0501',
      description: '隔壁独居的李奶奶好几天没出门了',
      grid: 1,
    },
    {
      client: people.gridWorker.client,
      categoryCode: '0104',
      description: '菜市场后面的小路满地污水',
      grid: 0,
    },
    {
      client: people.otherResident.client,
      categoryCode: '0205',
      description: '小区北门的路面塌了一个坑',
      grid: 3,
    },
    { client: people.resident.client, categoryCode: '0601', description: '建议在广场加装几张长椅', grid: 2 },
    {
      client: people.gridWorker.client,
      categoryCode: '0105',
      description: '河边绿化带的树被人砍了两棵',
      grid: 1,
    },
  ];
  const cases: Case[] = [];
  for (const [index, spec] of specs.entries()) {
    cases.push(
      await report(spec.client, {
        categoryCode: spec.categoryCode,
        description: spec.description,
        location: near(community, spec.grid, index),
        address: `幸福小区${index + 1}号楼`,
        ...(spec.contact ? { contact: spec.contact as { name: string; phone: string } } : {}),
      }),
    );
  }
  const admin = people.communityAdmin.client;
  // Move some along the workflow: accepted, dispatched, in progress, handled.
  for (const item of cases.slice(0, 6)) {
    const accepted = await act(admin, item.id, 'accept');
    cases[cases.indexOf(item)] = accepted;
  }
  const sanitation = cases.filter((item) => item.category.code.startsWith('01') && item.state === 'accepted');
  for (const item of sanitation) {
    cases[cases.indexOf(item)] = await act(admin, item.id, 'dispatch', { expectedVersion: item.version });
  }
  const first = cases[0]!;
  if (first.state === 'dispatched') {
    const started = await act(people.handler.client, first.id, 'start', { expectedVersion: first.version });
    cases[0] = await act(people.handler.client, first.id, 'submit', {
      expectedVersion: started.version,
      result: '已清运干净，并通知物业加强巡查',
    });
  }

  const secrets = [
    publicName,
    publicPhone,
    '张三',
    '李四',
    ...Object.values(people).map((person) => person.phone),
    ...specs.map((spec) => spec.description),
  ];
  return { community, cases, secrets };
}

/** Records every Server-Sent Event payload the page receives (window.__sse), before any script runs. */
export async function recordServerSentEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const scope = globalThis as any;
    const Original = scope.EventSource;
    const log: string[] = [];
    scope.__sse = log;
    class Recording extends Original {
      constructor(url: unknown, init?: unknown) {
        super(url, init);
        for (const type of ['message', 'case', 'figures', 'patrol', 'ready', 'reset']) {
          super.addEventListener(type, (event: { data: string }) => log.push(`${type}:${event.data}`));
        }
      }
    }
    scope.EventSource = Recording;
  });
}

/** Every JSON answer from /api/* the page receives, as text (the SSE stream is read by recordServerSentEvents). */
export function recordApiResponses(page: Page): { url: string; body: string }[] {
  const seen: { url: string; body: string }[] = [];
  page.on('response', (response) => {
    const url = response.url();
    const type = response.headers()['content-type'] ?? '';
    if (!url.includes('/api/') || !type.includes('json')) return;
    response
      .text()
      .then((body) => seen.push({ url, body }))
      .catch(() => undefined);
  });
  return seen;
}

/** Cases the map shows right now: single markers plus the counts written in the clusters. */
export function markerTotal(page: Page): Promise<number> {
  return page.evaluate(() => {
    const singles = (globalThis as any).document.querySelectorAll('.leaflet-marker-pane .mq-case').length;
    const clustered = [
      ...(globalThis as any).document.querySelectorAll('.leaflet-marker-pane .mq-cluster-count'),
    ].reduce((sum: number, element: any) => sum + Number(element.textContent ?? 0), 0);
    return singles + clustered;
  });
}

/** Waits until the map's markers add up to `expected` (they are redrawn as live events arrive). */
export async function waitForMarkerTotal(page: Page, expected: number): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const singles = (globalThis as any).document.querySelectorAll('.leaflet-marker-pane .mq-case').length;
      const clustered = [
        ...(globalThis as any).document.querySelectorAll('.leaflet-marker-pane .mq-cluster-count'),
      ].reduce((sum: number, element: any) => sum + Number(element.textContent ?? 0), 0);
      return singles + clustered === n;
    },
    expected,
    { timeout: 20_000 },
  );
}
