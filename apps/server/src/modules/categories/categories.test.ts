import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, createTestUser, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';

const limits = {
  accept: { amount: 2, unit: 'working_hours' },
  handle: { normal: { amount: 3, unit: 'working_days' }, urgent: { amount: 1, unit: 'working_days' } },
  followUp: { amount: 5, unit: 'working_days' },
};

/**
 * A major class no other test uses: the dictionary is shared by every test on the database, so each
 * test adds its own classes (major codes 50–98 are free in the shipped set) and never edits shipped ones.
 */
async function freeMajor(app: App): Promise<string> {
  for (;;) {
    const major = String(randomInt(50, 99));
    const taken = await app.db
      .selectFrom('case_categories')
      .select('code')
      .where('major_code', '=', major)
      .executeTakeFirst();
    if (!taken) return major;
  }
}

describe('categories', () => {
  let app: App;
  let c: TestCommunity;
  beforeAll(async () => {
    app = await buildTestApp();
    c = await buildCommunity(app);
  });
  afterAll(() => app.close());

  it('lists the dictionary for everyone, grouped by major class, with names, icons, limits and sensitivity', async () => {
    const reply = await c.public.get('/api/categories');
    expect(reply.status).toBe(200);
    expect(reply.body.allowedActions).toEqual([]);
    const majors = reply.body.groups.map((group: any) => group.majorCode);
    expect(majors.slice(0, 6)).toEqual(['01', '02', '03', '04', '05', '06']);
    const sanitation = reply.body.groups[0];
    expect(sanitation.name).toEqual({ zh: '环境卫生', en: 'Environment and sanitation' });
    expect(sanitation.categories[0]).toEqual({
      code: '0101',
      majorCode: '01',
      name: { zh: '暴露垃圾', en: 'Exposed rubbish' },
      majorName: { zh: '环境卫生', en: 'Environment and sanitation' },
      acceptanceStandard: '垃圾暴露在外、未入桶入箱',
      closureStandard: '现场无暴露垃圾，周边清洁',
      timeLimits: {
        accept: { amount: 2, unit: 'working_hours' },
        handle: { normal: { amount: 1, unit: 'working_days' }, urgent: { amount: 4, unit: 'working_hours' } },
        followUp: { amount: 3, unit: 'working_days' },
      },
      defaultOrgKind: 'sanitation_team',
      isSensitive: false,
      icon: 'trash',
      sort: 1,
      isActive: true,
      version: expect.any(Number),
      updatedAt: expect.any(String),
      allowedActions: [],
    });
    const disputes = reply.body.groups.find((group: any) => group.majorCode === '04');
    expect(disputes.categories.every((category: any) => category.isSensitive)).toBe(true);
    const asAdmin = await c.people.streetAdmin.client.get('/api/categories');
    expect(asAdmin.body.allowedActions).toEqual(['create']);
    expect(asAdmin.body.groups[0].categories[0].allowedActions).toEqual(['update', 'deactivate']);
    expect((await c.public.get('/api/categories?includeInactive=true')).status).toBe(401);
    expect((await c.people.communityAdmin.client.get('/api/categories?includeInactive=true')).status).toBe(
      403,
    );
  });

  it('lets street and system admins add a class that residents can report in at once', async () => {
    const major = await freeMajor(app);
    const created = await c.people.streetAdmin.client.post('/api/categories', {
      code: `${major}01`,
      nameZh: '共享单车乱停放',
      nameEn: 'Badly parked shared bikes',
      majorNameZh: '市容秩序',
      majorNameEn: 'Street order',
      closureStandard: '车辆已挪至停放区',
      timeLimits: limits,
      defaultOrgKind: 'property_company',
      icon: 'bike',
      sort: 3,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      code: `${major}01`,
      majorCode: major,
      majorName: { zh: '市容秩序', en: 'Street order' },
      timeLimits: limits,
      isSensitive: false,
      version: 1,
      allowedActions: ['update', 'deactivate'],
    });
    // a second class joins the major class and takes its names
    const sysadmin = await createTestUser(app, {
      name: '系统管理员',
      roles: [{ role: 'system_admin', unitId: c.street.id }],
    });
    const second = await sysadmin.client.post('/api/categories', {
      code: `${major}02`,
      nameZh: '占道经营',
      nameEn: 'Street vending on the road',
      timeLimits: { ...limits, verify: { amount: 4, unit: 'calendar_hours' } },
    });
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({
      majorName: { zh: '市容秩序' },
      timeLimits: { verify: { amount: 4, unit: 'calendar_hours' } },
    });
    const stored = await app.db
      .selectFrom('case_categories')
      .select('time_limits')
      .where('code', '=', `${major}02`)
      .executeTakeFirstOrThrow();
    // stored in the shape the case module and the reference file use
    expect(stored.time_limits).toMatchObject({
      follow_up: { amount: 5, unit: 'working_days' },
      verify: { amount: 4 },
    });

    const report = await c.people.resident.client.post('/api/cases', {
      categoryCode: `${major}01`,
      description: '单车堆在消防通道',
      location: c.pointIn(0),
    });
    expect(report.status).toBe(201);
    expect(report.body.category).toMatchObject({ code: `${major}01`, name: { zh: '共享单车乱停放' } });
    // no routing rule for this major class: the community's '*' rule answers
    expect(report.body.org).toMatchObject({ id: c.teams.committee });
  });

  it('refuses everyone else, and bad codes, limits and fields, writing nothing', async () => {
    const major = await freeMajor(app);
    const body = {
      code: `${major}01`,
      nameZh: '测试',
      nameEn: 'Test',
      majorNameZh: '测试大类',
      majorNameEn: 'Test major',
      timeLimits: limits,
    };
    expect((await c.public.post('/api/categories', body)).status).toBe(401);
    expect((await c.people.communityAdmin.client.post('/api/categories', body)).status).toBe(403);
    expect((await c.people.resident.client.post('/api/categories', body)).status).toBe(403);
    const admin = c.people.streetAdmin.client;
    for (const code of [`${major}00`, `00${major}`, `${major}1`, `${major}01x`]) {
      const reply = await admin.post('/api/categories', { ...body, code });
      expect(reply.status).toBe(400);
      expect(reply.body.error.details.issues[0].path).toBe('body.code');
    }
    const zero = await admin.post('/api/categories', {
      ...body,
      timeLimits: { ...limits, accept: { amount: 0, unit: 'working_hours' } },
    });
    expect(zero.status).toBe(400);
    expect(zero.body.error.details.issues[0]).toMatchObject({ path: 'body.timeLimits.accept.amount' });
    const weeks = await admin.post('/api/categories', {
      ...body,
      timeLimits: { ...limits, followUp: { amount: 1, unit: 'weeks' } },
    });
    expect(weeks.status).toBe(400);
    expect(weeks.body.error.details.issues[0].path).toBe('body.timeLimits.followUp.unit');
    const missingUrgent = await admin.post('/api/categories', {
      ...body,
      timeLimits: { ...limits, handle: { normal: limits.handle.normal } },
    });
    expect(missingUrgent.status).toBe(400);
    const unknownField = await admin.post('/api/categories', { ...body, colour: 'red' });
    expect(unknownField.status).toBe(400);
    const badKind = await admin.post('/api/categories', { ...body, defaultOrgKind: 'police' });
    expect(badKind.status).toBe(400);
    const noMajorName = await admin.post('/api/categories', {
      ...body,
      majorNameZh: undefined,
      majorNameEn: undefined,
    });
    expect(noMajorName.status).toBe(422);
    expect(noMajorName.body.error.code).toBe('major_name_required');
    const stored = await app.db
      .selectFrom('case_categories')
      .select('code')
      .where('major_code', '=', major)
      .execute();
    expect(stored).toEqual([]);

    expect((await admin.post('/api/categories', body)).status).toBe(201);
    const duplicate = await admin.post('/api/categories', body);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('category_exists');
    const renamedMajor = await admin.post('/api/categories', {
      ...body,
      code: `${major}02`,
      majorNameZh: '另一个名字',
    });
    expect(renamedMajor.status).toBe(422);
    expect(renamedMajor.body.error.code).toBe('major_name_mismatch');
  });

  it('edits a class with optimistic concurrency and renames its major class everywhere', async () => {
    const major = await freeMajor(app);
    const admin = c.people.streetAdmin.client;
    const base = { nameEn: 'Test', majorNameZh: '旧大类', majorNameEn: 'Old major', timeLimits: limits };
    const first = await admin.post('/api/categories', { ...base, code: `${major}01`, nameZh: '甲' });
    const second = await admin.post('/api/categories', { ...base, code: `${major}02`, nameZh: '乙' });
    expect([first.status, second.status]).toEqual([201, 201]);

    const edited = await admin.patch(`/api/categories/${major}01`, {
      expectedVersion: 1,
      timeLimits: {
        ...limits,
        handle: { normal: { amount: 5, unit: 'working_days' }, urgent: { amount: 8, unit: 'working_hours' } },
      },
      isSensitive: true,
      majorNameZh: '新大类',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      version: 2,
      isSensitive: true,
      majorName: { zh: '新大类', en: 'Old major' },
      timeLimits: { handle: { urgent: { amount: 8, unit: 'working_hours' } } },
    });
    const list = await c.public.get('/api/categories');
    const group = list.body.groups.find((g: any) => g.majorCode === major);
    expect(group.name.zh).toBe('新大类');
    expect(group.categories.map((category: any) => category.majorName.zh)).toEqual(['新大类', '新大类']);

    const stale = await admin.patch(`/api/categories/${major}01`, { expectedVersion: 1, nameZh: '丙' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'stale_version', details: { currentVersion: 2 } });
    const nothing = await admin.patch(`/api/categories/${major}01`, { expectedVersion: 2 });
    expect(nothing.status).toBe(400);
    const codeChange = await admin.patch(`/api/categories/${major}01`, {
      expectedVersion: 2,
      code: `${major}09`,
    });
    expect(codeChange.status).toBe(400);
    const missing = await admin.patch(`/api/categories/${major}99`, { expectedVersion: 1, nameZh: '丁' });
    expect(missing.status).toBe(404);
    expect(
      (
        await c.people.communityAdmin.client.patch(`/api/categories/${major}01`, {
          expectedVersion: 2,
          nameZh: '戊',
        })
      ).status,
    ).toBe(403);
  });

  it('deactivates a class: no new reports use it, administrators still list it', async () => {
    const major = await freeMajor(app);
    const admin = c.people.streetAdmin.client;
    const created = await admin.post('/api/categories', {
      code: `${major}01`,
      nameZh: '临时分类',
      nameEn: 'Temporary',
      majorNameZh: '临时',
      majorNameEn: 'Temporary',
      timeLimits: limits,
    });
    expect(created.status).toBe(201);
    const off = await admin.post(`/api/categories/${major}01/deactivate`, { expectedVersion: 1 });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ isActive: false, version: 2, allowedActions: ['activate'] });
    const again = await admin.post(`/api/categories/${major}01/deactivate`, { expectedVersion: 2 });
    expect(again.status).toBe(409);
    const publicList = await c.public.get('/api/categories');
    expect(publicList.body.groups.some((g: any) => g.majorCode === major)).toBe(false);
    const adminList = await admin.get('/api/categories?includeInactive=true');
    expect(adminList.body.groups.find((g: any) => g.majorCode === major).categories[0].isActive).toBe(false);
    const report = await c.people.resident.client.post('/api/cases', {
      categoryCode: `${major}01`,
      description: '测试停用分类',
      location: c.pointIn(0),
    });
    expect(report.status).toBe(422);
    const on = await admin.post(`/api/categories/${major}01/activate`, { expectedVersion: 2 });
    expect(on.status).toBe(200);
    expect(on.body.isActive).toBe(true);
  });
});
