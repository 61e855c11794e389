import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { buildTestApp, Client } from '../../../test/harness.ts';
import { uploadPhoto } from '../../../test/multipart.ts';
import { act, checkCaseChain, countCasesInStreet, report } from './case-test-helpers.ts';

describe('case intake', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('returns the same case for a repeated Idempotency-Key and refuses the key with another body', async () => {
    const c = await buildCommunity(app);
    const client = c.people.resident.client;
    const key = { 'idempotency-key': `report-${crypto.randomUUID()}` };
    const first = await report(client, c, {}, key);
    expect(first.status).toBe(201);
    const repeat = await report(client, c, {}, key);
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(first.body);
    expect(await countCasesInStreet(app, c.street.id)).toBe(1);

    const different = await report(client, c, { description: '另一件事：路灯不亮' }, key);
    expect(different.status).toBe(422);
    expect(different.body.error.code).toBe('idempotency_key_reused');
    expect(different.body.error.messages.zh).toMatch(/Idempotency-Key/);
    // the same key from another person is another request
    const other = await report(c.people.otherResident.client, c, {}, key);
    expect(other.status).toBe(201);
    expect(await countCasesInStreet(app, c.street.id)).toBe(2);

    const overlong = await report(client, c, {}, { 'idempotency-key': 'k'.repeat(201) });
    expect(overlong.status).toBe(400);
    expect((overlong.body.error.details.issues as any[])[0].path).toBe('headers.idempotency-key');
    expect(await countCasesInStreet(app, c.street.id)).toBe(2);
  });

  it('answers concurrent repeats of one key with one case', async () => {
    const c = await buildCommunity(app);
    const key = { 'idempotency-key': `burst-${crypto.randomUUID()}` };
    const replies = await Promise.all(
      Array.from({ length: 6 }, () => report(c.people.resident.client, c, {}, key)),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(await countCasesInStreet(app, c.street.id)).toBe(1);
  });

  it('writes many concurrent reports, each with its own number and journal chain', async () => {
    const c = await buildCommunity(app);
    const replies = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        report(c.people.resident.client, c, {
          description: `第${i}号上报：垃圾未清运`,
          location: c.pointIn(i % 4),
        }),
      ),
    );
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(new Set(replies.map((r) => r.body.code)).size).toBe(40);
    expect(new Set(replies.map((r) => r.body.gridId))).toEqual(new Set(c.grids.map((g) => g.id)));
    expect(await countCasesInStreet(app, c.street.id)).toBe(40);
    for (const reply of replies.slice(0, 5)) {
      const chain = await checkCaseChain(app, reply.body.id);
      expect(chain.problems).toEqual([]);
      expect(chain.actions).toEqual(['report']);
    }
  });

  it('refuses invalid JSON, unknown fields, wrong types and coordinates out of range, writing nothing', async () => {
    const c = await buildCommunity(app);
    const client = c.people.resident.client;
    const broken = await client.request('POST', '/api/cases', '{"categoryCode": "0101",', {
      'content-type': 'application/json',
    });
    expect(broken.status).toBe(400);
    expect(broken.body.error.messages).toEqual({
      zh: '请求内容不是有效的 JSON',
      en: 'The request body is not valid JSON',
    });

    const unknown = await report(client, c, { reporterIdNumber: '110101199001011234' } as never);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('validation_failed');
    const issue = (unknown.body.error.details.issues as any[])[0];
    expect(issue.messageZh).toMatch(/\p{Script=Han}/u);
    expect(issue.messageEn).toMatch(/[a-z]/);

    const wrongType = await report(client, c, { description: 42 } as never);
    expect(wrongType.status).toBe(400);
    expect((wrongType.body.error.details.issues as any[]).map((i) => i.path)).toContain('body.description');

    const farAway = await report(client, c, { location: { lng: 200, lat: 30 } });
    expect(farAway.status).toBe(400);
    expect((farAway.body.error.details.issues as any[])[0].path).toBe('body.location.lng');

    const badCategory = await report(client, c, { categoryCode: '9999' });
    expect(badCategory.status).toBe(422);
    expect(badCategory.body.error.code).toBe('unknown_category');

    const noPlace = await client.post('/api/cases', { categoryCode: '0101', description: '没说在哪里' });
    expect(noPlace.status).toBe(400);

    const english = await report(client, c, { priority: 'asap' } as never, { 'accept-language': 'en' });
    expect(english.status).toBe(400);
    expect(english.body.error.message).toBe('Some fields are not valid');

    expect(await countCasesInStreet(app, c.street.id)).toBe(0);
  });

  it('takes a report outside every grid into the community queue, and an admin assigns the grid', async () => {
    // two grids cover the northern half of the community; its southern half has none yet
    const c = await buildCommunity(app, { gridCount: 2 });
    const { resident, communityAdmin, gridWorker } = c.people;
    const gap = c.pointIn(2);
    const outside = await report(resident.client, c, { location: gap });
    expect(outside.status).toBe(201);
    expect(outside.body).toMatchObject({
      state: 'reported',
      gridId: null,
      communityId: c.community.id,
      streetId: c.street.id,
      org: { id: c.teams.sanitation },
    });

    const queue = await communityAdmin.client.get(`/api/cases?state=reported&unitId=${c.community.id}`);
    expect(queue.body.items.map((i: { id: string }) => i.id)).toEqual([outside.body.id]);
    // no grid worker sees it until it has a grid
    expect((await gridWorker.client.get(`/api/cases/${outside.body.id}`)).status).toBe(403);

    const assigned = await act(communityAdmin.client, outside.body.id, 'assign-grid', { gridId: c.grid.id });
    expect(assigned).toMatchObject({
      gridId: c.grid.id,
      gridName: '第1网格',
      communityId: c.community.id,
      version: 2,
    });
    expect((await gridWorker.client.get(`/api/cases/${outside.body.id}`)).status).toBe(200);
    expect((await checkCaseChain(app, outside.body.id)).problems).toEqual([]);

    const notAGrid = await communityAdmin.client.post(`/api/cases/${outside.body.id}/assign-grid`, {
      gridId: c.community.id,
    });
    expect(notAGrid.status).toBe(422);
    expect(notAGrid.body.error.code).toBe('unknown_grid');
    const noSuchUnit = await communityAdmin.client.post(`/api/cases/${outside.body.id}/assign-grid`, {
      gridId: crypto.randomUUID(),
    });
    expect(noSuchUnit.status).toBe(422);
  });

  it('queues a report inside the street but outside every community for the street admins', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, streetAdmin } = c.people;
    const outside = await report(resident.client, c, { location: c.pointOutside() });
    expect(outside.status).toBe(201);
    expect(outside.body).toMatchObject({ gridId: null, communityId: null, streetId: c.street.id });
    expect((await communityAdmin.client.get(`/api/cases/${outside.body.id}`)).status).toBe(403);
    const streetQueue = await streetAdmin.client.get('/api/cases?state=reported');
    expect(streetQueue.body.items.map((i: { id: string }) => i.id)).toContain(outside.body.id);
    expect((await act(streetAdmin.client, outside.body.id, 'accept')).state).toBe('accepted');
  });

  it('attaches photos at report and at handling, recorded in the journal with their hashes', async () => {
    const c = await buildCommunity(app);
    const { resident, otherResident, communityAdmin, handler } = c.people;
    const before = await uploadPhoto(resident.client);
    const created = await report(resident.client, c, { photoIds: [before] });
    expect(created.status).toBe(201);
    const after = await uploadPhoto(handler.client);
    await act(communityAdmin.client, created.body.id, 'accept');
    await act(communityAdmin.client, created.body.id, 'dispatch');
    await act(handler.client, created.body.id, 'start');
    await act(handler.client, created.body.id, 'submit', { result: '已清运', photoIds: [after] });

    const detail = await resident.client.get(`/api/cases/${created.body.id}`);
    expect(detail.body.photos.map((p: { id: string; stage: string }) => [p.id, p.stage])).toEqual([
      [before, 'report'],
      [after, 'after'],
    ]);
    expect(detail.body.photos[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(detail.body.photos[0].urls.thumb).toBe(`/api/uploads/${before}/thumb`);
    const { entries, problems } = await checkCaseChain(app, created.body.id);
    expect(problems).toEqual([]);
    expect((entries[0]!.payload as any).photos).toEqual([
      { id: before, sha256: detail.body.photos[0].sha256, stage: 'report', urls: detail.body.photos[0].urls },
    ]);
    expect((entries.at(-1)!.payload as any).photos[0]).toMatchObject({ id: after, stage: 'after' });

    // someone else's photo is refused, and the report is not written
    const count = await countCasesInStreet(app, c.street.id);
    const borrowed = await report(otherResident.client, c, { photoIds: [before] });
    expect(borrowed.status).toBe(422);
    expect(borrowed.body.error.code).toBe('photos_not_found');
    expect(await countCasesInStreet(app, c.street.id)).toBe(count);
  });

  it('fails only the bad report among concurrent ones written together', async () => {
    const c = await buildCommunity(app);
    const { resident, otherResident } = c.people;
    const residentsPhoto = await uploadPhoto(resident.client);
    const replies = await Promise.all([
      report(resident.client, c, { description: '第一件' }),
      report(otherResident.client, c, { description: '借用别人的照片', photoIds: [residentsPhoto] }),
      report(resident.client, c, { description: '第三件' }),
      report(otherResident.client, c, { description: '第四件' }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([201, 422, 201, 201]);
    expect(await countCasesInStreet(app, c.street.id)).toBe(3);
  });

  it('refuses a point outside every street with 422', async () => {
    const c = await buildCommunity(app);
    const reply = await report(c.people.resident.client, c, { location: { lng: 179.9, lat: -89.9 } });
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('outside_service_area');
    expect(reply.body.error.messages.en).toMatch(/outside every street/);
  });

  it('records a hotline call with the caller’s phone encrypted, masked, and revealed only on purpose', async () => {
    const c = await buildCommunity(app);
    const { communityAdmin, handler, resident } = c.people;
    const created = await report(communityAdmin.client, c, {
      contact: { name: '王大爷', phone: '13812345678' },
      categoryCode: '0201',
      description: '楼下路灯坏了一周',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      source: 'hotline',
      reporter: { name: '王大爷', phone: '138****5678' },
      org: { id: c.teams.property },
    });
    const row = await app.db
      .selectFrom('cases')
      .select(['reporter_phone_enc', 'reporter_phone_masked'])
      .where('id', '=', created.body.id)
      .executeTakeFirstOrThrow();
    expect(row.reporter_phone_enc).not.toContain('13812345678');
    expect(row.reporter_phone_masked).toBe('138****5678');
    const { entries } = await checkCaseChain(app, created.body.id);
    expect(entries[0]).toMatchObject({ actor_id: communityAdmin.id, actor_role: 'community_admin' });
    expect(JSON.stringify(entries)).not.toContain('5678');
    expect(JSON.stringify(entries)).not.toContain('王大爷');

    await act(communityAdmin.client, created.body.id, 'accept');
    await act(communityAdmin.client, created.body.id, 'dispatch', { orgId: c.teams.sanitation });
    const handlerView = await handler.client.get(`/api/cases/${created.body.id}`);
    expect(handlerView.body.reporter).toEqual({
      userId: null,
      name: '王**',
      phone: '138****5678',
      isPublicAnonymous: false,
    });
    expect(
      (await handler.client.get(`/api/cases/${created.body.id}/reporter-contact?purpose=回电`)).status,
    ).toBe(403);

    const revealed = await communityAdmin.client.get(
      `/api/cases/${created.body.id}/reporter-contact?purpose=${encodeURIComponent('回访核实处置情况')}`,
    );
    expect(revealed.body).toEqual({ name: '王大爷', phone: '13812345678' });
    const log = await app.db
      .selectFrom('access_log')
      .select(['actor_id', 'purpose'])
      .where('record_id', '=', created.body.id)
      .execute();
    expect(log).toEqual([{ actor_id: communityAdmin.id, purpose: '回访核实处置情况' }]);

    const residentReport = await report(resident.client, c, { contact: { phone: '13900000000' } });
    expect(residentReport.status).toBe(422);
    expect(residentReport.body.error.code).toBe('contact_not_allowed');
  });

  it('takes reports from the public with a phone when allowed', async () => {
    const c = await buildCommunity(app);
    const withoutPhone = await report(c.public, c);
    expect(withoutPhone.status).toBe(422);
    expect(withoutPhone.body.error.code).toBe('contact_required');

    const created = await report(c.public, c, {
      contact: { phone: '+86 139-1234-5678' },
      isPublicAnonymous: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      source: 'public',
      reporter: { userId: null, phone: '139****5678', isPublicAnonymous: true },
      allowedActions: [],
    });
    // the public cannot read it back, but a staff member of the community can
    expect((await c.public.get(`/api/cases/${created.body.id}`)).status).toBe(404);
    const adminView = await c.people.communityAdmin.client.get(`/api/cases/${created.body.id}`);
    expect(adminView.body.allowedActions).toContain('accept');
    // followed up by a call, not rated in the app
    expect((await checkCaseChain(app, created.body.id)).entries[0]).toMatchObject({
      actor_id: null,
      actor_role: 'public',
    });
  });

  it('refuses reports from the public when public reports are off', async () => {
    const closed = await buildTestApp({ publicReports: false });
    try {
      const c = await buildCommunity(closed);
      const reply = await report(new Client(closed), c, { contact: { phone: '13912345678' } });
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('public_reports_disabled');
      expect(reply.body.error.messages.zh).toMatch(/请先用手机号登录/);
      expect(await countCasesInStreet(closed, c.street.id)).toBe(0);
      expect((await report(c.people.resident.client, c)).status).toBe(201);
    } finally {
      await closed.close();
    }
  });

  it('limits reports from the public per address, but not signed-in reporters', async () => {
    // a server of its own: the counters are per process and every test here shares one address
    const limited = await buildTestApp();
    try {
      const c = await buildCommunity(limited);
      const anonymous = new Client(limited);
      // the limit counts every attempt, even one refused for its body, and writes nothing
      for (let i = 0; i < 30; i++) {
        const attempt = await anonymous.request('POST', '/api/cases', '{', {
          'content-type': 'application/json',
        });
        expect(attempt.status).toBe(400);
      }
      const refused = await report(anonymous, c, { contact: { phone: '13912345678' } });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(await countCasesInStreet(limited, c.street.id)).toBe(0);

      const resident = await report(c.people.resident.client, c);
      expect(resident.status).toBe(201);
      expect(resident.headers['x-ratelimit-remaining']).toBeUndefined();
    } finally {
      await limited.close();
    }
  });

  it('places a resident’s report without a map point at their own household', async () => {
    const c = await buildCommunity(app);
    const reply = await c.people.resident.client.post('/api/cases', {
      categoryCode: '0203',
      description: '楼道里堆满纸箱，消防通道不通',
      address: '幸福小区1栋',
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      gridId: c.grid.id,
      gridName: '第1网格',
      location: null,
      org: { id: c.teams.property },
    });
    const nobodyHome = await c.people.otherResident.client.post('/api/cases', {
      categoryCode: '0203',
      description: '楼道堆物',
      address: '某处',
    });
    expect(nobodyHome.status).toBe(422);
    expect(nobodyHome.body.error.code).toBe('location_required');
  });

  it('sets the acceptance deadline from the category’s time limit on the working calendar', async () => {
    const c = await buildCommunity(app);
    const urgent = await report(c.people.resident.client, c, { categoryCode: '0204', priority: 'urgent' });
    const calendar = await app.calendar.get();
    const reportedAt = new Date(urgent.body.reportedAt);
    // 0204 (井盖缺损): accept within 1 working hour
    expect(urgent.body.dueAt).toBe(
      calendar.add(reportedAt, { amount: 1, unit: 'working_hours' }).toISOString(),
    );
    expect(urgent.body.timeLeftMinutes).toBeGreaterThan(55);
    expect(urgent.body.timeLeftMinutes).toBeLessThanOrEqual(60);
    expect(urgent.body.isOverdue).toBe(false);
  });
});
