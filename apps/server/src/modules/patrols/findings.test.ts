import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp, type Client } from '../../../test/harness.ts';
import { multipart, randomJpeg } from '../../../test/multipart.ts';
import { performCaseAction } from '../cases/case-actions.ts';
import { createCase } from '../cases/create-case.ts';
import { okBody, startPatrolAs, verifyStreet, type Loose } from './patrol-test-helpers.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

async function photo(client: Client): Promise<string> {
  const { body, headers } = multipart([
    { name: 'file', data: await randomJpeg(), filename: 'photo.jpg', contentType: 'image/jpeg' },
  ]);
  const reply = await client.post('/api/uploads', body, headers);
  return (await okBody(reply)).id as string;
}

function finding(client: Client, patrolId: string, body: object, key: string = crypto.randomUUID()) {
  return client.post<Loose>(`/api/patrols/${patrolId}/findings`, body, { 'idempotency-key': key });
}

async function casesOfStreet(c: TestCommunity) {
  return app.db
    .selectFrom('cases')
    .select(['id', 'state', 'source'])
    .where('street_id', '=', c.street.id)
    .execute();
}

async function caseActions(caseId: string) {
  const rows = await app.db
    .selectFrom('journal_entries')
    .select(['action', 'actor_role'])
    .where('record_type', '=', 'case')
    .where('record_id', '=', caseId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.action}:${r.actor_role}`);
}

describe('patrol findings', () => {
  it('turns a finding into a patrol case with photos, once per Idempotency-Key', async () => {
    const c = await buildCommunity(app);
    const worker = c.people.gridWorker.client;
    const patrol = await okBody(await startPatrolAs(worker));
    const before = await photo(worker);
    const body = {
      categoryCode: '0101',
      description: '东门垃圾桶满溢',
      location: c.pointIn(0),
      photoIds: [before],
    };
    const first = await finding(worker, patrol.id, body, 'finding-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      patrolId: patrol.id,
      outcome: 'reported',
      reason: null,
      repeated: false,
      case: { source: 'patrol', state: 'reported', gridId: c.grid.id, description: '东门垃圾桶满溢' },
    });

    // the answer was lost on the way back; the phone sends the same finding again
    const again = await finding(worker, patrol.id, body, 'finding-1');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ repeated: true, case: { id: first.body.case.id } });
    const reused = await finding(worker, patrol.id, { ...body, description: '别的问题' }, 'finding-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(await casesOfStreet(c)).toHaveLength(1);

    const detail = await okBody(await worker.get(`/api/patrols/${patrol.id}`));
    expect(detail.summary.findingCount).toBe(1);
    expect(detail.findings).toEqual([
      expect.objectContaining({ caseId: first.body.case.id, state: 'reported', handledOnTheSpot: false }),
    ]);
    const kase = await okBody(await c.people.communityAdmin.client.get(`/api/cases/${first.body.case.id}`));
    expect(kase.photos.map((p: { id: string; stage: string }) => [p.id, p.stage])).toEqual([
      [before, 'report'],
    ]);
    // without on-the-spot handling the community accepts it as any other report
    expect(kase.allowedActions).toContain('accept');
    expect(await verifyStreet(app, c)).toMatchObject({ problems: [] });
  });

  it('handles a finding on the spot: accepted, dispatched to the worker, handled with after photos, checked by someone else', async () => {
    const c = await buildCommunity(app);
    const { gridWorker, communityAdmin } = c.people;
    const patrol = await okBody(await startPatrolAs(gridWorker.client));
    const before = await photo(gridWorker.client);
    const after = await photo(gridWorker.client);
    const reply = await finding(gridWorker.client, patrol.id, {
      categoryCode: '0101',
      description: '楼道口散落垃圾',
      location: c.pointIn(0),
      photoIds: [before],
      onTheSpot: { result: '已当场清扫干净', afterPhotoIds: [after] },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({
      outcome: 'handled',
      reason: null,
      case: {
        state: 'handled',
        source: 'patrol',
        assignee: { id: gridWorker.id },
        resultSummary: '已当场清扫干净',
      },
    });
    const caseId = reply.body.case.id as string;
    expect(await caseActions(caseId)).toEqual([
      'report:grid_worker',
      'accept:grid_worker',
      'dispatch:grid_worker',
      'start:grid_worker',
      'submit:grid_worker',
    ]);
    const detail = await okBody(await communityAdmin.client.get(`/api/cases/${caseId}`));
    expect(detail.photos.map((p: { id: string; stage: string }) => [p.id, p.stage])).toEqual([
      [before, 'report'],
      [after, 'after'],
    ]);
    // the worker does not check their own work; the community does
    expect((await gridWorker.client.post(`/api/cases/${caseId}/verify`, { passed: true })).status).toBe(403);
    const checked = await okBody(
      await communityAdmin.client.post(`/api/cases/${caseId}/verify`, { passed: true }),
    );
    expect(checked.state).toBe('follow_up');

    const summary = (await okBody(await gridWorker.client.post(`/api/patrols/${patrol.id}/end`, {}))).summary;
    expect(summary).toMatchObject({ findingCount: 1, handledOnTheSpotCount: 1 });
    expect(await verifyStreet(app, c)).toMatchObject({ problems: [] });
  });

  it('resumes on-the-spot handling where a dropped connection left it, without doing anything twice', async () => {
    const c = await buildCommunity(app);
    const { gridWorker } = c.people;
    const worker = (await app.sessions.resolve(gridWorker.client.cookie!.split('=')[1]!))!.actor;
    const patrol = await okBody(await startPatrolAs(gridWorker.client));
    const after = await photo(gridWorker.client);
    const key = 'finding-dropped';
    const body = {
      categoryCode: '0101',
      description: '路灯下堆放杂物',
      location: c.pointIn(0),
      onTheSpot: { result: '已搬走杂物', afterPhotoIds: [after] },
    };
    // The first attempt reached the intake and the acceptance, then the phone lost its network.
    const intake = await createCase(
      app,
      worker,
      {
        categoryCode: '0101',
        description: '路灯下堆放杂物',
        location: c.pointIn(0),
        priority: 'normal',
        isPublicAnonymous: false,
      },
      { idempotencyKey: `patrol:${patrol.id}:${key}`, source: 'patrol' },
    );
    await performCaseAction(app, worker, intake.case.id, 'accept', { note: '即报即办（巡查中当场处置）' });

    const retried = await finding(gridWorker.client, patrol.id, body, key);
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({
      outcome: 'handled',
      case: { id: intake.case.id, state: 'handled' },
    });
    expect(await caseActions(intake.case.id)).toEqual([
      'report:grid_worker',
      'accept:grid_worker',
      'dispatch:grid_worker',
      'start:grid_worker',
      'submit:grid_worker',
    ]);
    const once = await finding(gridWorker.client, patrol.id, body, key);
    expect(once.status).toBe(200);
    expect(once.body).toMatchObject({ repeated: true, outcome: 'handled' });
    expect(await caseActions(intake.case.id)).toHaveLength(5);
    expect(await casesOfStreet(c)).toHaveLength(1);
    expect(
      (await okBody(await gridWorker.client.get(`/api/patrols/${patrol.id}`))).summary.findingCount,
    ).toBe(1);
  });

  it('leaves a finding outside the worker’s grid to the usual workflow and says why', async () => {
    const c = await buildCommunity(app);
    const { gridWorker, otherGridWorker } = c.people;
    const patrol = await okBody(await startPatrolAs(gridWorker.client));
    const after = await photo(gridWorker.client);
    const reply = await finding(gridWorker.client, patrol.id, {
      categoryCode: '0101',
      description: '隔壁网格的井盖缺失',
      location: c.pointIn(1),
      onTheSpot: { result: '已放置警示牌', afterPhotoIds: [after] },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.outcome).toBe('pending');
    expect(reply.body.reason.zh).toContain('正常流程');
    expect(reply.body.case).toMatchObject({ state: 'reported', gridId: c.grids[1]!.id, source: 'patrol' });
    // the grid worker of that grid sees it in their grid's queue
    expect((await otherGridWorker.client.get(`/api/cases/${reply.body.case.id}`)).status).toBe(200);
  });

  it('refuses a finding without a key, a place, a known category or after photos, and stores nothing', async () => {
    const c = await buildCommunity(app);
    const worker = c.people.gridWorker.client;
    const patrol = await okBody(await startPatrolAs(worker));
    const valid = { categoryCode: '0101', description: '垃圾满溢', location: c.pointIn(0) };
    const noKey = await worker.post(`/api/patrols/${patrol.id}/findings`, valid);
    expect(noKey.status).toBe(400);
    const nowhere = await finding(worker, patrol.id, { categoryCode: '0101', description: '垃圾满溢' });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error.details.issues[0].message).toContain('请给出位置');
    const unknownCategory = await finding(worker, patrol.id, { ...valid, categoryCode: '9999' });
    expect(unknownCategory.status).toBe(422);
    expect(unknownCategory.body.error.code).toBe('unknown_category');
    const noAfterPhoto = await finding(worker, patrol.id, {
      ...valid,
      onTheSpot: { result: '已处理', afterPhotoIds: [] },
    });
    expect(noAfterPhoto.status).toBe(400);
    expect(noAfterPhoto.body.error.details.issues[0].message).toContain('处置后的照片');
    const foreignPatrol = await finding(c.people.otherGridWorker.client, patrol.id, valid);
    expect(foreignPatrol.status).toBe(403);
    expect(await casesOfStreet(c)).toEqual([]);
    expect((await okBody(await worker.get(`/api/patrols/${patrol.id}`))).summary.findingCount).toBe(0);
  });
});
