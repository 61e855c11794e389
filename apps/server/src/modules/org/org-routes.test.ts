import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildCommunity, createTestUser, type TestCommunity } from '../../../test/factories.ts';
import { insertUnit } from '../areas/repository.ts';

/** The five-level network of the seed (深田社区) built over HTTP by the street administrator. */
async function buildNetwork(c: TestCommunity) {
  const admin = c.people.streetAdmin.client;
  const create = async (body: Record<string, unknown>) => {
    const reply = await admin.post('/api/organisations', body);
    expect(reply.status).toBe(201);
    return reply.body as { id: string; version: number };
  };
  const workingCommittee = await create({
    unitId: c.street.id,
    kind: 'party_working_committee',
    name: '街道党工委',
  });
  const partyCommittee = await create({
    unitId: c.community.id,
    parentId: workingCommittee.id,
    kind: 'party_committee',
    name: '社区党委',
  });
  const branch = await create({
    unitId: c.compound.id,
    parentId: partyCommittee.id,
    kind: 'party_branch',
    name: '幸福小区党支部',
  });
  const group = await create({
    unitId: c.building.id,
    parentId: branch.id,
    kind: 'building_group',
    name: '1栋党小组',
  });
  const centre = await create({
    unitId: c.household.id,
    parentId: group.id,
    kind: 'party_member_household',
    name: '101室党员中心户',
  });
  return { workingCommittee, partyCommittee, branch, group, centre };
}

