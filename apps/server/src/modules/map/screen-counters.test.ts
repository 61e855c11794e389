import type { MapGrids, ScreenSummary } from '@minqing/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { CHINA_OFFSET_MS } from '../calendar/working-time.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { computeFigures } from '../figures/compute-figures.ts';
import { DEFAULT_WEIGHTS } from '../figures/formulas.ts';
import { monthBreakdown, periodCounts, settleMap } from './map-test-helpers.ts';
import { chinaDay } from './screen-counters.ts';

const DAY = 86_400_000;

function random(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

/**
 * The big screen's figures come from counters and loads the map keeps as cases change (docs/decisions/
 * 0120). Whatever happened to the cases — reports on past days, rejections, closing on time or late,
 * ratings, rework, deadlines passing — they must equal a recount of the cases table.
 */
describe('the screen’s maintained counters', () => {
  let app: App;
  let c: TestCommunity;

  beforeAll(async () => {
    app = await buildTestApp();
    c = await buildCommunity(app);
    const { resident, communityAdmin, handler, gridWorker } = c.people;
    const next = random(7);
    const categories = ['0101', '0201', '0401', '0102'];
    for (let i = 0; i < 24; i++) {
      const roll = next();
      // The test community's handler takes sanitation (01) cases and its grid worker checks grid 1's;
      // other categories and grids stay unhandled.
      const isHandled = roll >= 0.15 && roll < 0.65;
      const reply = await report(resident.client, c, {
        location: c.pointIn(isHandled ? 0 : i % 4),
        categoryCode: isHandled ? '0101' : categories[i % 4],
        description: `计数事件${i}`,
      });
      expect(reply.status).toBe(201);
      const id = reply.body.id;
      if (roll < 0.15) await act(communityAdmin.client, id, 'reject', { reason: '重复上报' });
      else if (roll < 0.65) {
        await act(communityAdmin.client, id, 'accept');
        await act(communityAdmin.client, id, 'dispatch');
        await act(handler.client, id, 'start');
        await act(handler.client, id, 'submit', { result: '已处理' });
        if (roll < 0.55) {
          await act(gridWorker.client, id, 'verify', { passed: true });
          const rating = ['satisfied', 'basically_satisfied', 'unsatisfied'][Math.floor(next() * 3)]!;
          await act(resident.client, id, 'rate', { rating });
        }
      } else if (roll < 0.8) await act(communityAdmin.client, id, 'accept');
      // Spread the reports over the last seven weeks, and some deadlines into the past, then write an
      // entry so the feed reads the changed row (as any change of the case would).
      const days = Math.floor(next() * 50);
      if (days > 0 || roll >= 0.65) {
        await sql`
          UPDATE cases
             SET reported_at = reported_at - ${`${days} days`}::interval,
                 closed_at = closed_at - ${`${Math.floor(days / 2)} days`}::interval,
                 due_at = CASE WHEN due_at IS NULL THEN NULL ELSE now() + ${`${Math.round((next() - 0.5) * 20)} hours`}::interval END
           WHERE id = ${id}`.execute(app.db);
        await act(communityAdmin.client, id, 'note', { text: '核对时间' });
      }
    }
    await settleMap(app);
  });
  afterAll(() => app.close());

  async function expectEqualToRecount(path: string, unitId: string, now: Date) {
    await app.map.counters.ready();
    const today = chinaDay(now.getTime());
    const local = new Date(now.getTime() + CHINA_OFFSET_MS);
    const monthStartMs = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - CHINA_OFFSET_MS;
    const counted = app.map.counters.figuresUnder(path, today, chinaDay(monthStartMs));
    const todayStart = new Date(today * DAY - CHINA_OFFSET_MS);
    const periods = await periodCounts(app.db, { path, today: todayStart, month: new Date(monthStartMs) });
    expect(counted).toMatchObject(periods);
    const breakdown = await monthBreakdown(app.db, { path, since: new Date(monthStartMs) });
    expect(Object.fromEntries(counted.sources)).toEqual(Object.fromEntries(breakdown.sources));
    expect(counted.categories).toEqual(breakdown.categories);
    const figures = await computeFigures(
      app.db,
      { unitId, groupBy: 'none', compare: 'none' },
      DEFAULT_WEIGHTS,
      now,
    );
    const total = figures.total.counts;
    expect(counted.cohort).toMatchObject({
      due: total.due,
      closedOnTime: total.closedOnTime,
      handled: total.handled,
      reworked: total.reworked,
      followUps: total.followUps,
      satisfied: total.satisfied,
      basicallySatisfied: total.basicallySatisfied,
    });
    return { counted, total };
  }

  it('equal a recount of the cases table for the community and for each grid', async () => {
    const { counted, total } = await expectEqualToRecount(c.community.path, c.community.id, new Date());
    // the fixture gave every part something to count
    expect(counted.receivedMonth + counted.closedMonth).toBeGreaterThan(0);
    expect(total.due).toBeGreaterThan(0);
    expect(total.followUps).toBeGreaterThan(0);
    for (const grid of c.grids) await expectEqualToRecount(grid.path, grid.id, new Date());
  });

  it('follow later changes: a new report, a rejection, a rework', async () => {
    const { resident, communityAdmin, handler, gridWorker } = c.people;
    const fresh = await report(resident.client, c, { location: c.pointIn(1), description: '新上报的事件' });
    await act(communityAdmin.client, fresh.body.id, 'reject', { reason: '不属于受理范围' });
    const reworked = await report(resident.client, c, { location: c.pointIn(0), description: '返工的事件' });
    const id = reworked.body.id;
    await act(communityAdmin.client, id, 'accept');
    await act(communityAdmin.client, id, 'dispatch');
    await act(handler.client, id, 'start');
    await act(handler.client, id, 'submit', { result: '已处理' });
    await act(gridWorker.client, id, 'verify', { passed: false, note: '未清理干净' });
    await settleMap(app);
    await expectEqualToRecount(c.community.path, c.community.id, new Date());
  });

  it('give the same grid load and warnings as a count of the open cases', async () => {
    await settleMap(app);
    const grids = await c.public.get<MapGrids>(`/api/map/grids?unitId=${c.community.id}&geometry=false`);
    const summary = await c.public.get<ScreenSummary>(`/api/screen/summary?unitId=${c.community.id}`);
    const rows = await sql<{ grid_id: string; open: number; overdue: number }>`
      SELECT grid_id,
             count(*)::int AS open,
             count(*) FILTER (WHERE due_at < now() AND state IN ('reported', 'accepted', 'dispatched', 'in_progress', 'handled'))::int AS overdue
        FROM cases
       WHERE unit_path LIKE ${c.community.path + '%'} AND state NOT IN ('closed', 'rejected', 'merged')
       GROUP BY grid_id`.execute(app.db);
    const expected = new Map(rows.rows.map((row) => [row.grid_id, row]));
    for (const grid of grids.body.items) {
      expect(grid.open).toBe(expected.get(grid.id)?.open ?? 0);
      expect(grid.overdue).toBe(expected.get(grid.id)?.overdue ?? 0);
    }
    const open = rows.rows.reduce((sum, row) => sum + row.open, 0);
    expect(open).toBeGreaterThan(0);
    expect(summary.body.open).toBe(open);
    expect(summary.body.deadlines.overdue).toBe(rows.rows.reduce((sum, row) => sum + row.overdue, 0));
  });
});
