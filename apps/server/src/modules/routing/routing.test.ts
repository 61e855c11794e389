import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, createTestUser, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { insertUnit } from '../areas/repository.ts';
import { insertOrganisation } from '../org/repository.ts';
import { resolveRoute } from './resolve-route.ts';

/** The rule buildCommunity set up at the community for `category`. */
async function communityRule(app: App, c: TestCommunity, category: string) {
  const reply = await c.people.communityAdmin.client.get(
    `/api/routing/rules?unitId=${c.community.id}&category=${encodeURIComponent(category)}`,
  );
  expect(reply.status).toBe(200);
  expect(reply.body.items).toHaveLength(1);
  return reply.body.items[0];
}

/** Polls `read` until it returns `expected` (a NOTIFY from another connection arrives asynchronously). */
async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  let value = await read();
  while (value !== expected && Date.now() - start < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}

describe('routing: resolveRoute precedence', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('routes by the major-class rule, and by * when no class rule matches', async () => {
    const c = await buildCommunity(app);
    const sanitation = await resolveRoute(app.db, { categoryCode: '0101', unitPath: c.grid.path });
    expect(sanitation).toMatchObject({ id: c.teams.sanitation, matchedBy: 'rule', rule: { category: '01' } });
    const suggestion = await resolveRoute(app.db, { categoryCode: '0601', unitPath: c.grid.path });
    expect(suggestion).toMatchObject({ id: c.teams.committee, matchedBy: 'rule', rule: { category: '*' } });
  });

  it('prefers a minor-class rule over a major-class rule, even one on a deeper unit', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    // a major-class rule on the grid: deeper than the community's '01'
    const gridMajor = await admin.post('/api/routing/rules', {
      category: '01',
      unitId: c.grid.id,
      orgId: c.teams.property,
    });
    expect(gridMajor.status).toBe(201);
    const byGrid = await resolveRoute(app.db, { categoryCode: '0102', unitPath: c.grid.path });
    expect(byGrid).toMatchObject({
      id: c.teams.property,
      rule: { id: gridMajor.body.id, unitId: c.grid.id },
    });
    // the other grids keep the community's rule
    const elsewhere = await resolveRoute(app.db, { categoryCode: '0102', unitPath: c.grids[1]!.path });
    expect(elsewhere?.id).toBe(c.teams.sanitation);

    // a minor-class rule on the (shallower) community beats the grid's major-class rule
    const minor = await admin.post('/api/routing/rules', {
      category: '0102',
      unitId: c.community.id,
      orgId: c.teams.volunteer,
    });
    expect(minor.status).toBe(201);
    const byMinor = await resolveRoute(app.db, { categoryCode: '0102', unitPath: c.grid.path });
    expect(byMinor).toMatchObject({ id: c.teams.volunteer, rule: { id: minor.body.id, category: '0102' } });
    // a sibling minor class still follows the grid's major-class rule
    expect((await resolveRoute(app.db, { categoryCode: '0101', unitPath: c.grid.path }))?.id).toBe(
      c.teams.property,
    );
  });

  it('ignores deactivated rules and rules of deactivated organisations', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const rule = await communityRule(app, c, '04');
    const off = await admin.post(`/api/routing/rules/${rule.id}/deactivate`, {
      expectedVersion: rule.version,
    });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ isActive: false, allowedActions: ['activate'] });
    // with '04' gone, '*' answers
    expect((await resolveRoute(app.db, { categoryCode: '0401', unitPath: c.grid.path }))?.id).toBe(
      c.teams.committee,
    );

    // the committee closes down (by SQL, as another process or an import would): routing hears of it
    await app.db
      .updateTable('organisations')
      .set({ is_active: false })
      .where('id', '=', c.teams.committee)
      .execute();
    const next = await eventually(
      async () => (await resolveRoute(app.db, { categoryCode: '0401', unitPath: c.grid.path }))?.id,
      c.teams.mediation,
    );
    // no rule left: the category's default organisation kind (mediation_team) at the nearest ancestor
    expect(next).toBe(c.teams.mediation);
    const fallback = await resolveRoute(app.db, { categoryCode: '0401', unitPath: c.grid.path });
    expect(fallback).toMatchObject({ matchedBy: 'default_org_kind', rule: null, kind: 'mediation_team' });
  });

  it('falls back to the default organisation kind at the nearest ancestor, else null', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    for (const category of ['01', '*']) {
      const rule = await communityRule(app, c, category);
      const off = await admin.post(`/api/routing/rules/${rule.id}/deactivate`, {
        expectedVersion: rule.version,
      });
      expect(off.status).toBe(200);
    }
    // a sanitation team on the grid is nearer than the community's
    const gridTeam = await insertOrganisation(app.db, {
      unitId: c.grid.id,
      kind: 'sanitation_team',
      name: '网格保洁组',
    });
    const near = await eventually(
      async () => (await resolveRoute(app.db, { categoryCode: '0101', unitPath: c.grid.path }))?.id,
      gridTeam,
    );
    expect(near).toBe(gridTeam);
    expect(await resolveRoute(app.db, { categoryCode: '0101', unitPath: c.grids[1]!.path })).toMatchObject({
      id: c.teams.sanitation,
      matchedBy: 'default_org_kind',
    });
    // 0601's default kind is committee; with the committee closed and no rule, nobody answers
    await app.db
      .updateTable('organisations')
      .set({ is_active: false })
      .where('id', '=', c.teams.committee)
      .execute();
    const none = await eventually(
      async () => (await resolveRoute(app.db, { categoryCode: '0601', unitPath: c.grid.path })) === null,
      true,
    );
    expect(none).toBe(true);
    // an unknown category routes nowhere
    expect(await resolveRoute(app.db, { categoryCode: '9999', unitPath: c.grid.path })).toBeNull();
  });

  it('sees an edit at once in this process (the cache is invalidated)', async () => {
    const c = await buildCommunity(app);
    const before = await resolveRoute(app.db, { categoryCode: '0201', unitPath: c.grid.path });
    expect(before?.id).toBe(c.teams.property);
    const rule = await communityRule(app, c, '02');
    const edited = await c.people.communityAdmin.client.patch(`/api/routing/rules/${rule.id}`, {
      expectedVersion: rule.version,
      orgId: c.teams.committee,
      note: '物业合同到期，暂由居委会处理',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ version: rule.version + 1, org: { id: c.teams.committee } });
    const after = await resolveRoute(app.db, { categoryCode: '0201', unitPath: c.grid.path });
    expect(after?.id).toBe(c.teams.committee);
  });
});

