import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { localDayString } from '../calendar/working-time.ts';
import { okBody, planTwiceADay, verifyStreet } from './patrol-test-helpers.ts';
import { addDays } from './schedule.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

const today = () => localDayString(Date.now());

describe('patrol plans', () => {
  it('lets the community admin plan a grid’s patrols, and the grid worker read them', async () => {
    const c = await buildCommunity(app);
    const { communityAdmin, gridWorker, otherGridWorker, handler } = c.people;
    const created = await planTwiceADay(communityAdmin.client, c);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      grid: { id: c.grid.id, name: '第1网格' },
      shifts: [
        { start: '08:00', end: '12:00' },
        { start: '14:00', end: '18:00' },
      ],
      days: 'daily',
      minMinutes: 20,
      validFrom: today(),
      validTo: null,
      version: 1,
      allowedActions: ['end'],
    });
    const seen = await okBody(await gridWorker.client.get('/api/patrols/plans'));
    expect(seen.items).toEqual([expect.objectContaining({ id: created.body.id, allowedActions: [] })]);
    expect((await okBody(await otherGridWorker.client.get('/api/patrols/plans'))).items).toEqual([]);
    expect((await gridWorker.client.get(`/api/patrols/plans?unitId=${c.community.id}`)).status).toBe(403);

    for (const who of [gridWorker, handler]) {
      expect((await planTwiceADay(who.client, c)).status).toBe(403);
    }
    const outsider = (await buildCommunity(app)).people.communityAdmin;
    expect((await planTwiceADay(outsider.client, c)).status).toBe(403);
    expect((await c.public.get('/api/patrols/plans')).status).toBe(401);
  });

  it('refuses overlapping or reversed windows, a start in the past and a unit that is not a grid', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const post = (body: object) => admin.post('/api/patrols/plans', { gridId: c.grid.id, ...body });
    const overlapping = await post({
      shifts: [
        { start: '08:00', end: '12:00' },
        { start: '11:00', end: '13:00' },
      ],
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.error.details.issues[0]).toMatchObject({
      path: 'body.shifts',
      messageZh: '巡查时段不能重叠',
      messageEn: 'shifts must not overlap',
    });
    const reversed = await post({ shifts: [{ start: '18:00', end: '08:00' }] });
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.details.issues[0].path).toBe('body.shifts.0.end');
    const badClock = await post({ shifts: [{ start: '8点', end: '12:00' }] });
    expect(badClock.status).toBe(400);
    const none = await post({ shifts: [] });
    expect(none.status).toBe(400);
    const past = await post({ shifts: [{ start: '08:00', end: '12:00' }], validFrom: addDays(today(), -1) });
    expect(past.status).toBe(422);
    expect(past.body.error.code).toBe('plan_in_past');
    const community = await admin.post('/api/patrols/plans', {
      gridId: c.community.id,
      shifts: [{ start: '08:00', end: '12:00' }],
    });
    expect(community.status).toBe(422);
    expect(community.body.error.code).toBe('unknown_grid');
    expect((await okBody(await admin.get('/api/patrols/plans'))).items).toEqual([]);
  });

  it('replaces the plan in force from a later day, and withdraws one that had not started', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const current = await okBody(await planTwiceADay(admin, c));
    const tomorrow = addDays(today(), 1);
    const nextWeek = addDays(today(), 7);
    const once = (validFrom: string, start = '09:00') =>
      admin.post('/api/patrols/plans', {
        gridId: c.grid.id,
        shifts: [{ start, end: '11:00' }],
        days: 'workdays',
        validFrom,
      });
    const fromNextWeek = await okBody(await once(nextWeek));
    const fromTomorrow = await okBody(await once(tomorrow, '08:30'));

    const all = await okBody(await admin.get(`/api/patrols/plans?unitId=${c.grid.id}&current=false`));
    // the plan in force ends today; the one for next week never applies and is no longer listed
    expect(
      all.items.map((p: { id: string; validFrom: string; validTo: string | null }) => [p.id, p.validTo]),
    ).toEqual([
      [current.id, today()],
      [fromTomorrow.id, null],
    ]);
    const withdrawn = await app.db
      .selectFrom('patrol_plans')
      .select(['valid_from', 'valid_to', 'version'])
      .where('id', '=', fromNextWeek.id)
      .executeTakeFirstOrThrow();
    expect(withdrawn).toEqual({ valid_from: nextWeek, valid_to: addDays(nextWeek, -1), version: 2 });
    const actions = await app.db
      .selectFrom('journal_entries')
      .select(['record_id', 'action'])
      .where('record_type', '=', 'patrol_plan')
      .where('street_id', '=', c.street.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['create', 'end', 'create', 'end', 'withdraw', 'create']);
    expect(await verifyStreet(app, c)).toMatchObject({ problems: [] });
  });

  it('ends a plan after a day, refusing stale versions, the past and a second end', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const plan = await okBody(await planTwiceADay(admin, c));
    const stale = await admin.post(`/api/patrols/plans/${plan.id}/end`, { expectedVersion: 7 });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'stale_version', details: { currentVersion: 1 } });
    const tooEarly = await admin.post(`/api/patrols/plans/${plan.id}/end`, { lastDay: addDays(today(), -5) });
    expect(tooEarly.status).toBe(422);
    const byWorker = await c.people.gridWorker.client.post(`/api/patrols/plans/${plan.id}/end`, {});
    expect(byWorker.status).toBe(403);
    const ended = await admin.post(`/api/patrols/plans/${plan.id}/end`, { lastDay: addDays(today(), 3) });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ validTo: addDays(today(), 3), version: 2, allowedActions: ['end'] });
    const again = await admin.post(`/api/patrols/plans/${plan.id}/end`, { lastDay: addDays(today(), 5) });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('plan_ended');
    expect((await admin.post(`/api/patrols/plans/${crypto.randomUUID()}/end`, {})).status).toBe(404);
  });

  it('gives the grid worker the day’s windows of their grid with their status', async () => {
    const c = await buildCommunity(app);
    await okBody(await planTwiceADay(c.people.communityAdmin.client, c));
    const tomorrow = addDays(today(), 1);
    const schedule = await okBody(
      await c.people.gridWorker.client.get(`/api/patrols/schedule?date=${tomorrow}`),
    );
    expect(schedule).toEqual({
      date: tomorrow,
      grids: [
        {
          grid: { id: c.grid.id, name: '第1网格' },
          activePatrolId: null,
          shifts: [
            expect.objectContaining({ day: tomorrow, status: 'upcoming', patrolId: null }),
            expect.objectContaining({ day: tomorrow, status: 'upcoming', patrolId: null }),
          ],
        },
      ],
    });
    expect(schedule.grids[0].shifts[0].start).toBe(new Date(`${tomorrow}T08:00:00+08:00`).toISOString());
    const community = await okBody(
      await c.people.communityAdmin.client.get(
        `/api/patrols/schedule?date=${tomorrow}&unitId=${c.community.id}`,
      ),
    );
    expect(community.grids).toHaveLength(4);
    expect(community.grids.filter((g: { shifts: unknown[] }) => g.shifts.length > 0)).toHaveLength(1);
    expect((await c.people.resident.client.get('/api/patrols/schedule')).body).toEqual({
      date: today(),
      grids: [],
    });
  });
});
