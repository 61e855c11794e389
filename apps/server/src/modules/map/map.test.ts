import type { MapCases, MapConfig, MapGrids, ScreenSummary } from '@minqing/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp, testConfig, type Client } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { journalHead } from '../live/repository.ts';
import { settleMap } from './map-test-helpers.ts';
import { stirDemoStreet } from './demo-activity.ts';

/** The community's extent, with a margin. */
function bboxOf(c: TestCommunity): string {
  const a = c.pointIn(0);
  return [a.lng - 0.03, a.lat - 0.03, a.lng + 0.03, a.lat + 0.03].join(',');
}

async function mapCases(client: Client, params: Record<string, string | number>) {
  const search = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]));
  return client.get<MapCases>(`/api/map/cases?${search.toString()}`);
}

/** Every case a cluster answer stands for: cluster counts plus single cases. */
function shown(body: MapCases): number {
  return body.clusters.reduce((sum, cluster) => sum + cluster.count, 0) + body.cases.length;
}

/** A point in grid `i`, nudged by (dx, dy) thousandths of a degree. */
function near(c: TestCommunity, i: number, dx: number, dy: number) {
  const p = c.pointIn(i);
  return {
    lng: Math.round((p.lng + dx / 1000) * 1e6) / 1e6,
    lat: Math.round((p.lat + dy / 1000) * 1e6) / 1e6,
  };
}

