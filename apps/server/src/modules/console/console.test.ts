import { CONSOLE_QUEUES, QUEUE_FILTERS, type Case, type QueueCounts } from '@minqing/contract';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, createTestUser, square } from '../../../test/factories.ts';
import { buildTestApp, type Client } from '../../../test/harness.ts';
import { insertUnit } from '../areas/repository.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { runSchedulerOnce } from '../cases/run-scheduler.ts';
import { sealOnce } from '../journal/sealer.ts';

const minute = 60_000;

describe('console endpoints', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  /** GET /api/cases with the queue's own filters: the list a tab shows. */
  async function queueList(client: Client, queue: (typeof CONSOLE_QUEUES)[number], extra = '') {
    const filters = QUEUE_FILTERS[queue];
    const params = new URLSearchParams({ limit: '200' });
    for (const [key, value] of Object.entries(filters)) params.set(key, String(value));
    const reply = await client.get<{ items: Case[] }>(`/api/cases?${params.toString()}${extra}`);
    expect(reply.status).toBe(200);
    return reply.body.items;
  }

  it('counts each workbench queue exactly as its list, and the counts follow the work', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, handler, gridWorker } = c.people;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await report(resident.client, c)).body.id);
    await act(communityAdmin.client, ids[1]!, 'accept', { expectedVersion: 1 });
    await act(communityAdmin.client, ids[2]!, 'accept', { expectedVersion: 1 });
    await act(communityAdmin.client, ids[2]!, 'dispatch', {});
    await act(handler.client, ids[2]!, 'start', {});
    await act(handler.client, ids[2]!, 'submit', { result: '已清运' });
    await act(communityAdmin.client, ids[3]!, 'accept', { expectedVersion: 1 });
    await act(communityAdmin.client, ids[3]!, 'dispatch', {});
    await act(handler.client, ids[3]!, 'start', {});
    await act(handler.client, ids[3]!, 'submit', { result: '已清运' });
    await act(gridWorker.client, ids[3]!, 'verify', { passed: true });

    const unit = `&unitId=${c.community.id}`;
    const counts = await communityAdmin.client.get<QueueCounts>(
      `/api/console/queues?unitId=${c.community.id}`,
    );
    expect(counts.status).toBe(200);
    expect(counts.body.counts).toMatchObject({
      to_accept: 2,
      to_dispatch: 1,
      to_verify: 1,
      to_follow_up: 1,
      escalated: 0,
      overdue: 0,
    });
    expect(counts.body.openTotal).toBe(5);
    for (const queue of CONSOLE_QUEUES) {
      const list = await queueList(communityAdmin.client, queue, unit);
      expect(list.length, queue).toBe(counts.body.counts[queue]);
    }
    expect((await queueList(communityAdmin.client, 'to_accept', unit)).map((x) => x.id).sort()).toEqual(
      [ids[0]!, ids[4]!].sort(),
    );

    // shared filters narrow every queue alike: a search for one case's number
    const code = (await communityAdmin.client.get<Case>(`/api/cases/${ids[4]}`)).body.code;
    const searched = await communityAdmin.client.get<QueueCounts>(`/api/console/queues?q=${code}`);
    expect(searched.body.counts).toMatchObject({ to_accept: 1, to_dispatch: 0, to_verify: 0 });

    // the handler sees only what was dispatched to the team: nothing to accept
    const handlerCounts = await handler.client.get<QueueCounts>('/api/console/queues');
    expect(handlerCounts.body.counts.to_accept).toBe(0);
    expect(handlerCounts.body.openTotal).toBe(2);
  });

  it('puts an overdue case into the escalated queue of the admins it was escalated to', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, streetAdmin } = c.people;
    const created = (await report(resident.client, c)).body;
    const due = new Date(created.dueAt!).getTime();
    await runSchedulerOnce(app, new Date(due + minute), { streetId: c.street.id });
    let row = await app.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row.escalated_to_unit_id).toBe(c.community.id);

    const communityQueue = await queueList(communityAdmin.client, 'escalated');
    expect(communityQueue.map((x) => x.id)).toContain(created.id);
    expect(await queueList(streetAdmin.client, 'escalated', `&unitId=${c.street.id}`)).toEqual([]);

    await runSchedulerOnce(app, new Date(row.next_check_at!.getTime() + minute), { streetId: c.street.id });
    row = await app.db.selectFrom('cases').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.escalated_to_unit_id).toBe(c.street.id);
    const streetCounts = await streetAdmin.client.get<QueueCounts>(
      `/api/console/queues?unitId=${c.street.id}`,
    );
    expect(streetCounts.body.counts.escalated).toBe(1);
    const streetQueue = await queueList(streetAdmin.client, 'escalated', `&unitId=${c.street.id}`);
    expect(streetQueue.map((x) => x.id)).toEqual([created.id]);
    expect(streetQueue[0]!.escalationLevel).toBe(2);
  });

  it('keeps the console for staff and refuses bad queue filters', async () => {
    const c = await buildCommunity(app);
    expect((await c.public.get('/api/console/queues')).status).toBe(401);
    expect((await c.people.resident.client.get('/api/console/queues')).status).toBe(403);
    const bad = await c.people.communityAdmin.client.get('/api/console/queues?category=abc&cursor=x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.messages.zh).toBeTruthy();
  });

  it('shows staff the public-report settings in force, and where they are set', async () => {
    const c = await buildCommunity(app);
    const reply = await c.people.communityAdmin.client.get('/api/console/settings/public-reports');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      publicReports: app.config.publicReports,
      contactRequired: true,
      publicWriteLimit: { max: 30, windowSeconds: 60 },
      smsCodeLimit: { max: 10, windowSeconds: 3600 },
      residentSessionDays: app.config.residentSessionDays,
      configuredBy: ['PUBLIC_REPORTS', 'RESIDENT_SESSION_DAYS', 'SMS_PROVIDER'],
    });
    // What it says is what the intake does: a report without sign-in and without a phone is refused.
    const anonymous = await c.public.post('/api/cases', {
      categoryCode: '0101',
      description: '没有留电话的上报',
      location: c.pointIn(0),
    });
    expect(anonymous.status).toBe(422);
    expect(anonymous.body.error.code).toBe('contact_required');
    expect((await c.people.resident.client.get('/api/console/settings/public-reports')).status).toBe(403);
    expect((await c.public.get('/api/console/settings/public-reports')).status).toBe(401);
  });

  it('saves, lists and deletes a person’s own filters', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const query = { queue: 'to_accept', category: '01', unitId: c.grid.id, source: ['resident'] };
    const saved = await admin.post('/api/console/saved-filters', { name: '第一网格环卫', query });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ name: '第一网格环卫', query, allowedActions: ['delete'] });

    const again = await admin.post('/api/console/saved-filters', { name: '第一网格环卫', query: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('saved_filter_name_taken');

    const unknownField = await admin.post('/api/console/saved-filters', {
      name: 'x',
      query: { colour: 'red' },
    });
    expect(unknownField.status).toBe(400);
    const emptyName = await admin.post('/api/console/saved-filters', { name: '  ', query: {} });
    expect(emptyName.status).toBe(400);
    expect(JSON.stringify(emptyName.body.error.details)).toContain('请填写名称');

    expect(
      (await admin.get('/api/console/saved-filters')).body.items.map((f: { id: string }) => f.id),
    ).toEqual([saved.body.id]);
    // someone else's filter neither shows nor can be deleted
    const other = c.people.streetAdmin.client;
    expect((await other.get('/api/console/saved-filters')).body.items).toEqual([]);
    expect((await other.delete(`/api/console/saved-filters/${saved.body.id}`)).status).toBe(404);
    expect((await admin.delete(`/api/console/saved-filters/${saved.body.id}`)).status).toBe(200);
    expect((await admin.get('/api/console/saved-filters')).body.items).toEqual([]);
  });

  it('dispatches several cases at once and says, case by case, what was refused and why', async () => {
    const c = await buildCommunity(app);
    const elsewhere = await buildCommunity(app);
    const { resident, communityAdmin } = c.people;
    const accepted: Case[] = [];
    for (let i = 0; i < 3; i++) {
      const id = (await report(resident.client, c)).body.id;
      accepted.push(await act(communityAdmin.client, id, 'accept', { expectedVersion: 1 }));
    }
    const notAccepted = (await report(resident.client, c)).body;
    const foreign = (await report(elsewhere.people.resident.client, elsewhere)).body;
    // someone else dispatches the third case after the admin loaded the list
    await act(communityAdmin.client, accepted[2]!.id, 'dispatch', {});

    const reply = await communityAdmin.client.post('/api/console/cases/bulk', {
      action: 'dispatch',
      orgId: c.teams.sanitation,
      note: '统一清运',
      cases: [
        { id: accepted[0]!.id, expectedVersion: accepted[0]!.version },
        { id: accepted[1]!.id, expectedVersion: accepted[1]!.version },
        { id: accepted[2]!.id, expectedVersion: accepted[2]!.version },
        { id: notAccepted.id, expectedVersion: 1 },
        { id: foreign.id },
      ],
    });
    expect(reply.status).toBe(200);
    expect(reply.body.succeeded.map((s: { id: string }) => s.id)).toEqual([accepted[0]!.id, accepted[1]!.id]);
    expect(reply.body.succeeded[0]).toMatchObject({ state: 'dispatched', code: accepted[0]!.code });
    const refused = Object.fromEntries(reply.body.refused.map((r: { id: string }) => [r.id, r])) as Record<
      string,
      { code: string | null; status: number; error: string; message: { zh: string } }
    >;
    expect(refused[accepted[2]!.id]).toMatchObject({ status: 409, code: accepted[2]!.code });
    expect(['stale_version', 'illegal_transition']).toContain(refused[accepted[2]!.id]!.error);
    expect(refused[notAccepted.id]).toMatchObject({
      status: 409,
      error: 'illegal_transition',
      code: notAccepted.code,
    });
    expect(refused[foreign.id]).toMatchObject({ status: 403, code: null });
    expect(refused[foreign.id]!.message.zh).toBeTruthy();

    // each success went through the workflow: journaled with the note, owned by the team
    const detail = await communityAdmin.client.get(`/api/cases/${accepted[0]!.id}`);
    expect(detail.body.org.id).toBe(c.teams.sanitation);
    expect(detail.body.timeline.at(-1)).toMatchObject({ action: 'dispatch' });
    expect(JSON.stringify(detail.body.timeline.at(-1).details)).toContain('统一清运');
    // the refusals changed nothing
    expect((await communityAdmin.client.get(`/api/cases/${notAccepted.id}`)).body.state).toBe('reported');
  });

  it('refuses a bulk request with a repeated case, too many cases or an unknown action', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const id = (await report(c.people.resident.client, c)).body.id;
    const twice = await admin.post('/api/console/cases/bulk', { action: 'accept', cases: [{ id }, { id }] });
    expect(twice.status).toBe(400);
    const none = await admin.post('/api/console/cases/bulk', { action: 'accept', cases: [] });
    expect(none.status).toBe(400);
    const close = await admin.post('/api/console/cases/bulk', { action: 'close', cases: [{ id }] });
    expect(close.status).toBe(400);
    expect((await admin.get(`/api/cases/${id}`)).body.state).toBe('reported');
  });

  it('exports the figures to an Excel workbook with the same numbers as the API', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin } = c.people;
    for (let i = 0; i < 3; i++) await report(resident.client, c, { location: c.pointIn(i) });
    const query = `unitId=${c.community.id}&groupBy=grid&compare=previous`;
    const figures = await communityAdmin.client.get(`/api/figures?${query}`);
    const reply = await app.inject({
      method: 'GET',
      url: `/api/console/figures/export?${query}`,
      headers: { cookie: communityAdmin.client.cookie! },
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toContain('spreadsheetml');
    expect(reply.headers['content-disposition']).toMatch(/attachment; filename="figures-.*\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(reply.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      '指标',
      expect.stringMatching(/^环比 /),
      '处置人员',
      '说明',
    ]);
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['网格', '综合得分', '结案率']);
    const dueColumn = header.indexOf('应结案数') + 1;
    const rows = figures.body.rows as { name: { zh: string }; counts: { due: number } }[];
    for (let i = 0; i < rows.length; i++) {
      const line = sheet.getRow(i + 2);
      expect(line.getCell(1).value).toBe(rows[i]!.name.zh);
      expect(line.getCell(dueColumn).value).toBe(rows[i]!.counts.due);
    }
    expect(sheet.getRow(rows.length + 2).getCell(dueColumn).value).toBe(figures.body.total.counts.due);
    expect(figures.body.total.counts.due).toBe(3);

    const english = await app.inject({
      method: 'GET',
      url: `/api/console/figures/export?${query}`,
      headers: { cookie: communityAdmin.client.cookie!, 'accept-language': 'en' },
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(english.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets[0]!.name).toBe('Figures');

    const bad = await communityAdmin.client.get(`/api/console/figures/export?from=2026-05-02&to=2026-05-01`);
    expect(bad.status).toBe(400);
    expect((await c.public.get(`/api/console/figures/export?${query}`)).status).toBe(401);
  });

  it('verifies a street’s journal in the background with progress, for its admins and the auditor', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, streetAdmin, auditor, gridWorker } = c.people;
    for (let i = 0; i < 3; i++) {
      const id = (await report(resident.client, c)).body.id;
      await act(communityAdmin.client, id, 'accept', { expectedVersion: 1 });
    }
    await sealOnce(app);

    expect(
      (await gridWorker.client.post('/api/console/journal/verifications', { streetId: c.street.id })).status,
    ).toBe(403);
    expect(
      (await communityAdmin.client.post('/api/console/journal/verifications', { streetId: c.street.id }))
        .status,
    ).toBe(403);
    expect(
      (await streetAdmin.client.post('/api/console/journal/verifications', { streetId: c.community.id }))
        .status,
    ).toBe(404);

    const started = await streetAdmin.client.post('/api/console/journal/verifications', {
      streetId: c.street.id,
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', streetId: c.street.id });
    let run = started.body;
    for (let i = 0; i < 200 && run.status === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      run = (await auditor.client.get(`/api/console/journal/verifications/${run.id}`)).body;
    }
    expect(run).toMatchObject({ status: 'passed', phase: 'done', error: null });
    expect(run.report.entries).toBeGreaterThanOrEqual(6);
    expect(run.report.problemCount).toBe(0);
    expect(run.checked).toBe(run.total);
    expect((await gridWorker.client.get(`/api/console/journal/verifications/${run.id}`)).status).toBe(404);
  });

  it('lists a street’s journal entries with their hashes and links to the previous entry', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, streetAdmin } = c.people;
    const id = (await report(resident.client, c)).body.id;
    await act(communityAdmin.client, id, 'accept', { expectedVersion: 1 });
    await act(communityAdmin.client, id, 'note', { text: '已电话联系' });

    const page = await streetAdmin.client.get(
      `/api/console/journal/entries?streetId=${c.street.id}&recordType=case&recordId=${id}`,
    );
    expect(page.status).toBe(200);
    const entries = page.body.items as {
      seq: number;
      hash: string;
      prevHash: string | null;
      action: string;
    }[];
    expect(entries.map((e) => e.action)).toEqual(['note', 'accept', 'report']);
    expect(entries[2]!.prevHash).toBeNull();
    expect(entries[1]!.prevHash).toBe(entries[2]!.hash);
    expect(entries[0]!.prevHash).toBe(entries[1]!.hash);

    const first = await streetAdmin.client.get(
      `/api/console/journal/entries?streetId=${c.street.id}&limit=2`,
    );
    expect(first.body.items).toHaveLength(2);
    const next = await streetAdmin.client.get(
      `/api/console/journal/entries?streetId=${c.street.id}&limit=2&before=${first.body.nextBefore}`,
    );
    expect(next.body.items[0].id).toBeLessThan(first.body.items[1].id);
    expect(
      (await communityAdmin.client.get(`/api/console/journal/entries?streetId=${c.street.id}`)).status,
    ).toBe(403);
  });

  it('shows the gaps a community’s grids leave and the grids that overlap', async () => {
    const c = await buildCommunity(app, { gridCount: 3 });
    const admin = c.people.streetAdmin.client;
    const coverage = await admin.get(`/api/console/units/${c.community.id}/coverage`);
    expect(coverage.status).toBe(200);
    expect(coverage.body.overlaps).toEqual([]);
    expect(coverage.body.outside).toEqual([]);
    // three of four quarters are drawn: one gap of about a quarter of the community
    expect(coverage.body.gaps.features).toHaveLength(1);
    const gap = coverage.body.gaps.features[0].properties.areaM2;
    expect(gap / coverage.body.communityAreaM2).toBeCloseTo(0.25, 2);
    expect(coverage.body.coveredShare).toBeCloseTo(0.75, 2);

    // an older grid written before the checks existed overlaps the first one and leaves the outline
    const centre = c.pointIn(0);
    const [lng0, lat0] = [centre.lng - 0.005, centre.lat - 0.005];
    const stray = await insertUnit(app.db, {
      parentId: c.community.id,
      kind: 'grid',
      code: `${c.community.code}009`,
      name: '旧网格',
      geometry: square(lng0 - 0.005, lat0, 0.01),
    });
    const after = await admin.get(`/api/console/units/${c.community.id}/coverage`);
    expect(after.body.overlaps).toEqual([
      expect.objectContaining({
        a: expect.objectContaining({ id: c.grids[0]!.id }),
        b: expect.objectContaining({ id: stray.id }),
      }),
    ]);
    expect(after.body.overlaps[0].areaM2).toBeGreaterThan(100_000);
    expect(after.body.outside.map((g: { id: string }) => g.id)).toEqual([stray.id]);

    expect((await admin.get(`/api/console/units/${c.grid.id}/coverage`)).status).toBe(404);
  });

  it('lets the console show a staff member who holds no case role an empty workbench', async () => {
    const c = await buildCommunity(app);
    const officer = await createTestUser(app, {
      name: '安全员',
      roles: [{ role: 'security_officer', unitId: c.street.id }],
    });
    const counts = await officer.client.get<QueueCounts>('/api/console/queues');
    expect(counts.status).toBe(200);
    expect(Object.values(counts.body.counts).every((n) => n === 0)).toBe(true);
  });
});
