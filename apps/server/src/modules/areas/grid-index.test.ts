import { describe, expect, it } from 'vitest';
import type { UnitGeometry } from './geometry.ts';
import { GridIndex, type AreaUnit, type AreaUnitSource } from './grid-index.ts';

/** A square ring with its south-west corner at (x, y). */
const ring = (x: number, y: number, size: number) => [
  [x, y],
  [x + size, y],
  [x + size, y + size],
  [x, y + size],
  [x, y],
];
const square = (x: number, y: number, size: number): UnitGeometry => ({
  type: 'Polygon',
  coordinates: [ring(x, y, size)],
});

function unit(
  id: string,
  kind: AreaUnit['kind'],
  code: string,
  geometry: UnitGeometry | null,
  parent: AreaUnit | null,
): AreaUnit {
  return {
    id,
    parentId: parent?.id ?? null,
    streetId: kind === 'street' ? id : (parent?.streetId ?? null),
    kind,
    code,
    name: `${kind} ${code}`,
    path: `${parent?.path ?? '/'}${id}/`,
    depth: (parent?.depth ?? -1) + 1,
    isActive: true,
    geometry,
  };
}

/**
 * A street (0..4 × 0..4) with a community (0..2 × 0..2) of four 1 × 1 grids, numbered west to east,
 * north to south, plus a grid with a hole and a two-part grid in a second community (2..4 × 0..2).
 */
function fixture() {
  const street = unit('s', 'street', '440000001000', square(0, 0, 4), null);
  const community = unit('c', 'community', '440000001001', square(0, 0, 2), street);
  const grids = [
    unit('g1', 'grid', '440000001001001', square(0, 1, 1), community),
    unit('g2', 'grid', '440000001001002', square(1, 1, 1), community),
    unit('g3', 'grid', '440000001001003', square(0, 0, 1), community),
    unit('g4', 'grid', '440000001001004', square(1, 0, 1), community),
  ];
  const second = unit('c2', 'community', '440000001002', square(2, 0, 2), street);
  const holed = unit(
    'h',
    'grid',
    '440000001002001',
    { type: 'Polygon', coordinates: [ring(2, 1, 1), ring(2.25, 1.25, 0.5)] },
    second,
  );
  const twoParts = unit(
    'm',
    'grid',
    '440000001002002',
    { type: 'MultiPolygon', coordinates: [[ring(3, 1, 0.5)], [ring(3, 0, 0.5)]] },
    second,
  );
  return {
    street,
    community,
    grids,
    second,
    holed,
    twoParts,
    all: [street, community, ...grids, second, holed, twoParts],
  };
}

function sourceOf(units: AreaUnit[]): AreaUnitSource & { units: AreaUnit[]; reads: number } {
  const source = {
    units,
    reads: 0,
    loadAll: async () => {
      source.reads++;
      return [...source.units];
    },
    loadByIds: async (ids: readonly string[]) => {
      source.reads++;
      return source.units.filter((u) => ids.includes(u.id));
    },
  };
  return source;
}

