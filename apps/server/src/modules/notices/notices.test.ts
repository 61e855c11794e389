import type { Notice, NoticeList, PublicNotice, PublicNoticeList } from '@minqing/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, createTestUser, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp, type Client } from '../../../test/harness.ts';
import { verifyJournal } from '../journal/verify-journal.ts';
import { seedDemoNotices } from './seed-demo-notices.ts';

describe('community notices (社区公告)', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  async function draft(client: Client, unitId: string, overrides: Record<string, unknown> = {}) {
    const reply = await client.post<Notice>('/api/notices', {
      unitId,
      title: '停水通知',
      body: '因管网维修，\n本周六 8:00–12:00 停水。',
      category: 'notice',
      ...overrides,
    });
    expect(reply.status).toBe(201);
    return reply.body;
  }

  async function published(client: Client, unitId: string, overrides: Record<string, unknown> = {}) {
    const created = await draft(client, unitId, overrides);
    const reply = await client.post<Notice>(`/api/notices/${created.id}/publish`, {
      expectedVersion: created.version,
    });
    expect(reply.status).toBe(200);
    return reply.body;
  }

  const publicList = (c: TestCommunity, unitId: string) =>
    c.public.get<PublicNoticeList>(`/api/public/notices?unitId=${unitId}`);

  it('takes a draft through publication to withdrawal; the public sees it only while published', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const created = await draft(admin, c.community.id);
    expect(created).toMatchObject({
      state: 'draft',
      stateName: { zh: '草稿' },
      version: 1,
      publishedAt: null,
      isPinned: false,
      body: '因管网维修，\n本周六 8:00–12:00 停水。',
      author: { name: '社区管理员' },
      allowedActions: ['update', 'publish'],
    });
    // A draft is nobody else's business: not in the public list, not found by id.
    expect((await publicList(c, c.community.id)).body.items).toEqual([]);
    expect((await c.public.get(`/api/public/notices/${created.id}`)).status).toBe(404);

    const publishedReply = await admin.post<Notice>(`/api/notices/${created.id}/publish`, {
      expectedVersion: 1,
    });
    expect(publishedReply.status).toBe(200);
    expect(publishedReply.body).toMatchObject({
      state: 'published',
      version: 2,
      allowedActions: ['update', 'withdraw'],
    });
    expect(publishedReply.body.publishedAt).not.toBeNull();

    const list = await publicList(c, c.community.id);
    expect(list.status).toBe(200);
    expect(list.body.unit).toMatchObject({ id: c.community.id, name: '测试社区' });
    expect(list.body.items.map((n) => n.id)).toEqual([created.id]);
    const one = await c.public.get<PublicNotice>(`/api/public/notices/${created.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ title: '停水通知', categoryName: { zh: '通知', en: 'Notice' } });
    // The public form names the unit, never the author.
    expect(JSON.stringify(one.body)).not.toContain('社区管理员');

    // A published notice can be edited (the edit is journaled), then withdrawn.
    const edited = await admin.patch<Notice>(`/api/notices/${created.id}`, {
      body: '因管网维修，本周六 8:00–14:00 停水。',
      isPinned: true,
      expectedVersion: 2,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ state: 'published', version: 3, isPinned: true });
    const stale = await admin.patch(`/api/notices/${created.id}`, { title: '旧版本', expectedVersion: 2 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'stale_version', details: { currentVersion: 3 } });

    const withdrawn = await admin.post<Notice>(`/api/notices/${created.id}/withdraw`, {
      expectedVersion: 3,
      reason: '维修改期',
    });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({
      state: 'withdrawn',
      withdrawReason: '维修改期',
      allowedActions: [],
    });
    expect((await publicList(c, c.community.id)).body.items).toEqual([]);
    expect((await c.public.get(`/api/public/notices/${created.id}`)).status).toBe(404);
    // Withdrawn is final: no edit, no second withdrawal, no republication.
    const edit = await admin.patch(`/api/notices/${created.id}`, { title: '再改', expectedVersion: 4 });
    expect(edit.status).toBe(409);
    expect(edit.body.error.code).toBe('notice_not_editable');
    const again = await admin.post(`/api/notices/${created.id}/publish`, { expectedVersion: 4 });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'illegal_transition',
      details: { currentState: 'withdrawn' },
    });

    // The staff list keeps it; the journal has the whole story and verifies.
    const staff = await admin.get<NoticeList>('/api/notices');
    expect(staff.body.items.find((n) => n.id === created.id)).toMatchObject({ state: 'withdrawn' });
    const chain = await c.public.get(`/api/journal/records/community_notice/${created.id}`);
    expect(chain.status).toBe(200);
    expect(chain.body.entries.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'publish',
      'update',
      'withdraw',
    ]);
    const verified = await verifyJournal(app.db, { streetId: c.street.id });
    expect(verified.problems).toEqual([]);
    expect(verified.isValid).toBe(true);
  });

  it("shows a grid's people the street's, the community's and the grid's notices: pinned, urgent, then newest", async () => {
    const c = await buildCommunity(app);
    const street = c.people.streetAdmin.client;
    const admin = c.people.communityAdmin.client;
    const older = await published(street, c.street.id, { title: '街道：防汛须知', category: 'guide' });
    const grid = await published(admin, c.grid.id, { title: '第1网格议事会', category: 'activity' });
    const urgent = await published(admin, c.community.id, { title: '燃气抢修', category: 'urgent' });
    const pinned = await published(admin, c.community.id, { title: '疫苗接种安排', isPinned: true });
    const otherGrid = await published(admin, c.grids[1]!.id, { title: '第2网格通知' });

    const atGrid = await publicList(c, c.grid.id);
    expect(atGrid.body.items.map((n) => n.id)).toEqual([pinned.id, urgent.id, grid.id, older.id]);
    // The community's page has the street's and its own, not its grids'.
    const atCommunity = await publicList(c, c.community.id);
    expect(atCommunity.body.items.map((n) => n.id)).toEqual([pinned.id, urgent.id, older.id]);
    expect(atCommunity.body.items.map((n) => n.id)).not.toContain(otherGrid.id);
    expect(atCommunity.body.items.find((n) => n.id === older.id)!.unit.name).toBe(c.street.name);

    // An expired notice leaves the list.
    const expiring = await published(admin, c.community.id, {
      title: '即将过期',
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    await app.db
      .updateTable('community_notices')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expiring.id)
      .execute();
    expect((await publicList(c, c.community.id)).body.items.map((n) => n.id)).not.toContain(expiring.id);

    // Households are personal: the public asks by street, community or grid.
    expect((await publicList(c, c.household.id)).status).toBe(404);
  });

  it('lets only the admins at or above the unit write, and keeps drafts from everyone else', async () => {
    const c = await buildCommunity(app);
    const other = await buildCommunity(app);
    const { communityAdmin, streetAdmin, resident, gridWorker, auditor } = c.people;
    const created = await draft(streetAdmin.client, c.grid.id);
    expect(created.unit).toMatchObject({ id: c.grid.id, kind: 'grid' });

    // A community admin may write for the community but not for the street above it.
    const up = await communityAdmin.client.post('/api/notices', {
      unitId: c.street.id,
      title: '越级',
      body: '不可以',
      category: 'notice',
    });
    expect(up.status).toBe(403);
    // Residents and grid workers write nothing; the public is asked to sign in.
    for (const client of [resident.client, gridWorker.client]) {
      const reply = await client.post('/api/notices', {
        unitId: c.community.id,
        title: 'x',
        body: 'y',
        category: 'notice',
      });
      expect([403, 404]).toContain(reply.status);
    }
    expect(
      (
        await c.public.post('/api/notices', {
          unitId: c.community.id,
          title: 'x',
          body: 'y',
          category: 'notice',
        })
      ).status,
    ).toBe(401);
    // Another street's admin cannot learn that the draft exists.
    const outsider = await other.people.streetAdmin.client.get(`/api/notices/${created.id}`);
    expect(outsider.status).toBe(404);
    const outsiderPublish = await other.people.communityAdmin.client.post(
      `/api/notices/${created.id}/publish`,
      {
        expectedVersion: 1,
      },
    );
    expect(outsiderPublish.status).toBe(404);
    // The auditor reads drafts but cannot publish them.
    const read = await auditor.client.get<Notice>(`/api/notices/${created.id}`);
    expect(read.status).toBe(200);
    expect(read.body.allowedActions).toEqual([]);
    expect(
      (await auditor.client.post(`/api/notices/${created.id}/publish`, { expectedVersion: 1 })).status,
    ).toBe(403);
    // The console's unit picker offers what the caller may write for.
    const list = await communityAdmin.client.get<NoticeList>('/api/notices');
    expect(list.body.units.map((u) => u.id)).toContain(c.community.id);
    expect(list.body.units.map((u) => u.id)).toContain(c.grid.id);
    expect(list.body.units.map((u) => u.id)).not.toContain(c.street.id);
    expect(list.body.items.map((n) => n.id)).toContain(created.id);
    // A resident has no staff list.
    expect((await resident.client.get('/api/notices')).status).toBe(403);
  });

  it('refuses bad input with bilingual messages and writes nothing', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const before = await app.db
      .selectFrom('community_notices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('street_id', '=', c.street.id)
      .executeTakeFirstOrThrow();

    const long = await admin.post('/api/notices', {
      unitId: c.community.id,
      title: '长'.repeat(61),
      body: '正'.repeat(5001),
      category: 'notice',
    });
    expect(long.status).toBe(400);
    const messages = JSON.stringify(long.body.error.details);
    expect(messages).toContain('标题最多 60 个字');
    expect(messages).toContain('the title is at most 60 characters');
    expect(messages).toContain('正文最多 5000 个字');

    const blank = await admin.post('/api/notices', {
      unitId: c.community.id,
      title: '   ',
      body: 'x',
      category: 'x',
    });
    expect(blank.status).toBe(400);
    expect(JSON.stringify(blank.body.error.details)).toContain('标题不能为空');
    expect(JSON.stringify(blank.body.error.details)).toContain(
      'category is notice, activity, guide or urgent',
    );

    const extra = await admin.post('/api/notices', {
      unitId: c.community.id,
      title: 't',
      body: 'b',
      category: 'notice',
      authorId: c.people.streetAdmin.id,
    });
    expect(extra.status).toBe(400);

    const past = await admin.post('/api/notices', {
      unitId: c.community.id,
      title: '过期',
      body: 'b',
      category: 'notice',
      expiresAt: '2020-01-01T00:00:00+08:00',
    });
    expect(past.status).toBe(422);
    expect(past.body.error.messages.zh).toContain('截止时间已过');

    const building = await admin.post('/api/notices', {
      unitId: c.building.id,
      title: '楼栋',
      body: 'b',
      category: 'notice',
    });
    expect(building.status).toBe(422);
    expect(building.body.error.code).toBe('notice_unit_kind');

    const after = await app.db
      .selectFrom('community_notices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('street_id', '=', c.street.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const entries = await app.db
      .selectFrom('journal_entries')
      .select('id')
      .where('record_type', '=', 'community_notice')
      .where('street_id', '=', c.street.id)
      .execute();
    expect(entries).toEqual([]);

    // Another admin's notice id that does not exist: 404 with the bilingual message.
    const missing = await admin.post(`/api/notices/${crypto.randomUUID()}/publish`, { expectedVersion: 1 });
    expect(missing.status).toBe(404);
    expect(missing.body.error.messages).toEqual({ zh: '公告不存在', en: 'Notice not found' });
    const user = await createTestUser(app, {
      name: '临时',
      roles: [{ role: 'community_admin', unitId: c.community.id }],
    });
    expect((await user.client.get('/api/notices')).status).toBe(200);
  });

  it("seeds the demo's notices through the use-cases: the street's, and 新山村's pinned water cut first", async () => {
    const c = await buildCommunity(app);
    const count = await seedDemoNotices(app, [
      {
        unit: c.street,
        adminId: c.people.streetAdmin.id,
        communities: [{ unit: { id: c.community.id, name: '新山村' }, adminId: c.people.communityAdmin.id }],
      },
    ]);
    expect(count).toBe(3);
    const list = await c.public.get<PublicNoticeList>(`/api/public/notices?unitId=${c.community.id}`);
    expect(list.body.items).toHaveLength(3);
    expect(list.body.items[0]).toMatchObject({ category: 'urgent', isPinned: true });
    expect(list.body.items[0]!.title).toContain('停水通知');
    expect((await verifyJournal(app.db, { streetId: c.street.id })).isValid).toBe(true);
  });
});
