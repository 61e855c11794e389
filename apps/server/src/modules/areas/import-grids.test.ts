import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildCommunity, square, type TestCommunity } from '../../../test/factories.ts';
import { runImportGridsCommand } from './import-grids-command.ts';

async function originOf(c: TestCommunity) {
  const reply = await c.public.get(`/api/units/${c.community.id}`);
  const [lng, lat] = reply.body.bbox as [number, number];
  return { lng, lat };
}

const feature = (code: string, name: string, geometry: unknown, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { code, name, ...extra },
  geometry,
});

/**
 * A file for a community whose two grids cover its northern half: two new grids for the southern
 * half (one a MultiPolygon), a new outline for grid 2, and one feature for each way to be wrong.
 */
async function mixedFile(c: TestCommunity) {
  const { lng, lat } = await originOf(c);
  const code = (n: string) => `${c.community.code}${n}`;
  const features = [
    feature(code('101'), '南一网格', square(lng, lat, 0.01), { workers: ['林小燕'] }),
    feature(code('102'), '南二网格', {
      type: 'MultiPolygon',
      coordinates: [square(lng + 0.01, lat, 0.004).coordinates, square(lng + 0.015, lat, 0.005).coordinates],
    }),
    feature(c.grids[1]!.code, '第2网格（新界）', square(lng + 0.01, lat + 0.01, 0.009)),
    feature(code('103'), '压线网格', square(lng + 0.005, lat, 0.01)),
    feature(code('104'), '未闭合', {
      type: 'Polygon',
      coordinates: [
        [
          [lng, lat],
          [lng + 0.001, lat],
          [lng + 0.001, lat + 0.001],
          [lng, lat + 0.002],
        ],
      ],
    }),
    feature(code('105'), '点状', { type: 'Point', coordinates: [lng, lat] }),
    feature('12345', '短代码', square(lng - 0.5, lat, 0.001)),
    feature(`${'0'.repeat(12)}001`, '无主网格', square(lng - 0.5, lat, 0.001)),
    feature(code('101'), '重复代码', square(lng - 0.4, lat, 0.001)),
    feature(code('106'), '自相交', {
      type: 'Polygon',
      coordinates: [
        [
          [lng - 0.3, lat],
          [lng - 0.29, lat + 0.01],
          [lng - 0.29, lat],
          [lng - 0.3, lat + 0.01],
          [lng - 0.3, lat],
        ],
      ],
    }),
    { type: 'Polygon' },
  ];
  return { type: 'FeatureCollection', features };
}

const EXPECTED_REFUSALS = [
  [3, 'overlap'],
  [4, 'invalid_geometry'],
  [5, 'geometry_type'],
  [6, 'invalid_code'],
  [7, 'parent_not_found'],
  [8, 'duplicate_in_file'],
  [9, 'self_intersection'],
  [10, 'not_a_feature'],
];

