import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildCommunity, square, type TestCommunity } from '../../../test/factories.ts';
import { verifyJournal } from '../journal/verify-journal.ts';

async function originOf(c: TestCommunity) {
  const reply = await c.public.get(`/api/units/${c.community.id}`);
  const [lng, lat] = reply.body.bbox as [number, number];
  return { lng, lat };
}

/** Grid 5 drawn, renamed and deactivated, and the volunteer team renamed, all over HTTP. */
async function journaledChanges(c: TestCommunity) {
  const { lng, lat } = await originOf(c);
  const admin = c.people.communityAdmin.client;
  const created = await admin.post('/api/units', {
    parentId: c.community.id,
    kind: 'grid',
    code: `${c.community.code}005`,
    name: '第5网格',
    geometry: square(lng + 0.02, lat, 0.01),
  });
  await admin.patch(`/api/units/${created.body.id}`, { expectedVersion: 1, name: '第五网格' });
  await admin.post(`/api/units/${created.body.id}/deactivate`, { expectedVersion: 2 });
  await admin.patch(`/api/units/${c.grid.id}`, { expectedVersion: 1, attrs: { patrol: 'daily' } });
  await admin.patch(`/api/organisations/${c.teams.volunteer}`, { expectedVersion: 1, name: '百事帮互助队' });
  return created.body.id as string;
}

describe('units and organisations in the journal', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('folds each unit’s and organisation’s entries back to its row, so verify accepts the street', async () => {
    const c = await buildCommunity(app);
    await journaledChanges(c);
    const report = await verifyJournal(app.db, { streetId: c.street.id, threads: 0 });
    expect(report.problems).toEqual([]);
    expect(report.isValid).toBe(true);
    expect(report.entries).toBe(5);
    expect(report.projections.map((p) => p.recordType)).toEqual(
      expect.arrayContaining(['unit', 'organisation']),
    );
  });

  it('names the unit whose row was edited behind the journal’s back', async () => {
    const c = await buildCommunity(app);
    const gridId = await journaledChanges(c);
    await sql`UPDATE units SET name = '篡改的网格' WHERE id = ${gridId}`.execute(app.db);
    const report = await verifyJournal(app.db, { streetId: c.street.id, threads: 0 });
    expect(report.isValid).toBe(false);
    expect(report.problems[0]).toMatchObject({ recordType: 'unit', recordId: gridId, column: 'name' });
  });

  it('shows a grid’s history to everyone and a household’s only to staff in scope', async () => {
    const c = await buildCommunity(app);
    const gridId = await journaledChanges(c);
    const history = await c.public.get(`/api/journal/records/unit/${c.grid.id}`);
    expect(history.status).toBe(200);
    expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual(['update']);
    // A deactivated grid is no longer public; its history goes with it.
    expect((await c.public.get(`/api/journal/records/unit/${gridId}`)).status).toBe(404);
    expect((await c.people.communityAdmin.client.get(`/api/journal/records/unit/${gridId}`)).status).toBe(
      200,
    );

    const admin = c.people.communityAdmin.client;
    await admin.patch(`/api/units/${c.household.id}`, { expectedVersion: 1, attrs: { members: 3 } });
    expect((await c.public.get(`/api/journal/records/unit/${c.household.id}`)).status).toBe(404);
    const forWorker = await c.people.gridWorker.client.get(`/api/journal/records/unit/${c.household.id}`);
    expect(forWorker.status).toBe(200);
    const team = await c.public.get(`/api/journal/records/organisation/${c.teams.volunteer}`);
    expect(team.status).toBe(200);
    expect(team.body.entries[0].payload.set.name).toBe('百事帮互助队');
  });
});
