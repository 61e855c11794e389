import type { MapCases, MapCasesQuery } from '@minqing/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { settleMap } from './map-test-helpers.ts';
import { CellPyramid, LEAF_LEVEL, MAP_STATES, childKeys, fixed, type CellPoint } from './cells.ts';
import { cellKey, mercatorX, mercatorY } from './cluster.ts';
import { getMapCases } from './get-map-cases.ts';
import { Bucket, type MapEntry } from './map-index.ts';

function random(seed: number) {
  let state = seed;
  return () => (state = (state * 16807) % 2147483647) / 2147483647;
}

function point(lng: number, lat: number): CellPoint {
  return { lng, lat, x: mercatorX(lng), y: mercatorY(lat), isCoarse: false };
}

describe('cell aggregates', () => {
  it('stay equal to a recount of their members after random adds and removes', () => {
    const next = random(11);
    const pyramid = new CellPyramid<number>();
    const live = new Map<number, { point: CellPoint; state: number; overdue: boolean }>();
    // a few stacked spots (cases at one grid centre) among scattered ones
    const spots = [point(120.11, 30.21), point(120.1101, 30.2101)];
    for (let step = 0; step < 3_000; step++) {
      const id = Math.floor(next() * 400);
      const current = live.get(id);
      if (current) {
        pyramid.remove(current.point, id, current.state, current.overdue);
        live.delete(id);
      }
      if (next() < 0.6) {
        const p =
          next() < 0.2 ? spots[Math.floor(next() * 2)]! : point(120.1 + next() * 0.04, 30.2 + next() * 0.04);
        const item = { point: p, state: Math.floor(next() * MAP_STATES.length), overdue: next() < 0.3 };
        pyramid.add(item.point, id, item.state, item.overdue);
        live.set(id, item);
      }
    }
    for (let level = 0; level <= LEAF_LEVEL; level++) {
      const expected = new Map<number, (typeof live extends Map<number, infer V> ? V : never)[]>();
      for (const item of live.values()) {
        const key = cellKey(item.point, level);
        expected.set(key, [...(expected.get(key) ?? []), item]);
      }
      expect([...pyramid.levels[level]!.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [key, items] of expected) {
        const node = pyramid.levels[level]!.get(key)!;
        expect(node.count).toBe(items.length);
        expect(node.overdue).toBe(items.filter((item) => item.overdue).length);
        expect(node.sumLng).toBe(items.reduce((sum, item) => sum + fixed(item.point.lng), 0));
        expect(node.sumLat).toBe(items.reduce((sum, item) => sum + fixed(item.point.lat), 0));
        expect(node.states).toEqual(
          MAP_STATES.map((_, i) => items.filter((item) => item.state === i).length),
        );
        expect(pyramid.extent(level, key)).toEqual([
          Math.min(...items.map((item) => item.point.lng)),
          Math.min(...items.map((item) => item.point.lat)),
          Math.max(...items.map((item) => item.point.lng)),
          Math.max(...items.map((item) => item.point.lat)),
        ]);
        if (level < LEAF_LEVEL) {
          const occupied = childKeys(key).filter((child) => pyramid.levels[level + 1]!.has(child));
          expect(node.children).toBe(occupied.length);
        }
        expect([...pyramid.members(level, key)].length).toBe(items.length);
        if (node.members) {
          // the dense leaf: each member beside the position it was added with, as numbers too
          const { entries, points, coords } = node.members;
          expect(entries.map((id) => live.get(id)!.point)).toEqual(points);
          expect(coords).toEqual(points.flatMap((p) => [p.lng, p.lat]));
        }
      }
    }
  });
});

describe('map buckets', () => {
  it('keep each case beside its position through random adds and removes', () => {
    const next = random(3);
    const bucket = new Bucket();
    const slots = new Map<MapEntry, number>();
    const live: MapEntry[] = [];
    for (let step = 0; step < 2_000; step++) {
      if (live.length > 0 && next() < 0.45) {
        const entry = live.splice(Math.floor(next() * live.length), 1)[0]!;
        const moved = bucket.remove(slots.get(entry)!);
        if (moved) slots.set(moved, slots.get(entry)!);
        slots.delete(entry);
      } else {
        const entry = { exact: point(120 + next(), 30 + next()) } as MapEntry;
        slots.set(entry, bucket.add(entry, entry.exact!));
        live.push(entry);
      }
    }
    expect(bucket.size).toBe(live.length);
    for (const entry of live) {
      const slot = slots.get(entry)!;
      expect(bucket.entries[slot]).toBe(entry);
      expect(bucket.coords.slice(2 * slot, 2 * slot + 2)).toEqual([entry.exact!.lng, entry.exact!.lat]);
    }
  });
});

describe('viewport answers from the cells', () => {
  let app: App;
  let c: TestCommunity;
  let streetAdmin: Actor;

  beforeAll(async () => {
    app = await buildTestApp();
    c = await buildCommunity(app);
    const { resident, communityAdmin, handler, gridWorker } = c.people;
    const next = random(5);
    const ids: { id: string; category: string; grid: number }[] = [];
    for (let i = 0; i < 36; i++) {
      const grid = i % 4;
      const p = c.pointIn(grid);
      // some cases on one spot, the rest spread over the grid
      const stacked = i % 9 === 0;
      const location = {
        lng: Math.round((p.lng + (stacked ? 0.001 : (next() - 0.5) * 0.0098)) * 1e6) / 1e6,
        lat: Math.round((p.lat + (stacked ? 0.001 : (next() - 0.5) * 0.0098)) * 1e6) / 1e6,
      };
      const category = ['0101', '0201', '0401', '0101'][i % 4]!;
      const reply = await report(resident.client, c, {
        location,
        categoryCode: category,
        description: `事件${i}`,
      });
      expect(reply.status).toBe(201);
      ids.push({ id: reply.body.id, category, grid });
    }
    await settleMap(app);
    // accept some, reject some (they leave the map), close a few, move deadlines into the past and near future
    for (const [i, item] of ids.entries()) {
      if (i % 5 === 1) await act(communityAdmin.client, item.id, 'accept');
      else if (i % 7 === 2) await act(communityAdmin.client, item.id, 'reject', { reason: '重复上报' });
    }
    const closable = ids
      .filter((item, i) => item.grid === 0 && item.category === '0101' && i % 5 !== 1 && i % 7 !== 2)
      .slice(0, 3);
    expect(closable.length).toBe(3);
    for (const item of closable) {
      await act(communityAdmin.client, item.id, 'accept');
      await act(communityAdmin.client, item.id, 'dispatch');
      await act(handler.client, item.id, 'start');
      await act(handler.client, item.id, 'submit', { result: '已清运' });
      await act(gridWorker.client, item.id, 'verify', { passed: true });
      const closed = await act(resident.client, item.id, 'rate', { rating: 'satisfied' });
      expect(closed.state).toBe('closed');
    }
    for (const [i, item] of ids.entries()) {
      // the accepted ones: under supervision, so a deadline passing makes them overdue
      if (i % 5 !== 1) continue;
      const due = new Date(Date.now() + (i % 10 === 1 ? -3600_000 : 3600_000));
      await app.db.updateTable('cases').set({ due_at: due }).where('id', '=', item.id).execute();
      await act(communityAdmin.client, item.id, 'note', { text: '已电话联系' });
    }
    await settleMap(app);
    const street = (await app.areas.getUnit(c.street.id))!;
    streetAdmin = {
      userId: c.people.streetAdmin.id,
      kind: 'staff',
      displayName: '街道管理员',
      roles: [
        {
          role: 'street_admin',
          unitId: street.id,
          unitPath: street.path,
          unitKind: 'street',
          streetId: street.id,
          orgId: null,
        },
      ],
    };
  });
  afterAll(async () => app.close());

  /** Random viewports around the community, from a few buildings to the whole world. */
  function viewports(seed: number): [number, number, number, number][] {
    const next = random(seed);
    const centre = c.pointIn(0);
    const boxes: [number, number, number, number][] = [[-180, -85, 180, 85]];
    for (let i = 0; i < 8; i++) {
      const lng = centre.lng - 0.01 + next() * 0.03;
      const lat = centre.lat - 0.02 + next() * 0.03;
      const half = 0.0005 * 2 ** (next() * 7);
      boxes.push([lng - half, lat - half * 0.8, lng + half, lat + half * 0.8]);
    }
    return boxes;
  }

  async function compareAll(later: number, seed: number): Promise<number> {
    await app.map.index.ready();
    const now = new Date(Date.now() + later);
    let compared = 0;
    for (let zoom = 0; zoom < 17; zoom++) {
      for (const bbox of viewports(seed + zoom)) {
        for (const [actor, unitId] of [
          [null, undefined],
          [null, c.street.id],
          [streetAdmin, c.street.id],
        ] as const) {
          const query: MapCasesQuery = { bbox, zoom, ...(unitId ? { unitId } : {}) };
          const cells = await getMapCases(app, actor, query, now);
          // the cells answered (only they move the index's clock to the query's time)
          if (zoom < 17) expect(app.map.index.clock).toBe(now.getTime());
          const walk = await getMapCases(app, actor, query, now, 'walk');
          expect(cells, JSON.stringify({ zoom, bbox, staff: actor !== null, unitId })).toEqual(walk);
          compared += cells.total;
        }
      }
    }
    return compared;
  }

  it('give the same answer as walking the cases, for the public and for staff, at every cluster zoom', async () => {
    expect(await compareAll(0, 100)).toBeGreaterThan(0);
    // the street admin's answer at a street zoom carries the staff form
    const staff = await getMapCases(app, streetAdmin, {
      bbox: viewports(1)[1]!,
      zoom: 14,
      unitId: c.street.id,
    });
    expect([...staff.cases].every((item) => item.id !== null)).toBe(true);
  });

  it('share public answers between screens until a case changes', async () => {
    const url = `/api/map/cases?bbox=${viewports(1)[2]!.join(',')}&zoom=13&unitId=${c.street.id}`;
    // The whole world but this test's own street: other test files report into the same database.
    const wide = `/api/map/cases?bbox=-180,-85,180,85&zoom=3&unitId=${c.street.id}`;
    const first = await c.public.get<MapCases>(wide);
    const again = await c.public.get<MapCases>(wide);
    expect(again.body).toEqual({ ...first.body, generatedAt: again.body.generatedAt });
    expect((await c.public.get<MapCases>(url)).status).toBe(200);
    const reply = await report(c.people.resident.client, c, {
      location: c.pointIn(1),
      categoryCode: '0101',
      description: '又一事件',
    });
    expect(reply.status).toBe(201);
    await settleMap(app);
    const after = await c.public.get<MapCases>(wide);
    expect(after.body.total).toBe(first.body.total + 1);
    expect(after.body).toEqual(
      await getMapCases(
        app,
        null,
        { bbox: [-180, -85, 180, 85], zoom: 3, unitId: c.street.id },
        new Date(after.body.generatedAt),
        'walk',
      ),
    );
  });

  it('follow a case that moves, and the clock: deadlines passing and closed cases ageing off', async () => {
    const moved = await report(c.people.resident.client, c, {
      location: c.pointIn(2),
      categoryCode: '0201',
      description: '新事件',
    });
    await act(c.people.communityAdmin.client, moved.body.id, 'accept');
    await settleMap(app);
    await compareAll(0, 200);
    // two hours on, the near deadlines have passed; 40 days on, the closed cases are off the map
    const later = await compareAll(2 * 3600_000, 300);
    const muchLater = await compareAll(40 * 86_400_000, 300);
    expect(muchLater).toBeLessThan(later);
  });
});
