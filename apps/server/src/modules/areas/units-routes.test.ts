import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildCommunity, createTestUser, square, type TestCommunity } from '../../../test/factories.ts';
import { insertUnit } from './repository.ts';

/** The community's south-west corner: its four 0.01° grids span 0.02° east and north of it. */
async function originOf(c: TestCommunity) {
  const reply = await c.public.get(`/api/units/${c.community.id}`);
  const [lng, lat] = reply.body.bbox as [number, number];
  return { lng, lat };
}

async function journalOf(app: App, recordId: string) {
  return app.db
    .selectFrom('journal_entries')
    .select(['seq', 'action', 'actor_id', 'actor_role', 'payload'])
    .where('record_type', '=', 'unit')
    .where('record_id', '=', recordId)
    .orderBy('seq')
    .execute();
}

describe('area units over HTTP', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  describe('resolving a point', () => {
    it('answers the grid of a point, the community outside every grid, the street, and null', async () => {
      const c = await buildCommunity(app, { gridCount: 2 });
      const { lng, lat } = await originOf(c);
      const inGrid = await c.public.get(`/api/areas/resolve?lng=${c.pointIn(1).lng}&lat=${c.pointIn(1).lat}`);
      expect(inGrid.status).toBe(200);
      expect(inGrid.body.resolution).toMatchObject({
        level: 'grid',
        gridId: c.grids[1]!.id,
        gridCode: c.grids[1]!.code,
        communityId: c.community.id,
        streetId: c.street.id,
        unitPath: c.grids[1]!.path,
      });
      // Two grids cover only the community's northern half.
      const south = await c.public.get(`/api/areas/resolve?lng=${lng + 0.005}&lat=${lat + 0.005}`);
      expect(south.body.resolution).toMatchObject({
        level: 'community',
        gridId: null,
        communityId: c.community.id,
      });
      const outside = c.pointOutside();
      const inStreet = await c.public.get(`/api/areas/resolve?lng=${outside.lng}&lat=${outside.lat}`);
      expect(inStreet.body.resolution).toMatchObject({
        level: 'street',
        communityId: null,
        streetId: c.street.id,
      });
      const nowhere = await c.public.get('/api/areas/resolve?lng=-170&lat=-80');
      expect(nowhere.body).toEqual({ lng: -170, lat: -80, resolution: null });
    });

    it('refuses coordinates out of range with a bilingual 400', async () => {
      const reply = await new (await import('../../../test/harness.ts')).Client(app).get(
        '/api/areas/resolve?lng=200&lat=22',
      );
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
      expect(reply.body.error.details.issues[0].path).toBe('querystring.lng');
      expect(reply.body.error.details.issues[0].messageEn).toBeTruthy();
    });

    it('sees a unit inserted straight into the database at once (another writer, the seed, a factory)', async () => {
      const c = await buildCommunity(app, { gridCount: 2 });
      const { lng, lat } = await originOf(c);
      const grid = await insertUnit(app.db, {
        parentId: c.community.id,
        kind: 'grid',
        code: `${c.community.code}003`,
        name: '第3网格',
        geometry: square(lng, lat, 0.01),
      });
      const reply = await c.public.get(`/api/areas/resolve?lng=${lng + 0.005}&lat=${lat + 0.005}`);
      expect(reply.body.resolution.gridId).toBe(grid.id);
    });
    it('hears of a unit written by another process through NOTIFY minqing_units', async () => {
      const c = await buildCommunity(app, { gridCount: 2 });
      const { lng, lat } = await originOf(c);
      const id = crypto.randomUUID();
      const geometry = square(lng, lat, 0.01);
      // Plain SQL, as another server process (or an operator) would write it: only the trigger tells.
      await sql`INSERT INTO units (id, parent_id, street_id, kind, code, name, path, depth, geometry,
          min_lng, min_lat, max_lng, max_lat)
        VALUES (${id}, ${c.community.id}, ${c.street.id}, 'grid', ${`${c.community.code}004`}, '第4网格',
          ${`${c.community.path}${id}/`}, 2, ${JSON.stringify(geometry)}::jsonb, ${lng}, ${lat}, ${lng + 0.01}, ${lat + 0.01})`.execute(
        app.db,
      );
      await vi.waitFor(
        async () => {
          const reply = await c.public.get(`/api/areas/resolve?lng=${lng + 0.005}&lat=${lat + 0.005}`);
          expect(reply.body.resolution.gridId).toBe(id);
        },
        { timeout: 5_000, interval: 50 },
      );
    });
  });

  describe('reading', () => {
    it('shows streets, communities and grids to everyone, with outlines', async () => {
      const c = await buildCommunity(app);
      const reply = await c.public.get(`/api/units/${c.grid.id}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        id: c.grid.id,
        kind: 'grid',
        code: c.grid.code,
        geometry: { type: 'Polygon' },
        allowedActions: [],
        childCount: 0,
      });
      expect(reply.body.ancestors.map((a: { id: string }) => a.id)).toEqual([c.street.id, c.community.id]);
      const asStaff = await c.people.gridWorker.client.get(`/api/units/${c.grid.id}`);
      expect(asStaff.body.childCount).toBe(1);
    });

    it('hides compounds, buildings and households from the public and from staff of other places', async () => {
      const c = await buildCommunity(app);
      const other = await buildCommunity(app);
      for (const client of [c.public, c.people.resident.client, other.people.communityAdmin.client]) {
        const reply = await client.get(`/api/units/${c.household.id}`);
        expect(reply.status).toBe(404);
        expect(reply.body.error.code).toBe('not_found');
      }
      const worker = await c.people.gridWorker.client.get(`/api/units/${c.household.id}`);
      expect(worker.status).toBe(200);
      expect(worker.body.kind).toBe('household');
      const otherWorker = await c.people.otherGridWorker.client.get(`/api/units/${c.household.id}`);
      expect(otherWorker.status).toBe(404);
    });

    it('lists children in code order, leaving out what the caller may not see', async () => {
      const c = await buildCommunity(app);
      const grids = await c.public.get(`/api/units/${c.community.id}/children`);
      expect(grids.body.items.map((u: { code: string }) => u.code)).toEqual(c.grids.map((g) => g.code));
      expect(grids.body.nextCursor).toBeNull();
      const paged = await c.public.get(`/api/units/${c.community.id}/children?limit=3`);
      expect(paged.body.items).toHaveLength(3);
      const rest = await c.public.get(
        `/api/units/${c.community.id}/children?limit=3&cursor=${paged.body.nextCursor}`,
      );
      expect(rest.body.items.map((u: { id: string }) => u.id)).toEqual([c.grids[3]!.id]);
      expect((await c.public.get(`/api/units/${c.grid.id}/children`)).body.items).toEqual([]);
      const staff = await c.people.communityAdmin.client.get(`/api/units/${c.grid.id}/children`);
      expect(staff.body.items.map((u: { id: string }) => u.id)).toEqual([c.compound.id]);
      const roots = await c.public.get('/api/units?limit=500');
      expect(roots.status).toBe(200);
      expect(roots.body.items.every((u: { parentId: string | null }) => u.parentId === null)).toBe(true);
    });

    it('reads the tree from street to household for staff, and to the grids for the public', async () => {
      const c = await buildCommunity(app);
      const staff = await c.people.streetAdmin.client.get(`/api/units/${c.street.id}/tree?depth=5`);
      expect(staff.status).toBe(200);
      const community = staff.body.root.children[0];
      expect(community.id).toBe(c.community.id);
      const grid = community.children.find((g: { id: string }) => g.id === c.grid.id);
      expect(grid.children[0].children[0].children[0]).toMatchObject({
        id: c.household.id,
        kind: 'household',
      });
      const open = await c.public.get(`/api/units/${c.street.id}/tree?depth=5`);
      const publicGrid = open.body.root.children[0].children.find((g: { id: string }) => g.id === c.grid.id);
      expect(publicGrid.children).toEqual([]);
      expect(open.body.truncated).toBe(false);
      const shallow = await c.public.get(`/api/units/${c.street.id}/tree?depth=1`);
      expect(shallow.body.root.children[0].children).toEqual([]);
    });

    it('gives a light GeoJSON subtree for maps', async () => {
      const c = await buildCommunity(app);
      const reply = await c.public.get(`/api/units/${c.street.id}/map?kinds=community,grid`);
      expect(reply.status).toBe(200);
      expect(reply.body.type).toBe('FeatureCollection');
      expect(reply.body.features.map((f: { id: string }) => f.id).sort()).toEqual(
        [c.community.id, ...c.grids.map((g) => g.id)].sort(),
      );
      expect(Object.keys(reply.body.features[0].properties).sort()).toEqual([
        'code',
        'kind',
        'name',
        'parentId',
      ]);
      const bad = await c.public.get(`/api/units/${c.street.id}/map?kinds=grid,planet`);
      expect(bad.status).toBe(400);
    });

    it('searches by name and by the start of a code, within what the caller may see', async () => {
      const c = await buildCommunity(app);
      const byCode = await c.public.get(`/api/units/search?q=${c.community.code}`);
      expect(byCode.body.items[0].id).toBe(c.community.id);
      expect(byCode.body.items.map((u: { id: string }) => u.id)).toEqual(
        expect.arrayContaining(c.grids.map((g) => g.id)),
      );
      const byName = await c.public.get(
        `/api/units/search?q=${encodeURIComponent('第3网格')}&under=${c.street.id}`,
      );
      expect(byName.body.items.map((u: { id: string }) => u.id)).toEqual([c.grids[2]!.id]);
      const household = `/api/units/search?q=${encodeURIComponent(c.household.code)}`;
      expect((await c.public.get(household)).body.items).toEqual([]);
      expect((await c.people.gridWorker.client.get(household)).body.items[0].id).toBe(c.household.id);
      expect((await c.public.get('/api/units/search?q=')).status).toBe(400);
    });

    it('answers 404 for an unknown unit and 400 for a malformed id', async () => {
      const c = await buildCommunity(app);
      expect((await c.public.get(`/api/units/${crypto.randomUUID()}`)).status).toBe(404);
      expect((await c.public.get('/api/units/not-a-uuid')).status).toBe(400);
    });
  });

  describe('creating', () => {
    it('adds a grid next to the others, journals it and resolves points to it at once', async () => {
      const c = await buildCommunity(app);
      const { lng, lat } = await originOf(c);
      const geometry = square(lng + 0.02, lat, 0.01);
      const reply = await c.people.communityAdmin.client.post('/api/units', {
        parentId: c.community.id,
        kind: 'grid',
        code: `${c.community.code}005`,
        name: '第5网格',
        geometry,
        attrs: { note: '新划入' },
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toMatchObject({
        kind: 'grid',
        parentId: c.community.id,
        streetId: c.street.id,
        version: 1,
        geometry,
        attrs: { note: '新划入' },
      });
      expect(reply.body.allowedActions).toEqual(
        expect.arrayContaining(['update', 'deactivate', 'create_child']),
      );
      const resolved = await c.public.get(`/api/areas/resolve?lng=${lng + 0.025}&lat=${lat + 0.005}`);
      expect(resolved.body.resolution.gridId).toBe(reply.body.id);
      const [entry, ...more] = await journalOf(app, reply.body.id);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({
        seq: 1,
        action: 'create',
        actor_id: c.people.communityAdmin.id,
        actor_role: 'community_admin',
      });
      expect((entry!.payload as { set: Record<string, unknown> }).set).toMatchObject({
        code: `${c.community.code}005`,
        kind: 'grid',
        geometry,
        is_active: true,
        version: 1,
      });
    });

    it('refuses a grid that overlaps a sibling with 422 naming it, and writes nothing', async () => {
      const c = await buildCommunity(app);
      const { lng, lat } = await originOf(c);
      const code = `${c.community.code}006`;
      const reply = await c.people.communityAdmin.client.post('/api/units', {
        parentId: c.community.id,
        kind: 'grid',
        code,
        name: '压线网格',
        geometry: square(lng + 0.015, lat + 0.015, 0.01),
      });
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe('grid_overlap');
      expect(reply.body.error.details.otherGrid).toEqual({
        id: c.grids[1]!.id,
        code: c.grids[1]!.code,
        name: '第2网格',
      });
      expect(reply.body.error.messages.zh).toContain('第2网格');
      const written = await app.db.selectFrom('units').select('id').where('code', '=', code).execute();
      expect(written).toEqual([]);
    });

    it('checks codes: 15-digit grid codes under their community, 12-digit community codes under their street', async () => {
      const c = await buildCommunity(app);
      const { lng, lat } = await originOf(c);
      const admin = c.people.streetAdmin.client;
      const attempt = (body: Record<string, unknown>) =>
        admin.post('/api/units', { name: '新单元', ...body });
      const wrongPrefix = await attempt({
        parentId: c.community.id,
        kind: 'grid',
        code: `${'9'.repeat(12)}007`,
      });
      expect(wrongPrefix.status).toBe(400);
      expect(wrongPrefix.body.error.details.issues[0]).toMatchObject({ path: 'body.code' });
      expect(wrongPrefix.body.error.details.issues[0].messageZh).toContain(c.community.code);
      expect(
        (await attempt({ parentId: c.community.id, kind: 'grid', code: `${c.community.code}07` })).status,
      ).toBe(400);
      expect(
        (await attempt({ parentId: c.community.id, kind: 'grid', code: `${c.community.code}000` })).status,
      ).toBe(400);
      const otherStreet = `${String((Number(c.street.code.slice(0, 9)) + 1) % 1e9).padStart(9, '0')}001`;
      expect((await attempt({ parentId: c.street.id, kind: 'community', code: otherStreet })).status).toBe(
        400,
      );
      const community = await attempt({
        parentId: c.street.id,
        kind: 'community',
        code: `${c.street.code.slice(0, 9)}${c.community.code.endsWith('999') ? '998' : '999'}`,
        geometry: square(lng - 0.01, lat - 0.01, 0.005),
      });
      expect(community.status).toBe(201);
      // A grid belongs in a community, not in a street.
      const misplaced = await attempt({
        parentId: c.street.id,
        kind: 'grid',
        code: `${c.community.code}008`,
      });
      expect(misplaced.status).toBe(400);
      expect(misplaced.body.error.details.issues[0].path).toBe('body.parentId');
    });

    it('refuses a bad outline, a wrong geometry type and unknown fields with 400', async () => {
      const c = await buildCommunity(app);
      const admin = c.people.communityAdmin.client;
      const base = { parentId: c.community.id, kind: 'grid', code: `${c.community.code}009`, name: '坏网格' };
      const open = await admin.post('/api/units', {
        ...base,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113, 22],
              [113.01, 22],
              [113.01, 22.01],
              [113, 22.02],
            ],
          ],
        },
      });
      expect(open.status).toBe(400);
      expect(open.body.error.details.issues[0].messageEn).toContain('not closed');
      const bowTie = await admin.post('/api/units', {
        ...base,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113, 22],
              [113.01, 22.01],
              [113.01, 22],
              [113, 22.01],
              [113, 22],
            ],
          ],
        },
      });
      expect(bowTie.status).toBe(400);
      expect(bowTie.body.error.details.issues[0].messageEn).toContain('crosses');
      const point = await admin.post('/api/units', {
        ...base,
        geometry: { type: 'Point', coordinates: [113, 22] },
      });
      expect(point.status).toBe(400);
      const unknown = await admin.post('/api/units', { ...base, colour: 'red' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.details.issues[0].code).toBe('unrecognized_keys');
      const latitude = await admin.post('/api/units', {
        ...base,
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113, 95],
              [113.01, 22],
              [113.01, 22.01],
              [113, 95],
            ],
          ],
        },
      });
      expect(latitude.status).toBe(400);
      const written = await app.db.selectFrom('units').select('id').where('code', '=', base.code).execute();
      expect(written).toEqual([]);
    });

    it('lets compounds, buildings and households carry free codes, unique everywhere', async () => {
      const c = await buildCommunity(app);
      const admin = c.people.communityAdmin.client;
      const code = `幸福里-${crypto.randomUUID().slice(0, 8)}`;
      const compound = await admin.post('/api/units', {
        parentId: c.grid.id,
        kind: 'compound',
        code,
        name: '幸福里',
        geometry: { type: 'Point', coordinates: [113.1, 22.1] },
      });
      expect(compound.status).toBe(201);
      const again = await admin.post('/api/units', {
        parentId: c.grid.id,
        kind: 'compound',
        code,
        name: '另一个',
      });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('duplicate_code');
      const household = await admin.post('/api/units', {
        parentId: compound.body.id,
        kind: 'household',
        code: `${code}-1号`,
        name: '1号',
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [113, 22],
              [113.01, 22],
              [113.01, 22.01],
              [113, 22],
            ],
          ],
        },
      });
      expect(household.status).toBe(400);
    });

    it('keeps each administrator to the units below their own', async () => {
      const c = await buildCommunity(app);
      const other = await buildCommunity(app);
      const body = { parentId: c.grid.id, kind: 'compound', code: `C-${crypto.randomUUID()}`, name: '小区' };
      expect((await other.people.communityAdmin.client.post('/api/units', body)).status).toBe(403);
      expect((await other.people.streetAdmin.client.post('/api/units', body)).status).toBe(403);
      expect((await c.people.gridWorker.client.post('/api/units', body)).status).toBe(403);
      expect((await c.public.post('/api/units', body)).status).toBe(401);
      const hidden = { ...body, parentId: c.compound.id, kind: 'building' };
      expect((await other.people.communityAdmin.client.post('/api/units', hidden)).status).toBe(404);
      const missing = { ...body, parentId: crypto.randomUUID() };
      expect((await c.people.communityAdmin.client.post('/api/units', missing)).status).toBe(404);
      const top = { parentId: null, kind: 'street', code: '440000000000', name: '顶级' };
      expect((await c.people.streetAdmin.client.post('/api/units', top)).status).toBe(403);
    });
  });

  describe('changing', () => {
    it('renames and redraws a grid with its version, journals the change, and moves resolution', async () => {
      const c = await buildCommunity(app, { gridCount: 2 });
      const { lng, lat } = await originOf(c);
      const admin = c.people.communityAdmin.client;
      const grid = c.grids[0]!;
      // Grid 1 grows south into the empty half of the community.
      const geometry = square(lng, lat, 0.01);
      geometry.coordinates[0]![2]![1] = lat + 0.02;
      geometry.coordinates[0]![3]![1] = lat + 0.02;
      const reply = await admin.patch(`/api/units/${grid.id}`, {
        expectedVersion: 1,
        name: '第1网格（扩）',
        geometry,
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ version: 2, name: '第1网格（扩）', geometry });
      const south = await c.public.get(`/api/areas/resolve?lng=${lng + 0.005}&lat=${lat + 0.005}`);
      expect(south.body.resolution.gridId).toBe(grid.id);
      const entries = await journalOf(app, grid.id);
      // The factory made the grid outside the journal: its chain starts with the whole row.
      expect(entries.map((e) => e.action)).toEqual(['update']);
      expect((entries[0]!.payload as { set: Record<string, unknown> }).set).toMatchObject({
        name: '第1网格（扩）',
        version: 2,
        code: grid.code,
        path: grid.path,
      });
      const again = await admin.patch(`/api/units/${grid.id}`, { expectedVersion: 2, name: '第1网格' });
      expect(again.body.version).toBe(3);
      const second = await journalOf(app, grid.id);
      expect((second[1]!.payload as { set: Record<string, unknown> }).set).toEqual({
        name: '第1网格',
        version: 3,
      });
    });

    it('answers a stale version with 409 and the current version', async () => {
      const c = await buildCommunity(app);
      const admin = c.people.communityAdmin.client;
      expect((await admin.patch(`/api/units/${c.grid.id}`, { expectedVersion: 1, name: 'A' })).status).toBe(
        200,
      );
      const stale = await admin.patch(`/api/units/${c.grid.id}`, { expectedVersion: 1, name: 'B' });
      expect(stale.status).toBe(409);
      expect(stale.body.error.code).toBe('stale_version');
      expect(stale.body.error.details.currentVersion).toBe(2);
      expect((await c.public.get(`/api/units/${c.grid.id}`)).body.name).toBe('A');
    });

    it('refuses a new outline that overlaps a sibling grid', async () => {
      const c = await buildCommunity(app);
      const { lng, lat } = await originOf(c);
      const reply = await c.people.communityAdmin.client.patch(`/api/units/${c.grids[0]!.id}`, {
        expectedVersion: 1,
        geometry: square(lng + 0.005, lat + 0.01, 0.01),
      });
      expect(reply.status).toBe(422);
      expect(reply.body.error.details.otherGrid.id).toBe(c.grids[1]!.id);
    });

    it('lets a street administrator edit a community but not a community administrator', async () => {
      const c = await buildCommunity(app);
      const own = await c.people.communityAdmin.client.patch(`/api/units/${c.community.id}`, {
        expectedVersion: 1,
        name: '改名',
      });
      expect(own.status).toBe(403);
      const street = await c.people.streetAdmin.client.patch(`/api/units/${c.community.id}`, {
        expectedVersion: 1,
        name: '改名社区',
      });
      expect(street.status).toBe(200);
      expect((await c.public.get(`/api/units/${c.community.id}`)).body.allowedActions).toEqual([]);
      const recode = await c.people.streetAdmin.client.patch(`/api/units/${c.community.id}`, {
        expectedVersion: 2,
        code: `${c.street.code.slice(0, 9)}${c.community.code.endsWith('998') ? '997' : '998'}`,
      });
      expect(recode.status).toBe(422);
      expect(recode.body.error.code).toBe('code_in_use');
      const empty = await c.people.streetAdmin.client.patch(`/api/units/${c.community.id}`, {
        expectedVersion: 2,
      });
      expect(empty.status).toBe(400);
    });

    it('deactivates a grid only without active units below, and resolution falls back to the community', async () => {
      const c = await buildCommunity(app);
      const admin = c.people.communityAdmin.client;
      const busy = await admin.post(`/api/units/${c.grid.id}/deactivate`, { expectedVersion: 1 });
      expect(busy.status).toBe(422);
      expect(busy.body.error.details.activeChildren).toBe(1);
      const point = c.pointIn(3);
      const gone = await admin.post(`/api/units/${c.grids[3]!.id}/deactivate`, { expectedVersion: 1 });
      expect(gone.status).toBe(200);
      expect(gone.body).toMatchObject({ isActive: false, version: 2 });
      expect(gone.body.allowedActions).toContain('activate');
      const resolved = await c.public.get(`/api/areas/resolve?lng=${point.lng}&lat=${point.lat}`);
      expect(resolved.body.resolution).toMatchObject({ level: 'community', gridId: null });
      expect((await c.public.get(`/api/units/${c.grids[3]!.id}`)).status).toBe(404);
      const listed = await admin.get(`/api/units/${c.community.id}/children?includeInactive=true`);
      expect(listed.body.items).toHaveLength(4);
      const back = await admin.post(`/api/units/${c.grids[3]!.id}/activate`, { expectedVersion: 2 });
      expect(back.status).toBe(200);
      const again = await c.public.get(`/api/areas/resolve?lng=${point.lng}&lat=${point.lat}`);
      expect(again.body.resolution.gridId).toBe(c.grids[3]!.id);
      const actions = (await journalOf(app, c.grids[3]!.id)).map((e) => e.action);
      expect(actions).toEqual(['deactivate', 'activate']);
    });
  });

  it('serves other capabilities a unit, its ancestors, its community and its street', async () => {
    const c = await buildCommunity(app);
    expect(await app.areas.getUnit(c.household.id)).toMatchObject({ id: c.household.id, kind: 'household' });
    expect(await app.areas.getUnit(c.grid.id)).toMatchObject({
      id: c.grid.id,
      code: c.grid.code,
      isActive: true,
    });
    expect(await app.areas.getUnit(crypto.randomUUID())).toBeUndefined();
    const ancestors = await app.areas.ancestors(c.household.id);
    expect(ancestors.map((unit) => unit.kind)).toEqual([
      'street',
      'community',
      'grid',
      'compound',
      'building',
    ]);
    expect((await app.areas.communityOf(c.household.id))?.id).toBe(c.community.id);
    expect((await app.areas.communityOf(c.community.id))?.id).toBe(c.community.id);
    expect(await app.areas.communityOf(c.street.id)).toBeUndefined();
    expect((await app.areas.streetOf(c.grid.id))?.id).toBe(c.street.id);
  });

  it('lets a system administrator create a top-level street', async () => {
    const c = await buildCommunity(app);
    const system = await createTestUser(app, {
      name: '系统管理员',
      roles: [{ role: 'system_admin', unitId: c.street.id }],
    });
    const code = `${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}000`;
    const reply = await system.client.post('/api/units', {
      parentId: null,
      kind: 'street',
      code,
      name: '新街道',
    });
    expect(reply.status).toBe(201);
    expect(reply.body.streetId).toBe(reply.body.id);
  });

  it('describes every area route in the OpenAPI document', async () => {
    const c = await buildCommunity(app);
    const reply = await c.public.get('/api/openapi.json');
    expect(reply.status).toBe(200);
    for (const path of [
      '/api/areas/resolve',
      '/api/units',
      '/api/units/{id}',
      '/api/units/{id}/tree',
      '/api/units/import-grids',
    ]) {
      expect(Object.keys(reply.body.paths)).toContain(path);
    }
  });
});