describe('the 民情地图 API', () => {
  let app: App;
  let c: TestCommunity;
  const codes: string[] = [];
  let dispute: { id: string; code: string };

  beforeAll(async () => {
    app = await buildTestApp();
    c = await buildCommunity(app);
    const resident = c.people.resident.client;
    // Twelve cases spread over the four grids, two of them far enough apart to stand alone at zoom 16.
    for (let i = 0; i < 12; i++) {
      const reply = await report(resident, c, {
        location: near(c, i % 4, (i % 3) - 1, ((i * 7) % 5) - 2),
        categoryCode: i % 2 === 0 ? '0101' : '0201',
        description: `测试事件${i} 张三 13800138000`,
      });
      expect(reply.status).toBe(201);
      codes.push(reply.body.code);
    }
    const disputeReply = await report(resident, c, {
      categoryCode: '0401',
      description: '邻里纠纷：楼上噪音',
      location: near(c, 0, 3, 3),
    });
    dispute = { id: disputeReply.body.id, code: disputeReply.body.code };
    await settleMap(app);
  });
  afterAll(async () => app.close());

  it('answers the base map configuration: none by default, the area’s own outlines', async () => {
    const reply = await c.public.get('/api/map/config');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ provider: 'none', layers: [], crs: 'wgs84', needsGcj02: false });
  });

  it('clusters a street at low zoom, and the clusters add up to the true counts', async () => {
    for (const zoom of [8, 12, 14, 15, 16]) {
      const reply = await mapCases(c.people.communityAdmin.client, {
        bbox: bboxOf(c),
        zoom,
        unitId: c.street.id,
      });
      expect(reply.status).toBe(200);
      expect(reply.body.total).toBe(13);
      expect(shown(reply.body)).toBe(13);
      expect(reply.body.states).toEqual({ reported: 13 });
      if (zoom <= 12) expect(reply.body.clusters.length).toBeGreaterThan(0);
      for (const cluster of reply.body.clusters) {
        expect(cluster.count).toBeGreaterThan(1);
        expect(cluster.expansionZoom).toBeGreaterThan(zoom);
        const stateSum = Object.values(cluster.states).reduce((a, b) => a + b, 0);
        expect(stateSum).toBe(cluster.count);
      }
    }
    const zoomedIn = await mapCases(c.people.communityAdmin.client, { bbox: bboxOf(c), zoom: 17 });
    expect(zoomedIn.body.mode).toBe('cases');
    expect(zoomedIn.body.clusters).toEqual([]);
    expect(zoomedIn.body.cases.map((item) => item.code).sort()).toEqual([...codes, dispute.code].sort());
  });

  it('filters by state, category and overdue, and follows the case as it moves', async () => {
    const admin = c.people.communityAdmin.client;
    const all = await app.db.selectFrom('cases').select(['id', 'code']).where('code', 'in', codes).execute();
    const first = all.find((row) => row.code === codes[0])!;
    const second = all.find((row) => row.code === codes[1])!;
    await act(admin, first.id, 'accept');
    await act(admin, second.id, 'reject', { reason: '重复上报' });
    await settleMap(app);

    const accepted = await mapCases(admin, { bbox: bboxOf(c), zoom: 17, states: 'accepted' });
    expect(accepted.body.cases.map((item) => item.code)).toEqual([codes[0]]);
    expect(accepted.body.cases[0]).toMatchObject({ id: first.id, state: 'accepted' });
    // a rejected case leaves the map
    const everything = await mapCases(admin, { bbox: bboxOf(c), zoom: 17 });
    expect(everything.body.total).toBe(12);
    expect(everything.body.cases.some((item) => item.code === codes[1])).toBe(false);

    const streets = await mapCases(admin, { bbox: bboxOf(c), zoom: 17, categories: '02' });
    expect(streets.body.cases.every((item) => item.category.startsWith('02'))).toBe(true);
    expect(streets.body.total).toBe(5);
    const exact = await mapCases(admin, { bbox: bboxOf(c), zoom: 17, categories: '0101,0401' });
    expect(exact.body.total).toBe(7);
    expect(exact.body.categories['0401']).toMatchObject({ isSensitive: true });

    const overdue = await mapCases(admin, { bbox: bboxOf(c), zoom: 17, overdue: 'true' });
    expect(overdue.body.total).toBe(0);
    // make one overdue: its deadline moved into the past
    await app.db
      .updateTable('cases')
      .set({ due_at: new Date(Date.now() - 3600_000) })
      .where('id', '=', first.id)
      .execute();
    await act(admin, first.id, 'note', { text: '已电话联系' });
    await settleMap(app);
    const late = await mapCases(admin, { bbox: bboxOf(c), zoom: 14, overdue: 'true' });
    expect(late.body).toMatchObject({ total: 1, overdue: 1 });
    expect(late.body.cases[0]).toMatchObject({ code: codes[0], isOverdue: true });
  });

  it('shows the public no id and no personal field, disputes only at the grid centre', async () => {
    const reply = await mapCases(c.public, { bbox: bboxOf(c), zoom: 17 });
    expect(reply.status).toBe(200);
    expect(reply.body.total).toBe(12);
    const text = JSON.stringify(reply.body);
    for (const secret of ['张三', '13800138000', '测试事件', '噪音', c.people.resident.id]) {
      expect(text).not.toContain(secret);
    }
    expect(reply.body.cases.every((item) => item.id === null)).toBe(true);
    const grid = await app.db
      .selectFrom('units')
      .select(['centroid_lng', 'centroid_lat'])
      .where('id', '=', c.grid.id)
      .executeTakeFirstOrThrow();
    const publicDispute = reply.body.cases.find((item) => item.code === dispute.code)!;
    expect(publicDispute).toMatchObject({ lng: grid.centroid_lng, lat: grid.centroid_lat, isCoarse: true });
    // everything else rounded to 1e-4°
    for (const item of reply.body.cases.filter((each) => !each.isCoarse)) {
      expect(Math.round(item.lng * 1e4) / 1e4).toBeCloseTo(item.lng, 9);
    }
    // staff in scope see the dispute where it is, with its id
    const staff = await mapCases(c.people.communityAdmin.client, { bbox: bboxOf(c), zoom: 17 });
    const staffDispute = staff.body.cases.find((item) => item.code === dispute.code)!;
    expect(staffDispute).toMatchObject({ id: dispute.id, isCoarse: false, ...near(c, 0, 3, 3) });
    // a grid worker of another grid sees cases of their grid in full, the others in the public form
    const other = await mapCases(c.people.otherGridWorker.client, { bbox: bboxOf(c), zoom: 17 });
    const gridOne = new Set(
      other.body.cases.filter((item) => item.gridId === c.grids[1]!.id).map((i) => i.id),
    );
    expect([...gridOne].every((id) => id !== null)).toBe(true);
    expect(other.body.cases.find((item) => item.code === dispute.code)).toMatchObject({
      id: null,
      isCoarse: true,
    });
    // a public cluster is built from public positions: its extent holds no exact place of the dispute
    // (compared as numbers: a centroid may share its first digits with the dispute by chance)
    const clustered = await mapCases(c.public, { bbox: bboxOf(c), zoom: 12 });
    expect(shown(clustered.body)).toBe(12);
    const exact = near(c, 0, 3, 3);
    for (const cluster of clustered.body.clusters) {
      const [west, south, east, north] = cluster.bbox;
      for (const lng of [west, east]) expect(Math.abs(lng - exact.lng)).toBeGreaterThan(1e-7);
      for (const lat of [south, north]) expect(Math.abs(lat - exact.lat)).toBeGreaterThan(1e-7);
    }
  });

  it('rejects a malformed viewport or filter with a 400 that says why, in both languages', async () => {
    const bad: Record<string, string | number>[] = [
      { bbox: '1,2,3', zoom: 10 },
      { bbox: 'a,b,c,d', zoom: 10 },
      { bbox: '10,10,5,20', zoom: 10 },
      { bbox: '1,2,3,4', zoom: 'far' },
      { bbox: '1,2,3,4', zoom: 30 },
      { bbox: '1,2,3,4', zoom: 10, states: 'lost' },
      { bbox: '1,2,3,4', zoom: 10, categories: 'garbage' },
      { bbox: '1,2,3,4', zoom: 10, overdue: 'perhaps' },
      { bbox: '1,2,3,4', zoom: 10, radius: 5 },
      { zoom: 10 },
    ];
    for (const params of bad) {
      const reply = await mapCases(c.public, params);
      expect(reply.status, JSON.stringify(params)).toBe(400);
      expect(reply.body).toMatchObject({
        error: { messages: { zh: expect.any(String), en: expect.any(String) } },
      });
    }
    const bbox = await mapCases(c.public, { bbox: '10,10,5,20', zoom: 10 });
    expect(JSON.stringify(bbox.body)).toContain('west < east');
    const unknownUnit = await mapCases(c.public, { bbox: bboxOf(c), zoom: 10, unitId: crypto.randomUUID() });
    expect(unknownUnit.status).toBe(404);
  });

  it('caps a huge viewport instead of failing: clamped to the world, a bounded answer, true counts', async () => {
    const reply = await mapCases(c.public, { bbox: '-1000,-100,1000,100', zoom: 0 });
    expect(reply.status).toBe(200);
    expect(reply.body.bbox).toEqual([-180, -85.05112878, 180, 85.05112878]);
    expect(reply.body.clusters.length + reply.body.cases.length).toBeLessThanOrEqual(300);
    expect(shown(reply.body)).toBe(reply.body.total);
    expect(reply.body.total).toBeGreaterThanOrEqual(12);
  });

  it('lists the grids of an area with their open-case load for shading', async () => {
    const reply = await c.public.get<MapGrids>(`/api/map/grids?unitId=${c.community.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((grid) => grid.id)).toEqual(c.grids.map((grid) => grid.id));
    const open = reply.body.items.reduce((sum, grid) => sum + grid.open, 0);
    expect(open).toBe(12);
    expect(reply.body.maxOpen).toBe(Math.max(...reply.body.items.map((grid) => grid.open)));
    expect(reply.body.items.some((grid) => grid.load === 1)).toBe(true);
    expect(reply.body.items.every((grid) => grid.load >= 0 && grid.load <= 1)).toBe(true);
    expect(reply.body.items[0]!.geometry?.type).toBe('Polygon');
    expect(reply.body.items.reduce((sum, grid) => sum + grid.overdue, 0)).toBe(1);

    const light = await c.public.get<MapGrids>(`/api/map/grids?unitId=${c.grid.id}&geometry=false`);
    expect(light.body.items).toHaveLength(1);
    expect(light.body.items[0]!.geometry).toBeNull();
    // a building answers its grid; the public may not look at a household
    const building = await c.people.communityAdmin.client.get<MapGrids>(
      `/api/map/grids?unitId=${c.building.id}`,
    );
    expect(building.body.items.map((grid) => grid.id)).toEqual([c.grid.id]);
    const household = await c.public.get(`/api/map/grids?unitId=${c.household.id}`);
    expect(household.status).toBe(404);
    expect((await c.public.get('/api/map/grids?unitId=nope')).status).toBe(400);
  });

  it('gives the big screen its figures, the feed in the form each viewer may see', async () => {
    const reply = await c.public.get<ScreenSummary>(`/api/screen/summary?unitId=${c.community.id}`);
    expect(reply.status).toBe(200);
    const body = reply.body;
    expect(body.unit).toMatchObject({ id: c.community.id, kind: 'community' });
    expect(body.base).toMatchObject({ grids: 4, gridWorkers: 2, households: 1 });
    expect(body.today.received).toBe(13);
    expect(body.month.received).toBe(13);
    expect(body.open).toBe(12);
    expect(body.deadlines.overdue + body.deadlines.nearDeadline + body.deadlines.onTime).toBe(12);
    expect(body.deadlines.overdue).toBe(1);
    expect(body.sources.find((source) => source.key === 'resident')?.count).toBe(13);
    expect(body.sources.map((source) => source.key)).toContain('hotline');
    expect(body.topCategories[0]).toMatchObject({ code: '0101', count: 6 });
    expect(body.busiestGrids.reduce((sum, grid) => sum + grid.open, 0)).toBe(12);
    expect(body.busiestGrids[0]!.name).toMatch(/网格/);
    expect(body.rates.onTimeClosureRate).not.toBeUndefined();
    expect(body.feed.length).toBeGreaterThan(0);
    expect(body.feed.length).toBeLessThanOrEqual(20);
    // the public feed: no ids, no text, no internal notes
    expect(body.feed.every((event) => event.caseId === null && event.summary === null)).toBe(true);
    expect(body.feed.some((event) => event.action === 'note')).toBe(false);
    expect(JSON.stringify(body)).not.toContain('张三');
    // newest first
    const ids = body.feed.map((event) => event.entryId);
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);

    const staff = await c.people.communityAdmin.client.get<ScreenSummary>(
      `/api/screen/summary?unitId=${c.community.id}`,
    );
    expect(staff.body.feed[0]).toMatchObject({ audience: 'staff' });
    expect(staff.body.feed.some((event) => event.action === 'note')).toBe(true);
    expect(staff.body.feed.every((event) => event.caseId !== null)).toBe(true);

    expect((await c.public.get(`/api/screen/summary?unitId=${crypto.randomUUID()}`)).status).toBe(404);
    expect((await c.public.get('/api/screen/summary')).status).toBe(400);
  });
});

describe('the base map by configuration', () => {
  it('serves Tianditu’s layers with the key, and lets the page load their tiles (and nothing else)', async () => {
    const map = { ...testConfig().map, tiles: 'tianditu' as const, tiandituKey: 'abc123def456' };
    const app = await buildTestApp({ map });
    try {
      const reply = await app.inject({ method: 'GET', url: '/api/map/config' });
      const body = reply.json<MapConfig>();
      expect(body).toMatchObject({ provider: 'tianditu', crs: 'wgs84', needsGcj02: false });
      expect(body.layers).toHaveLength(2);
      expect(body.layers[0]!.url).toContain('tk=abc123def456');
      expect(body.layers[0]!.url).toContain('{z}');
      const csp = String(reply.headers['content-security-policy']);
      expect(csp).toContain('https://t0.tianditu.gov.cn');
      expect(csp).toContain('https://t7.tianditu.gov.cn');
      expect(csp).not.toContain('autonavi');
    } finally {
      await app.close();
    }
  });

  it('converts nothing for WGS-84 tiles and says so for GCJ-02 ones (AMap)', async () => {
    const map = { ...testConfig().map, tiles: 'amap' as const };
    const app = await buildTestApp({ map });
    try {
      const body = (await app.inject({ method: 'GET', url: '/api/map/config' })).json<MapConfig>();
      expect(body).toMatchObject({ provider: 'amap', crs: 'gcj02', needsGcj02: true });
    } finally {
      await app.close();
    }
  });
});

describe('the demo street', () => {
  it('stirs only in a demo database: a report or an acceptance per run, journaled like any other', async () => {
    const app = await buildTestApp();
    try {
      await buildCommunity(app);
      const head = () => journalHead(app.db);
      const before = await head();
      await stirDemoStreet(app);
      expect(await head()).toBe(before);
      app.demo.status.state = 'ready';
      app.demo.status.info = { logins: [], password: '', residentPhone: '', counts: {}, seededAt: '' };
      // A run mostly picks the first street by code, which in a database shared with other test files
      // may be one without grid workers (then it does nothing); the other runs pick any street.
      for (let run = 0; run < 30 && (await head()) === before; run++) await stirDemoStreet(app);
      expect(await head()).toBeGreaterThan(before);
    } finally {
      await app.close();
    }
  });
});