describe('point → grid resolution', () => {
  const f = fixture();
  const index = new GridIndex(sourceOf(f.all));
  const gridAt = async (lng: number, lat: number) => (await index.resolvePoint({ lng, lat }))?.gridId ?? null;

  it('finds the grid a point lies inside, with its community and street', async () => {
    const resolved = await index.resolvePoint({ lng: 1.5, lat: 1.5 });
    expect(resolved).toEqual({
      level: 'grid',
      streetId: 's',
      streetName: 'street 440000001000',
      communityId: 'c',
      communityName: 'community 440000001001',
      gridId: 'g2',
      gridCode: '440000001001002',
      gridName: 'grid 440000001001002',
      unitPath: '/s/c/g2/',
    });
    expect(await gridAt(0.5, 0.5)).toBe('g3');
  });

  it('gives a point on an edge shared by two grids to the grid with the smaller code', async () => {
    expect(await gridAt(1, 1.5)).toBe('g1');
    expect(await gridAt(1, 0.5)).toBe('g3');
    expect(await gridAt(0.5, 1)).toBe('g1');
  });

  it('gives a vertex shared by four grids to the grid with the smallest code', async () => {
    expect(await gridAt(1, 1)).toBe('g1');
  });

  it('counts a point on the outer boundary of the community as inside its grid', async () => {
    expect(await gridAt(0, 0.5)).toBe('g3');
    expect(await gridAt(2, 2)).toBe('g2');
  });

  it('does not place a point in a hole in the grid around it', async () => {
    const inHole = await index.resolvePoint({ lng: 2.5, lat: 1.5 });
    expect(inHole?.gridId).toBeNull();
    expect(inHole?.level).toBe('community');
    expect(inHole?.communityId).toBe('c2');
    expect(await gridAt(2.1, 1.5)).toBe('h');
    // The hole's boundary belongs to the grid (a polygon is a closed set).
    expect(await gridAt(2.25, 1.5)).toBe('h');
  });

  it('finds a point in the second polygon of a MultiPolygon', async () => {
    expect(await gridAt(3.25, 0.25)).toBe('m');
    expect(await gridAt(3.25, 1.25)).toBe('m');
    expect(await gridAt(3.25, 0.75)).toBeNull();
  });

  it('falls back to the community outside every grid, then to the street', async () => {
    const inCommunity = await index.resolvePoint({ lng: 3.75, lat: 0.75 });
    expect(inCommunity).toMatchObject({
      level: 'community',
      communityId: 'c2',
      gridId: null,
      unitPath: '/s/c2/',
    });
    const inStreet = await index.resolvePoint({ lng: 3, lat: 3 });
    expect(inStreet).toMatchObject({
      level: 'street',
      streetId: 's',
      communityId: null,
      gridId: null,
      unitPath: '/s/',
    });
  });

  it('answers null outside every street', async () => {
    expect(await index.resolvePoint({ lng: 10, lat: 10 })).toBeNull();
    expect(await index.resolvePoint({ lng: -0.000001, lat: 0.5 })).toBeNull();
  });
});

describe('keeping the index current', () => {
  it('re-reads changed units before the next answer, and only those', async () => {
    const f = fixture();
    const source = sourceOf(f.all);
    const index = new GridIndex(source);
    expect((await index.resolvePoint({ lng: 0.5, lat: 1.5 }))?.gridId).toBe('g1');
    const readsAfterLoad = source.reads;
    await index.resolvePoint({ lng: 0.5, lat: 1.5 });
    expect(source.reads).toBe(readsAfterLoad);

    // g1 is deactivated and a new grid takes the street's empty north-east corner.
    source.units = source.units.map((u) => (u.id === 'g1' ? { ...u, isActive: false } : u));
    const added = unit('g9', 'grid', '440000001002009', square(3, 3, 1), f.second);
    source.units.push(added);
    index.markChanged(['g1', 'g9']);
    expect(await index.resolvePoint({ lng: 0.5, lat: 1.5 })).toMatchObject({
      level: 'community',
      gridId: null,
    });
    expect((await index.resolvePoint({ lng: 3.5, lat: 3.5 }))?.gridId).toBe('g9');
    expect(source.reads).toBe(readsAfterLoad + 1);
    expect(index.get('g1')?.isActive).toBe(false);
  });

  it('forgets a unit that is gone and reloads everything when asked to', async () => {
    const f = fixture();
    const source = sourceOf(f.all);
    const index = new GridIndex(source);
    await index.refresh();
    source.units = source.units.filter((u) => u.id !== 'g2');
    index.markChanged(['g2']);
    expect((await index.resolvePoint({ lng: 1.5, lat: 1.5 }))?.gridId).toBeNull();
    expect(index.get('g2')).toBeUndefined();

    source.units = [];
    index.markAllChanged();
    expect(await index.resolvePoint({ lng: 1.5, lat: 1.5 })).toBeNull();
    expect(index.size).toBe(0);
  });

  it('keeps changes it could not read, and reads them on the next call', async () => {
    const source = sourceOf(fixture().all);
    let isDown = false;
    const index = new GridIndex({
      loadAll: () => source.loadAll(),
      loadByIds: async (ids) => {
        if (isDown) throw new Error('connection lost');
        return source.loadByIds(ids);
      },
    });
    await index.refresh();
    source.units = source.units.map((u) => (u.id === 'g4' ? { ...u, name: 'renamed' } : u));
    isDown = true;
    index.markChanged(['g4']);
    await expect(index.resolvePoint({ lng: 1.5, lat: 0.5 })).rejects.toThrow('connection lost');
    isDown = false;
    expect((await index.resolvePoint({ lng: 1.5, lat: 0.5 }))?.gridName).toBe('renamed');
  });
});