describe('routing rules over HTTP', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('creates a rule, journals it, and lists it with what the caller may do', async () => {
    const c = await buildCommunity(app);
    const created = await c.people.communityAdmin.client.post('/api/routing/rules', {
      category: '0203',
      unitId: c.grids[2]!.id,
      orgId: c.teams.property,
      note: '楼道杂物由物业清理',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      category: '0203',
      categoryName: { zh: '楼道堆物', en: expect.any(String) },
      unit: { id: c.grids[2]!.id, kind: 'grid' },
      org: { id: c.teams.property, kind: 'property_company' },
      isActive: true,
      version: 1,
      allowedActions: ['update', 'deactivate'],
    });
    const entries = await app.db
      .selectFrom('journal_entries')
      .select(['action', 'street_id', 'actor_id', 'actor_role', 'payload', 'seq'])
      .where('record_type', '=', 'routing_rule')
      .where('record_id', '=', created.body.id)
      .execute();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      action: 'create',
      seq: 1,
      street_id: c.street.id,
      actor_id: c.people.communityAdmin.id,
      actor_role: 'community_admin',
      payload: {
        set: {
          category: '0203',
          unit_id: c.grids[2]!.id,
          org_id: c.teams.property,
          is_active: true,
          version: 1,
        },
      },
    });

    const listed = await c.people.streetAdmin.client.get(`/api/routing/rules?unitId=${c.community.id}`);
    expect(listed.status).toBe(200);
    // the community's six rules, then the grid's
    expect(listed.body.items.map((rule: any) => rule.category)).toEqual([
      '*',
      '01',
      '02',
      '03',
      '04',
      '05',
      '0203',
    ]);
    const auditorView = await c.people.auditor.client.get(`/api/routing/rules?unitId=${c.community.id}`);
    expect(auditorView.status).toBe(200);
    expect(auditorView.body.items[0].allowedActions).toEqual([]);
  });

  it('pages through rules with a cursor', async () => {
    const c = await buildCommunity(app);
    const first = await c.people.communityAdmin.client.get(
      `/api/routing/rules?unitId=${c.community.id}&limit=4`,
    );
    expect(first.body.items).toHaveLength(4);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await c.people.communityAdmin.client.get(
      `/api/routing/rules?unitId=${c.community.id}&limit=4&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((rule: any) => rule.category)).toEqual(['04', '05']);
    expect(second.body.nextCursor).toBeNull();
    const broken = await c.people.communityAdmin.client.get('/api/routing/rules?cursor=not-a-cursor');
    expect(broken.status).toBe(400);
    expect(broken.body.error.messages.zh).toMatch(/游标/);
  });

  it('lets only admins covering the unit change rules', async () => {
    const c = await buildCommunity(app);
    const other = await buildCommunity(app);
    const body = { category: '0205', unitId: c.community.id, orgId: c.teams.property };
    expect((await c.public.post('/api/routing/rules', body)).status).toBe(401);
    expect((await c.people.gridWorker.client.post('/api/routing/rules', body)).status).toBe(403);
    expect((await c.people.resident.client.post('/api/routing/rules', body)).status).toBe(403);
    expect((await other.people.communityAdmin.client.post('/api/routing/rules', body)).status).toBe(403);
    // a community admin cannot set a rule for the whole street
    const streetWide = await c.people.communityAdmin.client.post('/api/routing/rules', {
      ...body,
      unitId: c.street.id,
    });
    expect(streetWide.status).toBe(403);
    expect((await c.people.streetAdmin.client.post('/api/routing/rules', body)).status).toBe(201);

    const rule = await communityRule(app, c, '05');
    const foreign = await other.people.communityAdmin.client.post(
      `/api/routing/rules/${rule.id}/deactivate`,
      {
        expectedVersion: rule.version,
      },
    );
    expect(foreign.status).toBe(403);
    expect((await c.people.gridWorker.client.get('/api/routing/rules')).status).toBe(403);
    expect((await c.public.get('/api/routing/rules')).status).toBe(401);
  });

  it('refuses bad input with bilingual messages and writes nothing', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const count = async () =>
      Number(
        (
          await app.db
            .selectFrom('routing_rules')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('unit_id', 'in', [c.community.id, c.grid.id, c.compound.id])
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();

    const badCode = await admin.post('/api/routing/rules', {
      category: '1',
      unitId: c.grid.id,
      orgId: c.teams.property,
    });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.details.issues[0]).toMatchObject({ path: 'body.category' });
    expect(badCode.body.error.details.issues[0]).toMatchObject({
      messageZh: '分类应为 4 位小类代码、2 位大类代码或 *',
      messageEn: 'category must be a 4-digit minor code, a 2-digit major code or *',
    });
    const unknownField = await admin.post('/api/routing/rules', {
      category: '01',
      unitId: c.grid.id,
      orgId: c.teams.property,
      priority: 1,
    });
    expect(unknownField.status).toBe(400);
    const unknownCategory = await admin.post('/api/routing/rules', {
      category: '0199',
      unitId: c.grid.id,
      orgId: c.teams.property,
    });
    expect(unknownCategory.status).toBe(422);
    expect(unknownCategory.body.error).toMatchObject({
      code: 'unknown_category',
      messages: { zh: expect.stringMatching(/0199/) },
    });
    const compound = await admin.post('/api/routing/rules', {
      category: '01',
      unitId: c.compound.id,
      orgId: c.teams.property,
    });
    expect(compound.status).toBe(422);
    expect(compound.body.error.code).toBe('unit_not_routable');
    const other = await buildCommunity(app);
    const foreignOrg = await admin.post('/api/routing/rules', {
      category: '01',
      unitId: c.grid.id,
      orgId: other.teams.property,
    });
    expect(foreignOrg.status).toBe(422);
    expect(foreignOrg.body.error.code).toBe('org_out_of_area');
    const duplicate = await admin.post('/api/routing/rules', {
      category: '01',
      unitId: c.community.id,
      orgId: c.teams.property,
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('rule_exists');
    expect(await count()).toBe(before);

    const rule = await communityRule(app, c, '03');
    const stale = await admin.patch(`/api/routing/rules/${rule.id}`, {
      expectedVersion: rule.version + 5,
      note: '改',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({
      code: 'stale_version',
      details: { currentVersion: rule.version },
    });
    const clash = await admin.patch(`/api/routing/rules/${rule.id}`, {
      expectedVersion: rule.version,
      category: '02',
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('rule_exists');
    const nothing = await admin.patch(`/api/routing/rules/${rule.id}`, { expectedVersion: rule.version });
    expect(nothing.status).toBe(400);
    const unchanged = await communityRule(app, c, '03');
    expect(unchanged).toMatchObject({ version: rule.version, note: null });
    const missing = await admin.patch(`/api/routing/rules/${crypto.randomUUID()}`, {
      expectedVersion: 1,
      note: '改',
    });
    expect(missing.status).toBe(404);
  });

  it('journals deactivation and activation and refuses repeating them', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const rule = await communityRule(app, c, '05');
    const off = await admin.post(`/api/routing/rules/${rule.id}/deactivate`, {
      expectedVersion: rule.version,
    });
    expect(off.status).toBe(200);
    const again = await admin.post(`/api/routing/rules/${rule.id}/deactivate`, {
      expectedVersion: off.body.version,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.details.allowedActions).toEqual(['activate']);
    const hidden = await admin.get(`/api/routing/rules?unitId=${c.community.id}&category=05`);
    expect(hidden.body.items).toHaveLength(0);
    const shown = await admin.get(
      `/api/routing/rules?unitId=${c.community.id}&category=05&includeInactive=true`,
    );
    expect(shown.body.items[0]).toMatchObject({ id: rule.id, isActive: false });
    // a new rule may take the place of the deactivated one; then the old one cannot come back
    const replacement = await admin.post('/api/routing/rules', {
      category: '05',
      unitId: c.community.id,
      orgId: c.teams.committee,
    });
    expect(replacement.status).toBe(201);
    const back = await admin.post(`/api/routing/rules/${rule.id}/activate`, {
      expectedVersion: off.body.version,
    });
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('rule_exists');

    const entries = await app.db
      .selectFrom('journal_entries')
      .select(['seq', 'action', 'payload'])
      .where('record_type', '=', 'routing_rule')
      .where('record_id', '=', rule.id)
      .orderBy('seq')
      .execute();
    // the rule came from buildCommunity without a journal entry: its first entry carries every column
    expect(entries.map((e) => e.action)).toEqual(['deactivate']);
    expect(entries[0]!.payload).toMatchObject({
      set: {
        category: '05',
        unit_id: c.community.id,
        org_id: c.teams.volunteer,
        is_active: false,
        version: 2,
      },
    });
  });
});

describe('routing: test a location and category', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('names the grid, community, organisation and the rule that matched', async () => {
    const c = await buildCommunity(app);
    await app.areas.refresh();
    const { lng, lat } = c.pointIn(0);
    const reply = await c.people.communityAdmin.client.get(
      `/api/routing/resolve?lng=${lng}&lat=${lat}&category=0101`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      location: {
        level: 'grid',
        street: { id: c.street.id },
        community: { id: c.community.id, name: '测试社区' },
        grid: { id: c.grid.id, code: c.grid.code },
        unitPath: c.grid.path,
      },
      category: { code: '0101', name: { zh: '暴露垃圾', en: 'Exposed rubbish' } },
      org: { id: c.teams.sanitation, kind: 'sanitation_team' },
      matchedBy: 'rule',
      rule: { category: '01', unit: { id: c.community.id } },
    });

    const outside = c.pointOutside();
    const queue = await c.people.streetAdmin.client.get(
      `/api/routing/resolve?lng=${outside.lng}&lat=${outside.lat}&category=0401`,
    );
    expect(queue.status).toBe(200);
    expect(queue.body.location).toMatchObject({ level: 'street', grid: null });
    // outside the community no community rule applies, and the street has no mediation team
    expect(queue.body).toMatchObject({ org: null, matchedBy: null, rule: null });
  });

  it('refuses the public, non-admins, points outside the caller’s units and bad input', async () => {
    const c = await buildCommunity(app);
    const other = await buildCommunity(app);
    await app.areas.refresh();
    const { lng, lat } = c.pointIn(1);
    const url = `/api/routing/resolve?lng=${lng}&lat=${lat}&category=0201`;
    expect((await c.public.get(url)).status).toBe(401);
    expect((await c.people.gridWorker.client.get(url)).status).toBe(403);
    expect((await other.people.communityAdmin.client.get(url)).status).toBe(403);
    const badLat = await c.people.communityAdmin.client.get(
      `/api/routing/resolve?lng=${lng}&lat=91&category=0201`,
    );
    expect(badLat.status).toBe(400);
    expect(badLat.body.error.details.issues[0].path).toBe('querystring.lat');
    const unknown = await c.people.communityAdmin.client.get(
      `/api/routing/resolve?lng=${lng}&lat=${lat}&category=0999`,
    );
    expect(unknown.status).toBe(422);
    const nowhere = await c.people.communityAdmin.client.get(
      `/api/routing/resolve?lng=-170&lat=-80&category=0201`,
    );
    expect(nowhere.status).toBe(200);
    expect(nowhere.body).toMatchObject({ location: null, org: null });
  });

  it('lets a system administrator route anywhere under their unit', async () => {
    const c = await buildCommunity(app);
    const grid = await insertUnit(app.db, {
      parentId: c.community.id,
      kind: 'grid',
      code: `${c.community.code}099`,
      name: '临时网格',
    });
    const sysadmin = await createTestUser(app, {
      name: '系统管理员',
      roles: [{ role: 'system_admin', unitId: c.street.id }],
    });
    const created = await sysadmin.client.post('/api/routing/rules', {
      category: '0301',
      unitId: grid.id,
      orgId: c.teams.committee,
    });
    expect(created.status).toBe(201);
    expect((await resolveRoute(app.db, { categoryCode: '0301', unitPath: grid.path }))?.id).toBe(
      c.teams.committee,
    );
  });
});
