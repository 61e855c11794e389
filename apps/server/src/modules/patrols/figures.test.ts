import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { buildCommunity, type TestCommunity, type TestUser } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { localDayString } from '../calendar/working-time.ts';
import { createPatrolPlan } from './create-patrol-plan.ts';
import { endPatrol } from './end-patrol.ts';
import { okBody } from './patrol-test-helpers.ts';
import { addDays } from './schedule.ts';
import { startPatrol } from './start-patrol.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

async function actorOf(user: TestUser): Promise<Actor> {
  return (await app.sessions.resolve(user.client.cookie!.split('=')[1]!))!.actor;
}

/** China local time on a day, as an instant. */
const at = (day: string, clock: string) => new Date(`${day}T${clock}:00+08:00`);

/** A round of `minutes` in the community's first grid, as it happened on that day (the clock is passed in). */
async function patrolOn(
  c: TestCommunity,
  worker: Actor,
  day: string,
  clock: string,
  minutes: number,
  gridIndex = 0,
) {
  const start = at(day, clock);
  const { patrol } = await startPatrol(
    app,
    worker,
    { id: crypto.randomUUID(), gridId: c.grids[gridIndex]!.id },
    start,
  );
  await endPatrol(app, worker, patrol.id, {}, new Date(start.getTime() + minutes * 60_000));
  return patrol.id;
}

describe('巡查率 and missed patrols', () => {
  it('counts planned windows done and missed per grid over a period, and names the missed ones', async () => {
    const c = await buildCommunity(app);
    const admin = await actorOf(c.people.communityAdmin);
    const worker = await actorOf(c.people.gridWorker);
    // Ten days ago the community planned two rounds a day for grid 1.
    const day1 = addDays(localDayString(Date.now()), -10);
    const day2 = addDays(day1, 1);
    const plan = await createPatrolPlan(
      app,
      admin,
      {
        gridId: c.grid.id,
        shifts: [
          { start: '08:00', end: '12:00' },
          { start: '14:00', end: '18:00' },
        ],
      },
      at(day1, '07:00'),
    );
    await patrolOn(c, worker, day1, '09:00', 40); // morning: done
    // afternoon of day 1: nobody — missed
    await patrolOn(c, worker, day2, '08:30', 10); // morning: too short — missed
    await patrolOn(c, worker, day2, '15:00', 30); // afternoon: done
    await patrolOn(c, await actorOf(c.people.otherGridWorker), day2, '15:00', 30, 1); // grid 2 has no plan

    const figures = await okBody(
      await c.public.get(
        `/api/patrols/figures?unitId=${c.community.id}&from=${day1}&to=${day2}&groupBy=grid`,
      ),
    );
    expect(figures.total).toMatchObject({
      counts: { due: 4, done: 2, missed: 2, patrols: 4, findings: 0 },
      patrolRate: 0.5,
    });
    expect(figures.rows).toEqual([
      expect.objectContaining({ key: c.grid.id, name: { zh: '第1网格', en: '第1网格' }, patrolRate: 0.5 }),
      // patrolled without a plan: nothing was due, so no rate rather than 0 or 100%
      expect.objectContaining({
        key: c.grids[1]!.id,
        patrolRate: null,
        counts: expect.objectContaining({ due: 0, patrols: 1 }),
      }),
    ]);
    const byCommunity = await okBody(
      await c.public.get(
        `/api/patrols/figures?unitId=${c.street.id}&from=${day1}&to=${day2}&groupBy=community`,
      ),
    );
    expect(byCommunity.rows).toEqual([
      expect.objectContaining({
        key: c.community.id,
        name: { zh: '测试社区', en: '测试社区' },
        patrolRate: 0.5,
      }),
    ]);

    const missed = await okBody(
      await c.people.communityAdmin.client.get(`/api/patrols/missed?from=${day1}&to=${day2}`),
    );
    expect(missed.items).toEqual([
      {
        planId: plan.id,
        grid: { id: c.grid.id, name: '第1网格' },
        day: day2,
        start: at(day2, '08:00').toISOString(),
        end: at(day2, '12:00').toISOString(),
        workers: [{ id: c.people.gridWorker.id, name: '网格员' }],
      },
      expect.objectContaining({ day: day1, start: at(day1, '14:00').toISOString() }),
    ]);
    // the street admin sees them too; the grid worker and other communities' admins do not
    const street = await okBody(
      await c.people.streetAdmin.client.get(
        `/api/patrols/missed?unitId=${c.community.id}&from=${day1}&to=${day2}`,
      ),
    );
    expect(street.items).toHaveLength(2);
    expect((await c.people.gridWorker.client.get('/api/patrols/missed')).status).toBe(403);
    const outsider = (await buildCommunity(app)).people.communityAdmin;
    expect((await outsider.client.get(`/api/patrols/missed?unitId=${c.community.id}`)).status).toBe(403);
  });

  it('leaves days off out of a working-days plan, and gives no rate where nothing was planned', async () => {
    const c = await buildCommunity(app);
    const admin = await actorOf(c.people.communityAdmin);
    // the official working calendar (weekends, public holidays, make-up days) decides which days count
    const start = addDays(localDayString(Date.now()), -40);
    await createPatrolPlan(
      app,
      admin,
      { gridId: c.grid.id, shifts: [{ start: '09:00', end: '11:00' }], days: 'workdays' },
      at(start, '06:00'),
    );
    const calendar = await app.calendar.get();
    const days = Array.from({ length: 14 }, (_, i) => addDays(start, i));
    const workingDays = days.filter((day) => calendar.isWorkingDay(day)).length;
    const figures = await okBody(
      await c.public.get(`/api/patrols/figures?unitId=${c.grid.id}&from=${days[0]}&to=${days.at(-1)}`),
    );
    expect(figures.total.counts).toMatchObject({ due: workingDays, done: 0, missed: workingDays });
    expect(figures.total.patrolRate).toBe(0);
    expect(figures.rows).toEqual([]);

    const other = await okBody(await c.public.get(`/api/patrols/figures?unitId=${c.grids[2]!.id}`));
    expect(other.total).toMatchObject({ counts: { due: 0 }, patrolRate: null });
  });

  it('refuses a reversed or over-long period and an unknown unit', async () => {
    const c = await buildCommunity(app);
    const reversed = await c.public.get('/api/patrols/figures?from=2026-03-10&to=2026-03-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.messages).toEqual({
      zh: '统计周期的结束日期不能早于开始日期',
      en: 'The period ends before it starts',
    });
    expect((await c.public.get('/api/patrols/figures?from=2024-01-01&to=2026-01-01')).status).toBe(400);
    expect((await c.public.get(`/api/patrols/figures?unitId=${crypto.randomUUID()}`)).status).toBe(404);
    expect((await c.public.get('/api/patrols/figures?groupBy=person')).status).toBe(400);
  });
});