describe('importing grids', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('previews an import on a dry run and writes nothing', async () => {
    const c = await buildCommunity(app, { gridCount: 2 });
    const file = await mixedFile(c);
    const reply = await c.people.communityAdmin.client.post('/api/units/import-grids', {
      dryRun: true,
      featureCollection: file,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ dryRun: true, total: 11 });
    expect(reply.body.imported.map((g: { index: number; unitId: null }) => [g.index, g.unitId])).toEqual([
      [0, null],
      [1, null],
    ]);
    expect(reply.body.updated.map((g: { unitId: string }) => g.unitId)).toEqual([c.grids[1]!.id]);
    expect(reply.body.refused.map((r: { index: number; reason: string }) => [r.index, r.reason])).toEqual(
      EXPECTED_REFUSALS,
    );
    const grids = await app.db
      .selectFrom('units')
      .select('code')
      .where('parent_id', '=', c.community.id)
      .execute();
    expect(grids).toHaveLength(2);
    expect((await c.public.get(`/api/units/${c.grids[1]!.id}`)).body.version).toBe(1);
  });

  it('imports the valid features in one go, reports the rest with reasons in both languages', async () => {
    const c = await buildCommunity(app, { gridCount: 2 });
    const { lng, lat } = await originOf(c);
    const reply = await c.people.communityAdmin.client.post('/api/units/import-grids', {
      featureCollection: await mixedFile(c),
    });
    expect(reply.status).toBe(200);
    expect(reply.body.imported).toHaveLength(2);
    const overlap = reply.body.refused[0];
    expect(overlap.message.zh).toContain('南一网格');
    expect(overlap.message.en).toContain(`${c.community.code}101`);
    for (const refusal of reply.body.refused) {
      expect(refusal.message.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(refusal.message.en).toMatch(/[a-z]/);
    }
    const south = await c.public.get(`/api/areas/resolve?lng=${lng + 0.005}&lat=${lat + 0.005}`);
    expect(south.body.resolution.gridCode).toBe(`${c.community.code}101`);
    const east = await c.public.get(`/api/areas/resolve?lng=${lng + 0.0175}&lat=${lat + 0.0025}`);
    expect(east.body.resolution.gridCode).toBe(`${c.community.code}102`);
    const imported = await c.people.communityAdmin.client.get(`/api/units/${reply.body.imported[0].unitId}`);
    expect(imported.body.attrs).toEqual({ workers: ['林小燕'] });
    const updated = await c.public.get(`/api/units/${c.grids[1]!.id}`);
    expect(updated.body).toMatchObject({ name: '第2网格（新界）', version: 2 });
    const entries = await app.db
      .selectFrom('journal_entries')
      .select(['record_id', 'action', 'payload'])
      .where('record_type', '=', 'unit')
      .where('record_id', 'in', [
        ...reply.body.imported.map((g: { unitId: string }) => g.unitId),
        c.grids[1]!.id,
      ])
      .execute();
    expect(entries.map((e) => e.action).sort()).toEqual(['create', 'create', 'update']);
    expect(
      entries.every((e) => (e.payload as { note?: { via?: string } }).note?.via === 'import-grids'),
    ).toBe(true);

    // The same file again changes nothing that is already in.
    const again = await c.people.communityAdmin.client.post('/api/units/import-grids', {
      featureCollection: await mixedFile(c),
    });
    expect(again.body.imported).toEqual([]);
    expect(again.body.updated).toEqual([]);
    expect(again.body.unchanged.map((g: { index: number }) => g.index)).toEqual([0, 1, 2]);
  });

  it('refuses features of communities outside the importer’s scope', async () => {
    const c = await buildCommunity(app, { gridCount: 2 });
    const other = await buildCommunity(app, { gridCount: 2 });
    const reply = await other.people.communityAdmin.client.post('/api/units/import-grids', {
      featureCollection: await mixedFile(c),
    });
    expect(reply.status).toBe(200);
    expect(reply.body.imported).toEqual([]);
    expect(reply.body.refused.filter((r: { reason: string }) => r.reason === 'forbidden')).toHaveLength(4);
    expect(
      (
        await c.people.gridWorker.client.post('/api/units/import-grids', {
          featureCollection: await mixedFile(c),
        })
      ).status,
    ).toBe(403);
    expect(
      (await c.public.post('/api/units/import-grids', { featureCollection: await mixedFile(c) })).status,
    ).toBe(401);
    const malformed = await c.people.communityAdmin.client.post('/api/units/import-grids', {
      featureCollection: { type: 'GeometryCollection', geometries: [] },
    });
    expect(malformed.status).toBe(400);
  });

  describe('minqing import-grids', () => {
    const dir = mkdtempSync(join(tmpdir(), 'minqing-import-'));
    const run = async (args: string[]) => {
      const lines: string[] = [];
      const code = await runImportGridsCommand(args, { db: app.db, print: (line) => lines.push(line) });
      return { code, output: lines.join('\n') };
    };

    it('imports a GeoJSON file, prints the report and exits 1 when something was refused', async () => {
      const c = await buildCommunity(app, { gridCount: 2 });
      const file = join(dir, 'mixed.geojson');
      writeFileSync(file, JSON.stringify(await mixedFile(c)));
      const preview = await run([file, '--dry-run']);
      expect(preview.code).toBe(1);
      expect(preview.output).toContain('dry run');
      expect(
        await app.db.selectFrom('units').select('id').where('parent_id', '=', c.community.id).execute(),
      ).toHaveLength(2);
      const { code, output } = await run([file]);
      expect(code).toBe(1);
      expect(output).toMatch(/imported 2.*updated 1.*refused 8/);
      expect(output).toContain(`#8 ${'0'.repeat(12)}001 [parent_not_found]`);
      expect(output).toContain('找不到代码为 000000000000 的社区/村');
      const journaled = await app.db
        .selectFrom('journal_entries')
        .select(['actor_id', 'actor_role'])
        .where('record_type', '=', 'unit')
        .where('street_id', '=', c.street.id)
        .execute();
      expect(journaled).toContainEqual({ actor_id: null, actor_role: 'system' });
    });

    it('exits 0 when every feature is in', async () => {
      const c = await buildCommunity(app, { gridCount: 2 });
      const { lng, lat } = await originOf(c);
      const file = join(dir, 'good.geojson');
      writeFileSync(
        file,
        JSON.stringify({
          type: 'FeatureCollection',
          features: [feature(`${c.community.code}201`, '南网格', square(lng, lat, 0.01))],
        }),
      );
      const { code, output } = await run([file]);
      expect(code).toBe(0);
      expect(output).toContain(`+ #1 ${c.community.code}201 南网格`);
    });

    it('explains a missing file, a file that is not GeoJSON and a wrong command line', async () => {
      expect((await run([])).code).toBe(2);
      expect((await run(['--nonsense'])).code).toBe(2);
      const missing = await run([join(dir, 'nope.geojson')]);
      expect(missing.code).toBe(1);
      expect(missing.output).toContain('cannot read');
      const text = join(dir, 'text.geojson');
      writeFileSync(text, '{"type":"Feature"}');
      const notCollection = await run([text]);
      expect(notCollection.code).toBe(1);
      expect(notCollection.output).toContain('not a GeoJSON FeatureCollection');
    });
  });
});
