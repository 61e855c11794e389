import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, createTestUser } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { runPatrolHousekeeping } from './run-patrol-housekeeping.ts';
import { okBody, sendPoints, startPatrolAs, verifyStreet, walk } from './patrol-test-helpers.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

const MINUTE = 60_000;

async function accessLogOf(patrolId: string) {
  return app.db
    .selectFrom('access_log')
    .select(['actor_id', 'record_type', 'fields', 'purpose'])
    .where('record_id', '=', patrolId)
    .orderBy('id')
    .execute();
}

async function journalOf(patrolId: string) {
  return app.db
    .selectFrom('journal_entries')
    .select(['action', 'actor_role', 'payload'])
    .where('record_type', '=', 'patrol')
    .where('record_id', '=', patrolId)
    .orderBy('seq')
    .execute();
}

describe('patrols', () => {
  it("starts a patrol of the worker's only grid, and the same start sent again returns it", async () => {
    const c = await buildCommunity(app);
    const id = crypto.randomUUID();
    const first = await startPatrolAs(c.people.gridWorker.client, { id });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id,
      state: 'active',
      grid: { id: c.grid.id, name: '第1网格' },
      worker: { id: c.people.gridWorker.id, name: '网格员' },
      endedAt: null,
      summary: { pointCount: 0, distanceM: 0, findingCount: 0 },
      allowedActions: ['points', 'checkin', 'finding', 'end', 'track'],
    });
    const again = await startPatrolAs(c.people.gridWorker.client, { id });
    expect(again.status).toBe(200);
    expect(again.body.startedAt).toBe(first.body.startedAt);
    // the same id from someone else is not theirs to take
    const stolen = await startPatrolAs(c.people.otherGridWorker.client, { id });
    expect(stolen.status).toBe(409);
    expect((await journalOf(id)).map((e) => e.action)).toEqual(['start']);
  });

  it('lets only a grid worker of the grid patrol it, and asks which grid when there are several', async () => {
    const c = await buildCommunity(app);
    const other = await startPatrolAs(c.people.otherGridWorker.client, { gridId: c.grid.id });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('not_grid_worker');
    const resident = await startPatrolAs(c.people.resident.client, { gridId: c.grid.id });
    expect(resident.status).toBe(403);
    const admin = await startPatrolAs(c.people.communityAdmin.client);
    expect(admin.status).toBe(422);
    expect(admin.body.error).toMatchObject({ code: 'grid_required', details: { grids: [] } });

    const floater = await createTestUser(app, {
      name: '社区网格员',
      roles: [{ role: 'grid_worker', unitId: c.community.id }],
    });
    const unnamed = await startPatrolAs(floater.client);
    expect(unnamed.status).toBe(422);
    expect(unnamed.body.error.details.grids).toHaveLength(4);
    expect(unnamed.body.error.messages.zh).toContain('请选择');
    expect((await startPatrolAs(floater.client, { gridId: c.grids[3]!.id })).status).toBe(201);

    const notAGrid = await startPatrolAs(c.people.gridWorker.client, { gridId: c.community.id });
    expect(notAGrid.status).toBe(422);
    expect(notAGrid.body.error.code).toBe('unknown_grid');
  });

  it('refuses a start time in the future or days ago, with the reason in both languages', async () => {
    const c = await buildCommunity(app);
    const future = await startPatrolAs(c.people.gridWorker.client, {
      startedAt: new Date(Date.now() + 60 * MINUTE).toISOString(),
    });
    expect(future.status).toBe(422);
    expect(future.body.error).toMatchObject({ code: 'time_out_of_range', details: { field: 'startedAt' } });
    expect(future.body.error.messages.en).toContain("phone's clock");
    const garbled = await startPatrolAs(c.people.gridWorker.client, { startedAt: 'yesterday' });
    expect(garbled.status).toBe(400);
    expect(garbled.body.error.details.issues[0].path).toBe('body.startedAt');
    const unknownField = await c.people.gridWorker.client.post('/api/patrols', {
      id: crypto.randomUUID(),
      speed: 3,
    });
    expect(unknownField.status).toBe(400);
  });

  it('stores each batch of fixes once per Idempotency-Key, encrypted, and keeps gaps as gaps', async () => {
    const c = await buildCommunity(app);
    const worker = c.people.gridWorker.client;
    const t0 = Date.now() - 30 * MINUTE;
    const patrol = await okBody(await startPatrolAs(worker, { startedAt: new Date(t0).toISOString() }));
    const start = c.pointIn(0);

    const morning = walk(start, t0 + MINUTE, 10); // 9 steps of ~11 m
    const first = await sendPoints(worker, patrol.id, morning, 'batch-1');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ accepted: 10, ignored: 0, repeated: false, pointCount: 10 });

    // the phone lost the answer and sends the same batch again: nothing is stored twice
    const repeat = await sendPoints(worker, patrol.id, morning, 'batch-1');
    expect(repeat.status).toBe(200);
    expect(repeat.body).toMatchObject({ accepted: 10, repeated: true, pointCount: 10 });
    const reused = await sendPoints(worker, patrol.id, morning.slice(0, 3), 'batch-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');

    // three minutes without a fix (the screen was off), then on again; and a fix from before the start
    const later = walk({ lng: start.lng, lat: start.lat + 0.002 }, t0 + 4 * MINUTE, 5);
    const stale = {
      at: new Date(t0 - 10 * MINUTE).toISOString(),
      lng: start.lng,
      lat: start.lat,
      accuracy: 5,
    };
    const second = await sendPoints(worker, patrol.id, [...later, stale], 'batch-2');
    expect(second.body).toMatchObject({ accepted: 5, ignored: 1, pointCount: 15 });
    // ~100 m before the gap and ~44 m after it; the 220 m jump across the gap is not walking
    expect(second.body.distanceM).toBeGreaterThan(140);
    expect(second.body.distanceM).toBeLessThan(150);

    const track = await worker.get(`/api/patrols/${patrol.id}/track`);
    expect(track.status).toBe(200);
    expect(track.body.segments.map((s: unknown[]) => s.length)).toEqual([10, 5]);
    expect(track.body.segments[0][0]).toEqual([start.lng, start.lat, t0 + MINUTE]);
    // the worker reading their own track is not an access to someone else's data
    expect(await accessLogOf(patrol.id)).toEqual([]);

    // at rest, no coordinate is readable
    const raw = await app.db
      .selectFrom('patrol_point_batches')
      .select('points_enc')
      .where('patrol_id', '=', patrol.id)
      .execute();
    expect(raw).toHaveLength(2);
    for (const row of raw) {
      expect(row.points_enc.startsWith('v1:')).toBe(true);
      expect(row.points_enc).not.toContain(String(start.lng));
    }
    const stored = await app.db
      .selectFrom('patrols')
      .select(['last_position_enc', 'point_count', 'segment_count'])
      .where('id', '=', patrol.id)
      .executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ point_count: 15, segment_count: 2 });
    expect(stored.last_position_enc).toMatch(/^v1:/);
  });

  it('requires an Idempotency-Key on a batch and refuses fixes off the globe', async () => {
    const c = await buildCommunity(app);
    const worker = c.people.gridWorker.client;
    const patrol = await okBody(await startPatrolAs(worker));
    const point = { at: new Date().toISOString(), lng: c.pointIn(0).lng, lat: c.pointIn(0).lat };
    const noKey = await worker.post(`/api/patrols/${patrol.id}/points`, { points: [point] });
    expect(noKey.status).toBe(400);
    expect(noKey.body.error.details.issues[0].path).toBe('headers.idempotency-key');
    const offGlobe = await sendPoints(worker, patrol.id, [{ ...point, lat: 91 }]);
    expect(offGlobe.status).toBe(400);
    const empty = await sendPoints(worker, patrol.id, []);
    expect(empty.status).toBe(400);
    const unknown = await sendPoints(worker, crypto.randomUUID(), [point]);
    expect(unknown.status).toBe(404);
  });

  it('checks in at buildings and places, ends with a summary, and journals counts, never coordinates', async () => {
    const c = await buildCommunity(app);
    const worker = c.people.gridWorker.client;
    const t0 = Date.now() - 40 * MINUTE;
    const patrol = await okBody(await startPatrolAs(worker, { startedAt: new Date(t0).toISOString() }));
    const here = c.pointIn(0);
    await okBody(await sendPoints(worker, patrol.id, walk(here, t0 + 10_000, 60)));

    const checkinId = crypto.randomUUID();
    const checkin = {
      id: checkinId,
      at: new Date(t0 + 2 * MINUTE).toISOString(),
      location: here,
      unitId: c.building.id,
      label: '1栋楼道',
    };
    const first = await worker.post(`/api/patrols/${patrol.id}/checkins`, checkin);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      id: checkinId,
      unit: { id: c.building.id, name: '1栋' },
      location: here,
    });
    expect((await worker.post(`/api/patrols/${patrol.id}/checkins`, checkin)).status).toBe(200);
    const changed = await worker.post(`/api/patrols/${patrol.id}/checkins`, { ...checkin, label: '2栋' });
    expect(changed.status).toBe(409);
    const nowhere = await worker.post(`/api/patrols/${patrol.id}/checkins`, {
      id: crypto.randomUUID(),
      at: new Date().toISOString(),
    });
    expect(nowhere.status).toBe(400);
    expect(nowhere.body.error.details.issues[0].message).toContain('打卡需要位置');
    const elsewhere = await worker.post(`/api/patrols/${patrol.id}/checkins`, {
      id: crypto.randomUUID(),
      at: new Date().toISOString(),
      unitId: (await buildCommunity(app)).building.id,
    });
    expect(elsewhere.status).toBe(422);

    const ended = await worker.post(`/api/patrols/${patrol.id}/end`, { note: '东门垃圾已清' });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ state: 'ended', endReason: 'worker', note: '东门垃圾已清' });
    expect(ended.body.summary).toMatchObject({
      pointCount: 60,
      segmentCount: 1,
      checkinCount: 1,
      findingCount: 0,
    });
    expect(ended.body.summary.durationMinutes).toBe(40);
    expect(ended.body.summary.distanceM).toBeGreaterThan(650);
    expect(ended.body.summary.distanceM).toBeLessThan(660);
    expect(ended.body.allowedActions).toEqual(['points', 'checkin', 'finding', 'track']);
    // ending again changes nothing
    const again = await worker.post(`/api/patrols/${patrol.id}/end`, {});
    expect(again.body.endedAt).toBe(ended.body.endedAt);

    const entries = await journalOf(patrol.id);
    expect(entries.map((e) => [e.action, e.actor_role])).toEqual([
      ['start', 'grid_worker'],
      ['checkin', 'grid_worker'],
      ['end', 'grid_worker'],
    ]);
    expect(entries[2]!.payload).toMatchObject({
      set: { state: 'ended', end_reason: 'worker', note: '东门垃圾已清' },
      summary: { pointCount: 60, checkinCount: 1 },
    });
    const journalText = JSON.stringify(entries);
    expect(journalText).not.toContain(String(here.lng));
    expect(journalText).not.toContain(String(here.lat));
    expect(await verifyStreet(app, c)).toMatchObject({ problems: [] });
  });

  it('shows a track to the worker and the supervisors only, and logs each supervisor read with its purpose', async () => {
    const c = await buildCommunity(app);
    const { gridWorker, otherGridWorker, communityAdmin, streetAdmin, handler, resident, auditor } = c.people;
    const patrol = await okBody(await startPatrolAs(gridWorker.client));
    await okBody(await sendPoints(gridWorker.client, patrol.id, walk(c.pointIn(0), Date.now() - 20_000, 3)));

    const noPurpose = await communityAdmin.client.get(`/api/patrols/${patrol.id}/track`);
    expect(noPurpose.status).toBe(400);
    expect(noPurpose.body.error.messages.zh).toContain('须说明用途');
    const read = await communityAdmin.client.get(
      `/api/patrols/${patrol.id}/track?purpose=${encodeURIComponent('核查漏巡投诉')}`,
    );
    expect(read.status).toBe(200);
    expect(read.body.pointCount).toBe(3);
    expect((await streetAdmin.client.get(`/api/patrols/${patrol.id}/track?purpose=督查`)).status).toBe(200);
    expect(await accessLogOf(patrol.id)).toEqual([
      {
        actor_id: communityAdmin.id,
        record_type: 'patrol_track',
        fields: ['track'],
        purpose: '核查漏巡投诉',
      },
      { actor_id: streetAdmin.id, record_type: 'patrol_track', fields: ['track'], purpose: '督查' },
    ]);

    for (const stranger of [otherGridWorker, handler, auditor]) {
      expect((await stranger.client.get(`/api/patrols/${patrol.id}/track?purpose=看看`)).status).toBe(403);
      expect((await stranger.client.get(`/api/patrols/${patrol.id}`)).status).toBe(403);
    }
    expect((await resident.client.get(`/api/patrols/${patrol.id}/track?purpose=看看`)).status).toBe(404);
    expect((await c.public.get(`/api/patrols/${patrol.id}`)).status).toBe(401);
    // the journal of the patrol follows the same rule
    expect((await gridWorker.client.get(`/api/journal/records/patrol/${patrol.id}`)).status).toBe(200);
    expect((await otherGridWorker.client.get(`/api/journal/records/patrol/${patrol.id}`)).status).toBe(404);

    // supervisors follow the round but do not add to it
    const meddling = await sendPoints(communityAdmin.client, patrol.id, walk(c.pointIn(0), Date.now(), 1));
    expect(meddling.status).toBe(403);
    expect((await communityAdmin.client.post(`/api/patrols/${patrol.id}/end`, {})).status).toBe(403);
    const seen = await communityAdmin.client.get(`/api/patrols/${patrol.id}`);
    expect(seen.body.allowedActions).toEqual(['track']);
  });

  it('lists my patrols and, for supervisors, those of their grids', async () => {
    const c = await buildCommunity(app);
    const { gridWorker, otherGridWorker, communityAdmin } = c.people;
    const mine = await okBody(await startPatrolAs(gridWorker.client));
    const theirs = await okBody(await startPatrolAs(otherGridWorker.client));
    const own = await gridWorker.client.get('/api/patrols');
    expect(own.body.items.map((p: { id: string }) => p.id)).toEqual([mine.id]);
    const supervised = await communityAdmin.client.get(`/api/patrols?unitId=${c.community.id}&limit=1`);
    expect(supervised.body.items).toHaveLength(1);
    const next = await communityAdmin.client.get(
      `/api/patrols?unitId=${c.community.id}&limit=1&cursor=${supervised.body.nextCursor}`,
    );
    expect([supervised.body.items[0].id, next.body.items[0].id].sort()).toEqual([mine.id, theirs.id].sort());
    expect((await communityAdmin.client.get('/api/patrols?cursor=bm9wZQ')).status).toBe(400);
  });

  it('ends a patrol left running when the worker starts another, or when the phone falls silent', async () => {
    const c = await buildCommunity(app);
    const worker = c.people.gridWorker.client;
    const t0 = Date.now() - 60 * MINUTE;
    const first = await okBody(await startPatrolAs(worker, { startedAt: new Date(t0).toISOString() }));
    await okBody(await sendPoints(worker, first.id, walk(c.pointIn(0), t0 + MINUTE, 12)));
    const second = await okBody(await startPatrolAs(worker));
    const left = await worker.get(`/api/patrols/${first.id}`);
    expect(left.body).toMatchObject({
      state: 'ended',
      endReason: 'superseded',
      // the round ends at its last fix, not when the next one began
      endedAt: new Date(t0 + MINUTE + 11 * 5000).toISOString(),
    });

    // housekeeping four hours later: the second round never sent a fix
    const later = new Date(Date.now() + 4 * 60 * MINUTE + MINUTE);
    expect(await runPatrolHousekeeping(app, later, { streetId: c.street.id })).toEqual({
      endedIdle: 1,
      purged: 0,
    });
    const idle = await worker.get(`/api/patrols/${second.id}`);
    expect(idle.body).toMatchObject({ state: 'ended', endReason: 'idle', endedAt: second.startedAt });
    expect((await journalOf(second.id)).map((e) => [e.action, e.actor_role])).toEqual([
      ['start', 'grid_worker'],
      ['end', 'system'],
    ]);
    expect(await verifyStreet(app, c)).toMatchObject({ problems: [] });
  });

  it('deletes tracks and check-in positions after the retention period and keeps the summary', async () => {
    const c = await buildCommunity(app);
    const worker = c.people.gridWorker.client;
    const patrol = await okBody(await startPatrolAs(worker));
    await okBody(await sendPoints(worker, patrol.id, walk(c.pointIn(0), Date.now() - 20_000, 4)));
    await okBody(
      await worker.post(`/api/patrols/${patrol.id}/checkins`, {
        id: crypto.randomUUID(),
        at: new Date().toISOString(),
        location: c.pointIn(0),
      }),
    );
    const ended = await okBody(await worker.post(`/api/patrols/${patrol.id}/end`, {}));

    const days = app.config.patrolTrackRetentionDays;
    const justBefore = new Date(Date.now() + (days - 1) * 86_400_000);
    expect((await runPatrolHousekeeping(app, justBefore, { streetId: c.street.id })).purged).toBe(0);
    const after = new Date(Date.now() + (days + 1) * 86_400_000);
    expect(await runPatrolHousekeeping(app, after, { streetId: c.street.id })).toEqual({
      endedIdle: 0,
      purged: 1,
    });

    const track = await worker.get(`/api/patrols/${patrol.id}/track`);
    expect(track.body).toEqual({ patrolId: patrol.id, segments: [], pointCount: 0, isPurged: true });
    const detail = await worker.get(`/api/patrols/${patrol.id}`);
    expect(detail.body.summary).toEqual(ended.summary);
    expect(detail.body.isTrackPurged).toBe(true);
    expect(detail.body.checkins[0].location).toBeNull();
    const row = await app.db
      .selectFrom('patrols')
      .select('last_position_enc')
      .where('id', '=', patrol.id)
      .executeTakeFirstOrThrow();
    expect(row.last_position_enc).toBeNull();
    expect(await verifyStreet(app, c)).toMatchObject({ problems: [] });
  });

  it('shows patrols under way on the map: exact for supervisors (logged), at the grid centre for others', async () => {
    const c = await buildCommunity(app);
    const { gridWorker, communityAdmin, otherGridWorker } = c.people;
    const patrol = await okBody(await startPatrolAs(gridWorker.client));
    const fixes = walk(c.pointIn(0), Date.now() - 20_000, 3);
    await okBody(await sendPoints(gridWorker.client, patrol.id, fixes));
    const last = fixes.at(-1)!;

    const open = await c.public.get(`/api/map/patrols?unitId=${c.community.id}`);
    expect(open.status).toBe(200);
    expect(open.body.items).toEqual([
      expect.objectContaining({
        id: patrol.id,
        grid: { id: c.grid.id, name: '第1网格' },
        worker: null,
        isPositionExact: false,
        position: { lng: expect.closeTo(c.pointIn(0).lng, 6), lat: expect.closeTo(c.pointIn(0).lat, 6) },
        lastPointAt: null,
        track: null,
      }),
    ]);
    const colleague = await otherGridWorker.client.get(
      `/api/map/patrols?unitId=${c.community.id}&tracks=true`,
    );
    expect(colleague.body.items[0]).toMatchObject({ isPositionExact: false, track: null });

    const supervised = await communityAdmin.client.get(
      `/api/map/patrols?unitId=${c.community.id}&tracks=true`,
    );
    expect(supervised.body.items[0]).toMatchObject({
      worker: { id: gridWorker.id, name: '网格员' },
      isPositionExact: true,
      position: { lng: last.lng, lat: last.lat },
    });
    expect(supervised.body.items[0].track).toHaveLength(1);
    expect(await accessLogOf(patrol.id)).toEqual([
      {
        actor_id: communityAdmin.id,
        record_type: 'patrol_track',
        fields: ['position', 'track'],
        purpose: '民情地图巡查图层 / live map patrol layer',
      },
    ]);
    const own = await gridWorker.client.get(`/api/map/patrols?unitId=${c.community.id}`);
    expect(own.body.items[0]).toMatchObject({ isPositionExact: true, track: null });
    expect(await accessLogOf(patrol.id)).toHaveLength(1);

    const box = (w: number, s: number, e: number, n: number) => `${w},${s},${e},${n}`;
    const elsewhere = await c.public.get(`/api/map/patrols?bbox=${box(0, 0, 1, 1)}&unitId=${c.community.id}`);
    expect(elsewhere.body.items).toEqual([]);
    const inverted = await c.public.get(`/api/map/patrols?bbox=${box(1, 1, 0, 0)}`);
    expect(inverted.status).toBe(400);
    const garbage = await c.public.get('/api/map/patrols?bbox=here');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error.details.issues[0].message).toContain('bbox');

    await okBody(await gridWorker.client.post(`/api/patrols/${patrol.id}/end`, {}));
    const after = await c.public.get(`/api/map/patrols?unitId=${c.community.id}`);
    expect(after.body.items).toEqual([]);
  });
});