describe('organisations and teams over HTTP', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('builds the five-level party network on the area tree and reads it as a tree', async () => {
    const c = await buildCommunity(app);
    const network = await buildNetwork(c);
    const tree = await c.people.communityAdmin.client.get(`/api/organisations/tree?unitId=${c.street.id}`);
    expect(tree.status).toBe(200);
    const root = tree.body.roots.find((node: { id: string }) => node.id === network.workingCommittee.id);
    const chain: string[] = [];
    for (let node = root; node; node = node.children[0]) chain.push(node.kind);
    expect(chain).toEqual([
      'party_working_committee',
      'party_committee',
      'party_branch',
      'building_group',
      'party_member_household',
    ]);
    // The factory's teams hang at the community without a parent organisation.
    expect(tree.body.roots.map((node: { name: string }) => node.name)).toEqual(
      expect.arrayContaining(['调解服务队', '百事帮志愿队']),
    );
    const journal = await app.db
      .selectFrom('journal_entries')
      .select(['action', 'payload'])
      .where('record_type', '=', 'organisation')
      .where('record_id', '=', network.centre.id)
      .execute();
    expect(journal).toHaveLength(1);
    expect((journal[0]!.payload as { set: Record<string, unknown> }).set).toMatchObject({
      kind: 'party_member_household',
      unit_id: c.household.id,
      is_active: true,
      version: 1,
    });
  });

  it('refuses an organisation at the wrong level or under the wrong parent with 400', async () => {
    const c = await buildCommunity(app);
    const network = await buildNetwork(c);
    const admin = c.people.streetAdmin.client;
    const wrongUnit = await admin.post('/api/organisations', {
      unitId: c.grid.id,
      kind: 'building_group',
      parentId: network.branch.id,
      name: '错位党小组',
    });
    expect(wrongUnit.status).toBe(400);
    expect(wrongUnit.body.error.details.issues[0].path).toBe('body.kind');
    const wrongParent = await admin.post('/api/organisations', {
      unitId: c.household.id,
      kind: 'party_member_household',
      parentId: network.partyCommittee.id,
      name: '错位中心户',
    });
    expect(wrongParent.status).toBe(400);
    expect(wrongParent.body.error.details.issues[0].path).toBe('body.parentId');
    const other = await buildCommunity(app);
    const elsewhere = await other.people.streetAdmin.client.post('/api/organisations', {
      unitId: other.community.id,
      kind: 'party_branch',
      parentId: network.partyCommittee.id,
      name: '跨区党支部',
    });
    expect(elsewhere.status).toBe(400);
    const unknownField = await admin.post('/api/organisations', {
      unitId: c.community.id,
      kind: 'volunteer_team',
      name: '志愿队',
      leader: '某人',
    });
    expect(unknownField.status).toBe(400);
  });

  it('creates, renames and deactivates a team, with versions', async () => {
    const c = await buildCommunity(app);
    const admin = c.people.communityAdmin.client;
    const created = await admin.post('/api/organisations', {
      unitId: c.community.id,
      kind: 'mediation_team',
      name: '邻里调解队',
      attrs: { lawyer: true },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 1, isActive: true, unit: { id: c.community.id } });
    expect(created.body.allowedActions).toEqual(
      expect.arrayContaining(['update', 'deactivate', 'manage_members']),
    );
    const renamed = await admin.patch(`/api/organisations/${created.body.id}`, {
      expectedVersion: 1,
      name: '邻里调解服务队',
    });
    expect(renamed.body).toMatchObject({ name: '邻里调解服务队', version: 2 });
    const stale = await admin.patch(`/api/organisations/${created.body.id}`, {
      expectedVersion: 1,
      name: '旧名',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.details.currentVersion).toBe(2);
    const off = await admin.post(`/api/organisations/${created.body.id}/deactivate`, { expectedVersion: 2 });
    expect(off.body).toMatchObject({ isActive: false, version: 3 });
    const listed = await c.public.get(`/api/organisations?unitId=${c.community.id}`);
    expect(listed.body.items.map((o: { id: string }) => o.id)).not.toContain(created.body.id);
    const withInactive = await admin.get(`/api/organisations?unitId=${c.community.id}&includeInactive=true`);
    expect(withInactive.body.items.map((o: { id: string }) => o.id)).toContain(created.body.id);
    const back = await admin.post(`/api/organisations/${created.body.id}/activate`, { expectedVersion: 3 });
    expect(back.body.isActive).toBe(true);
  });

  it('keeps an organisation with active organisations below it from being deactivated', async () => {
    const c = await buildCommunity(app);
    const network = await buildNetwork(c);
    const reply = await c.people.communityAdmin.client.post(
      `/api/organisations/${network.branch.id}/deactivate`,
      { expectedVersion: 1 },
    );
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('organisation_has_active_children');
  });

  it('keeps administrators to their own subtree', async () => {
    const c = await buildCommunity(app);
    const other = await buildCommunity(app);
    const body = { unitId: c.community.id, kind: 'volunteer_team', name: '外来志愿队' };
    expect((await other.people.communityAdmin.client.post('/api/organisations', body)).status).toBe(403);
    expect((await c.people.gridWorker.client.post('/api/organisations', body)).status).toBe(403);
    expect((await c.public.post('/api/organisations', body)).status).toBe(401);
    const team = c.teams.volunteer;
    const rename = await other.people.streetAdmin.client.patch(`/api/organisations/${team}`, {
      expectedVersion: 1,
      name: '改名',
    });
    expect(rename.status).toBe(403);
    expect((await c.public.get(`/api/organisations/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('shows teams to the public without members; members and served households to staff in scope', async () => {
    const c = await buildCommunity(app);
    const network = await buildNetwork(c);
    const admin = c.people.communityAdmin.client;
    const added = await admin.put(`/api/organisations/${c.teams.volunteer}/members/${c.people.resident.id}`, {
      title: '队员',
    });
    expect(added.status).toBe(200);
    expect(added.body.members).toEqual([
      expect.objectContaining({ userId: c.people.resident.id, displayName: '张三', title: '队员' }),
    ]);
    const retitled = await admin.put(
      `/api/organisations/${c.teams.volunteer}/members/${c.people.resident.id}`,
      {
        title: '队长',
      },
    );
    expect(retitled.body.members.map((m: { title: string }) => m.title)).toEqual(['队长']);
    const seenByPublic = await c.public.get(`/api/organisations/${c.teams.volunteer}`);
    expect(seenByPublic.status).toBe(200);
    expect(seenByPublic.body).toMatchObject({ name: '百事帮志愿队', members: [], allowedActions: [] });
    expect((await c.public.get(`/api/organisations/${network.centre.id}`)).status).toBe(404);

    const neighbour = await insertUnit(app.db, {
      parentId: c.building.id,
      kind: 'household',
      code: `${c.building.code}-102-${crypto.randomUUID().slice(0, 6)}`,
      name: '102室',
    });
    const linked = await admin.put(`/api/organisations/${network.centre.id}/households`, {
      householdIds: [neighbour.id, c.household.id],
    });
    expect(linked.status).toBe(200);
    expect(linked.body.servedHouseholds.map((h: { id: string }) => h.id).sort()).toEqual(
      [neighbour.id, c.household.id].sort(),
    );
    const byWorker = await c.people.gridWorker.client.get(`/api/organisations/${network.centre.id}`);
    expect(byWorker.body.servedHouseholds).toHaveLength(2);
    expect(byWorker.body.allowedActions).toEqual([]);

    const other = await buildCommunity(app);
    const foreign = await admin.put(`/api/organisations/${network.centre.id}/households`, {
      householdIds: [other.household.id],
    });
    expect(foreign.status).toBe(400);
    const notCentre = await admin.put(`/api/organisations/${c.teams.volunteer}/households`, {
      householdIds: [c.household.id],
    });
    expect(notCentre.status).toBe(422);

    const removed = await admin.delete(
      `/api/organisations/${c.teams.volunteer}/members/${c.people.resident.id}`,
    );
    expect(removed.body.members).toEqual([]);
    const again = await admin.delete(
      `/api/organisations/${c.teams.volunteer}/members/${c.people.resident.id}`,
    );
    expect(again.status).toBe(404);
    const nobody = await admin.put(
      `/api/organisations/${c.teams.volunteer}/members/${crypto.randomUUID()}`,
      {},
    );
    expect(nobody.status).toBe(404);
  });

  it('lists the organisations of a unit and of its subtree, by kind', async () => {
    const c = await buildCommunity(app);
    await buildNetwork(c);
    const staff = await createTestUser(app, {
      name: '街道干部',
      roles: [{ role: 'street_admin', unitId: c.street.id }],
    });
    const atStreet = await staff.client.get(`/api/organisations?unitId=${c.street.id}`);
    expect(atStreet.body.items.map((o: { kind: string }) => o.kind)).toEqual(['party_working_committee']);
    const below = await staff.client.get(`/api/organisations?unitId=${c.street.id}&subtree=true`);
    expect(below.body.items).toHaveLength(10);
    const branches = await staff.client.get(
      `/api/organisations?unitId=${c.street.id}&subtree=true&kind=party_branch`,
    );
    expect(branches.body.items.map((o: { name: string }) => o.name)).toEqual(['幸福小区党支部']);
    // The public sees what hangs at streets, communities and grids, not the compound branch below.
    const open = await c.public.get(`/api/organisations?unitId=${c.street.id}&subtree=true`);
    expect(open.body.items).toHaveLength(7);
    expect((await c.public.get(`/api/organisations?unitId=${c.household.id}`)).status).toBe(404);
    expect((await c.public.get('/api/organisations?unitId=nope')).status).toBe(400);
  });
});
