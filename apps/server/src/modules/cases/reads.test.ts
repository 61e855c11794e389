import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { buildTestApp, type Client } from '../../../test/harness.ts';
import { act, report } from './case-test-helpers.ts';

/** Every page of a list, following nextCursor. */
async function allPages(client: Client, query: string, limit: number) {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/cases?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const page = await client.get(url);
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.body.items.map((item: { id: string }) => item.id));
    cursor = page.body.nextCursor;
    pages++;
  } while (cursor);
  return { ids, pages };
}

describe('case lists, detail and nearby', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('pages through the cases in a stable order without gaps or repeats', async () => {
    const c = await buildCommunity(app);
    const created: string[] = [];
    for (let i = 0; i < 7; i++) {
      created.push(
        (await report(c.people.resident.client, c, { description: `第${i}件：垃圾堆放` })).body.id,
      );
    }
    const { ids, pages } = await allPages(c.people.communityAdmin.client, `unitId=${c.community.id}`, 3);
    expect(pages).toBe(3);
    // newest report first
    expect(ids).toEqual([...created].reverse());

    const bad = await c.people.communityAdmin.client.get('/api/cases?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.messages.en).toMatch(/cursor/);
  });

  it('filters by state, category, source, text and reporting period', async () => {
    const c = await buildCommunity(app);
    const { resident, gridWorker, communityAdmin } = c.people;
    const rubbish = (await report(resident.client, c, { description: '垃圾桶满了溢出来' })).body;
    const lamp = (
      await report(resident.client, c, {
        categoryCode: '0201',
        description: '路灯不亮',
        address: '幸福路18号',
      })
    ).body;
    const patrol = (await report(gridWorker.client, c, { categoryCode: '0203', description: '楼道堆放杂物' }))
      .body;
    await act(communityAdmin.client, lamp.id, 'accept');
    const admin = communityAdmin.client;
    const scope = `unitId=${c.community.id}`;
    const ids = async (query: string) =>
      ((await admin.get(`/api/cases?${scope}&${query}`)).body.items as { id: string }[]).map((i) => i.id);

    expect(await ids('state=accepted')).toEqual([lamp.id]);
    expect((await ids('state=reported,accepted')).sort()).toEqual([rubbish.id, lamp.id, patrol.id].sort());
    expect(await ids('category=0201')).toEqual([lamp.id]);
    expect((await ids('category=02')).sort()).toEqual([lamp.id, patrol.id].sort());
    expect(await ids('source=patrol')).toEqual([patrol.id]);
    expect(await ids(`q=${encodeURIComponent('幸福路')}`)).toEqual([lamp.id]);
    expect(await ids(`q=${encodeURIComponent('溢出')}`)).toEqual([rubbish.id]);
    expect(await ids(`q=${lamp.code}`)).toEqual([lamp.id]);
    expect(await ids('q=%25')).toEqual([]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(await ids(`reportedFrom=${encodeURIComponent(later)}`)).toEqual([]);
    expect((await ids(`reportedTo=${encodeURIComponent(later)}`)).length).toBe(3);
    expect(await ids('mine=reported')).toEqual([]);

    const wrong = await admin.get('/api/cases?state=lost');
    expect(wrong.status).toBe(400);
    const unknownFilter = await admin.get('/api/cases?colour=red');
    expect(unknownFilter.status).toBe(400);
  });

  it('lists overdue and near-deadline cases', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin } = c.people;
    const late = (await report(resident.client, c)).body;
    const fresh = (
      await report(resident.client, c, { categoryCode: '0601', description: '建议增加健身器材' })
    ).body;
    // put one deadline in the past, as if the case had waited too long
    await app.db
      .updateTable('cases')
      .set({ due_at: new Date(Date.now() - 3600_000) })
      .where('id', '=', late.id)
      .execute();
    await app.db
      .updateTable('cases')
      .set({ due_at: new Date(Date.now() + 2 * 3600_000) })
      .where('id', '=', fresh.id)
      .execute();
    const scope = `unitId=${c.community.id}`;
    const overdue = await communityAdmin.client.get(`/api/cases?${scope}&overdue=true`);
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual([late.id]);
    expect(overdue.body.items[0]).toMatchObject({ isOverdue: true });
    expect(overdue.body.items[0].timeLeftMinutes).toBeLessThanOrEqual(0);
    const soon = await communityAdmin.client.get(`/api/cases?${scope}&nearDeadline=true`);
    expect(soon.body.items.map((i: { id: string }) => i.id)).toEqual([fresh.id]);
  });

  it('scopes lists: residents see their own, handlers their organisation’s, grid workers their grid', async () => {
    const c = await buildCommunity(app);
    const { resident, otherResident, handler, mediator, gridWorker, otherGridWorker, communityAdmin } =
      c.people;
    const mine = (await report(resident.client, c)).body;
    const theirs = (await report(otherResident.client, c, { location: c.pointIn(1) })).body;
    await act(communityAdmin.client, mine.id, 'accept');
    await act(communityAdmin.client, mine.id, 'dispatch');

    const listed = async (client: Client, query = '') =>
      ((await client.get(`/api/cases?${query}`)).body.items as { id: string }[]).map((i) => i.id);
    expect(await listed(resident.client)).toEqual([mine.id]);
    expect(await listed(otherResident.client)).toEqual([theirs.id]);
    expect(await listed(handler.client)).toEqual([mine.id]);
    expect(await listed(handler.client, 'mine=org')).toEqual([mine.id]);
    expect(await listed(handler.client, 'mine=assigned')).toEqual([]);
    expect(await listed(mediator.client)).toEqual([]);
    expect(await listed(gridWorker.client)).toEqual([mine.id]);
    expect(await listed(otherGridWorker.client)).toEqual([theirs.id]);
    expect((await listed(communityAdmin.client)).sort()).toEqual([mine.id, theirs.id].sort());
    expect((await c.public.get('/api/cases')).status).toBe(401);

    const detail = await handler.client.get(`/api/cases/${mine.id}`);
    expect(detail.body.reporter).toEqual({
      userId: null,
      name: '张*',
      phone: null,
      isPublicAnonymous: false,
    });
    const own = await resident.client.get(`/api/cases/${mine.id}`);
    expect(own.body.reporter).toMatchObject({ userId: resident.id, name: '张三' });
  });

  it('shows a case with its timeline, deadline and closure standard', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin } = c.people;
    const created = (await report(resident.client, c)).body;
    const detail = await communityAdmin.client.get(`/api/cases/${created.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({
      id: created.id,
      code: created.code,
      stateName: { zh: '待受理', en: 'Reported' },
      category: { code: '0101', name: { zh: '暴露垃圾', en: 'Exposed rubbish' }, isSensitive: false },
      gridName: '第1网格',
      closureStandard: '现场无暴露垃圾，周边清洁',
      photos: [],
    });
    expect(detail.body.timeline).toHaveLength(1);
    expect(detail.body.timeline[0]).toMatchObject({
      seq: 1,
      action: 'report',
      label: { zh: '上报', en: 'Reported' },
      fromState: null,
      toState: 'reported',
      actor: { id: resident.id, name: '张三', role: 'resident' },
    });
    expect(detail.body.timeline[0].hash).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof detail.body.timeLeftMinutes).toBe('number');
  });

  it('finds open cases of the same category nearby, in coarse form for residents', async () => {
    const c = await buildCommunity(app);
    const { resident, otherResident, communityAdmin } = c.people;
    const point = c.pointIn(0);
    const near = (await report(resident.client, c, { location: { lng: point.lng + 0.0005, lat: point.lat } }))
      .body;
    const far = (await report(resident.client, c, { location: c.pointIn(3) })).body;
    await report(resident.client, c, { categoryCode: '0201', description: '路灯坏了', location: point });
    const done = (await report(resident.client, c, { location: point })).body;
    await act(communityAdmin.client, done.id, 'reject', { reason: '重复上报' });

    const query = `/api/cases/nearby?lng=${point.lng}&lat=${point.lat}&category=0101&radius=300`;
    const coarse = await otherResident.client.get(query);
    expect(coarse.status).toBe(200);
    expect(coarse.body.items).toEqual([
      {
        code: near.code,
        category: '0101',
        state: 'reported',
        stateName: { zh: '待受理', en: 'Reported' },
        distanceM: expect.any(Number),
        reportedAt: near.reportedAt,
        id: null,
        description: null,
      },
    ]);
    expect(coarse.body.items[0].distanceM).toBeGreaterThan(40);
    expect(coarse.body.items[0].distanceM).toBeLessThan(70);

    const staff = await communityAdmin.client.get(`${query.replace('radius=300', 'radius=2000')}`);
    expect(staff.body.items.map((i: { id: string }) => i.id)).toEqual([near.id, far.id]);
    expect(staff.body.items[0].description).toBe(near.description);

    // disputes are never shown around a point to residents
    await report(resident.client, c, { categoryCode: '0401', description: '邻居噪音扰民', location: point });
    const disputes = `/api/cases/nearby?lng=${point.lng}&lat=${point.lat}&category=0401`;
    expect((await otherResident.client.get(disputes)).body.items).toEqual([]);
    expect((await communityAdmin.client.get(disputes)).body.items).toHaveLength(1);

    expect((await c.public.get(query)).status).toBe(200);
    expect((await otherResident.client.get(`/api/cases/nearby?lng=300&lat=0&category=0101`)).status).toBe(
      400,
    );
  });
});
