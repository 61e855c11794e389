import type { HandlerRankings } from '@minqing/contract';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';

describe('handler rankings (处置人员排名)', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('counts per handler: handled, on time, rework and satisfaction, for the admins and auditors only', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, streetAdmin, handler, mediator, gridWorker, auditor } = c.people;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await report(resident.client, c)).body.id);
    // 1: handled, checked, rated satisfied.
    await act(communityAdmin.client, ids[0]!, 'accept', { expectedVersion: 1 });
    await act(communityAdmin.client, ids[0]!, 'dispatch', {});
    await act(handler.client, ids[0]!, 'start', {});
    await act(handler.client, ids[0]!, 'submit', { result: '已清运' });
    await act(gridWorker.client, ids[0]!, 'verify', { passed: true });
    await act(resident.client, ids[0]!, 'rate', { rating: 'satisfied' });
    // 2: failed its check, handled again.
    await act(communityAdmin.client, ids[1]!, 'accept', { expectedVersion: 1 });
    await act(communityAdmin.client, ids[1]!, 'dispatch', {});
    await act(handler.client, ids[1]!, 'start', {});
    await act(handler.client, ids[1]!, 'submit', { result: '已清运' });
    await act(gridWorker.client, ids[1]!, 'verify', { passed: false, note: '仍有垃圾' });
    await act(handler.client, ids[1]!, 'start', {});
    await act(handler.client, ids[1]!, 'submit', { result: '再次清运' });
    // 3: the mediation team's.
    await act(communityAdmin.client, ids[2]!, 'accept', { expectedVersion: 1 });
    await act(communityAdmin.client, ids[2]!, 'dispatch', { orgId: c.teams.mediation });
    await act(mediator.client, ids[2]!, 'start', {});
    await act(mediator.client, ids[2]!, 'submit', { result: '已调解' });

    const url = `/api/console/figures/handlers?unitId=${c.community.id}`;
    const ranking = await communityAdmin.client.get<HandlerRankings>(url);
    expect(ranking.status).toBe(200);
    expect(ranking.body.rows.map((r) => r.userId)).toEqual([handler.id, mediator.id]);
    expect(ranking.body.rows[0]).toMatchObject({
      name: '保洁员',
      organisations: ['环卫保洁队'],
      handled: 2,
      handledOnTime: 2,
      reworked: 1,
      closed: 1,
      followUps: 1,
      onTimeRate: 1,
      reworkRate: 0.5,
      satisfactionRate: 1,
    });
    expect(ranking.body.rows[1]).toMatchObject({ handled: 1, reworkRate: 0, satisfactionRate: null });

    // The street's admin and the auditor see the same; grid workers, other streets and the public do not.
    expect((await streetAdmin.client.get<HandlerRankings>(url)).body.rows).toHaveLength(2);
    expect((await auditor.client.get(url)).status).toBe(200);
    expect((await gridWorker.client.get(url)).status).toBe(403);
    expect((await c.public.get(url)).status).toBe(401);
    const other = await buildCommunity(app);
    expect((await other.people.streetAdmin.client.get(url)).status).toBe(404);
    // An empty period is an empty list, not an error.
    const empty = await communityAdmin.client.get<HandlerRankings>(`${url}&from=2020-01-01&to=2020-01-31`);
    expect(empty.body.rows).toEqual([]);

    // The Excel export carries them on their own sheet.
    const file = await app.inject({
      method: 'GET',
      url: `/api/console/figures/export?unitId=${c.community.id}&groupBy=grid`,
      headers: { cookie: communityAdmin.client.cookie! },
    });
    expect(file.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('处置人员')!;
    expect(sheet.getRow(2).getCell(1).value).toBe('保洁员');
    expect(sheet.getRow(2).getCell(3).value).toBe(2);
    expect(sheet.getRow(2).getCell(5).value).toBe(0.5);
  });
});
