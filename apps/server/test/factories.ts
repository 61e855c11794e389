import { randomInt } from 'node:crypto';
import type { App } from '../src/app.ts';
import { insertUnit } from '../src/modules/areas/repository.ts';
import type { PolygonGeometry } from '../src/modules/areas/geometry.ts';
import { insertOrganisation, type OrgKind } from '../src/modules/org/repository.ts';
import { grantRole, insertUser } from '../src/modules/people/repository.ts';
import { createSession, SESSION_COOKIE } from '../src/modules/people/sessions.ts';
import type { Role } from '../src/policy/index.ts';
import { Client } from './harness.ts';

export const TEST_PASSWORD = 'Minqing#2026';

function digits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}

/** A square polygon of `size` degrees with its south-west corner at (lng, lat). */
export function square(lng: number, lat: number, size: number): PolygonGeometry {
  const r = (n: number) => Math.round(n * 1e7) / 1e7;
  return {
    type: 'Polygon',
    coordinates: [
      [
        [r(lng), r(lat)],
        [r(lng + size), r(lat)],
        [r(lng + size), r(lat + size)],
        [r(lng), r(lat + size)],
        [r(lng), r(lat)],
      ],
    ],
  };
}

export interface TestUser {
  id: string;
  phone: string;
  client: Client;
}

// Mobile numbers in the 170 range (virtual operators; fine for tests) count up from a random start,
// like street codes: random numbers met each other (a birthday collision) in a long run on one database.
let phoneSerial = randomInt(0, 90_000_000);
export function testPhone(): string {
  phoneSerial = (phoneSerial + 1) % 100_000_000;
  return `170${String(phoneSerial).padStart(8, '0')}`;
}

export async function createTestUser(
  app: App,
  options: {
    kind?: 'staff' | 'resident';
    name: string;
    roles?: { role: Role; unitId: string; orgId?: string }[];
    householdId?: string;
    streetId?: string | null;
  },
): Promise<TestUser> {
  const phone = testPhone();
  const kind = options.kind ?? 'staff';
  const id = await insertUser(app.db, app.fieldCipher, {
    kind,
    displayName: options.name,
    username: kind === 'staff' ? `u${digits(10)}` : null,
    phone,
    password: kind === 'staff' ? TEST_PASSWORD : null,
    householdId: options.householdId ?? null,
    streetId: options.streetId ?? null,
  });
  for (const grant of options.roles ?? []) await grantRole(app.db, { userId: id, ...grant });
  const session = await createSession(
    app.db,
    { id, kind },
    { staffIdleMinutes: 30, residentSessionDays: 30 },
  );
  return { id, phone, client: new Client(app, `${SESSION_COOKIE}=${session.token}`) };
}

// Street codes count up from a random start, so the communities one process builds never share a
// code (random codes did, now and then, in a long run on one database).
let streetSerial = randomInt(0, 900_000_000);
function nextStreetCode(): string {
  streetSerial = (streetSerial + 1) % 1_000_000_000;
  return `${String(streetSerial).padStart(9, '0')}000`;
}

/**
 * A street with one community of four 0.01° grids (2 × 2) somewhere unique on the map, its teams,
 * routing rules and one person in every role. Every test builds its own; nothing is shared.
 */
export async function buildCommunity(app: App, options: { gridCount?: number } = {}) {
  const db = app.db;
  const lng = 100 + randomInt(0, 2_500_000) / 100_000;
  const lat = 20 + randomInt(0, 2_000_000) / 100_000;
  const streetCode = nextStreetCode();
  const street = await insertUnit(db, {
    parentId: null,
    kind: 'street',
    code: streetCode,
    name: `测试街道${digits(3)}`,
    geometry: square(lng - 0.01, lat - 0.01, 0.04),
  });
  // 001–999: a suffix of 000 would give the community its street's own code.
  const communityCode = `${streetCode.slice(0, 9)}${String(randomInt(1, 1000)).padStart(3, '0')}`;
  const community = await insertUnit(db, {
    parentId: street.id,
    kind: 'community',
    code: communityCode,
    name: '测试社区',
    geometry: square(lng, lat, 0.02),
  });
  const gridCount = options.gridCount ?? 4;
  const grids = [];
  for (let i = 0; i < gridCount; i++) {
    const col = i % 2;
    const row = Math.floor(i / 2);
    grids.push(
      await insertUnit(db, {
        parentId: community.id,
        kind: 'grid',
        code: `${communityCode}${String(i + 1).padStart(3, '0')}`,
        name: `第${i + 1}网格`,
        // numbered west to east, north to south (GB/T 30428.1)
        geometry: square(lng + col * 0.01, lat + 0.01 - row * 0.01, 0.01),
      }),
    );
  }
  const grid = grids[0]!;
  const compound = await insertUnit(db, {
    parentId: grid.id,
    kind: 'compound',
    code: `${grid.code}-C1`,
    name: '幸福小区',
  });
  const building = await insertUnit(db, {
    parentId: compound.id,
    kind: 'building',
    code: `${grid.code}-C1-B1`,
    name: '1栋',
  });
  const household = await insertUnit(db, {
    parentId: building.id,
    kind: 'household',
    code: `${grid.code}-C1-B1-101`,
    name: '101室',
  });

  const org = async (kind: OrgKind, name: string) =>
    insertOrganisation(db, { unitId: community.id, kind, name });
  const teams = {
    sanitation: await org('sanitation_team', '环卫保洁队'),
    property: await org('property_company', '幸福物业'),
    mediation: await org('mediation_team', '调解服务队'),
    volunteer: await org('volunteer_team', '百事帮志愿队'),
    committee: await org('committee', '社区居委会'),
  };
  for (const [category, orgId] of [
    ['01', teams.sanitation],
    ['02', teams.property],
    ['03', teams.property],
    ['04', teams.mediation],
    ['05', teams.volunteer],
    ['*', teams.committee],
  ] as const) {
    await db
      .insertInto('routing_rules')
      .values({ id: crypto.randomUUID(), category, unit_id: community.id, org_id: orgId })
      .execute();
  }

  const people = {
    streetAdmin: await createTestUser(app, {
      name: '街道管理员',
      roles: [{ role: 'street_admin', unitId: street.id }],
    }),
    communityAdmin: await createTestUser(app, {
      name: '社区管理员',
      roles: [{ role: 'community_admin', unitId: community.id }],
    }),
    gridWorker: await createTestUser(app, {
      name: '网格员',
      roles: [{ role: 'grid_worker', unitId: grid.id }],
    }),
    otherGridWorker: await createTestUser(app, {
      name: '另一网格员',
      roles: [{ role: 'grid_worker', unitId: grids[1]!.id }],
    }),
    handler: await createTestUser(app, {
      name: '保洁员',
      roles: [{ role: 'handler', unitId: community.id, orgId: teams.sanitation }],
    }),
    mediator: await createTestUser(app, {
      name: '调解员',
      roles: [{ role: 'handler', unitId: community.id, orgId: teams.mediation }],
    }),
    resident: await createTestUser(app, {
      kind: 'resident',
      name: '张三',
      householdId: household.id,
      streetId: street.id,
      roles: [{ role: 'resident', unitId: community.id }],
    }),
    otherResident: await createTestUser(app, {
      kind: 'resident',
      name: '李四',
      streetId: street.id,
      roles: [{ role: 'resident', unitId: community.id }],
    }),
    auditor: await createTestUser(app, { name: '审计员', roles: [{ role: 'auditor', unitId: street.id }] }),
  };
  /** A point inside grid i (its centre). */
  const pointIn = (i = 0) => {
    const col = i % 2;
    const row = Math.floor(i / 2);
    return {
      lng: Math.round((lng + col * 0.01 + 0.005) * 1e6) / 1e6,
      lat: Math.round((lat + 0.01 - row * 0.01 + 0.005) * 1e6) / 1e6,
    };
  };
  return {
    street,
    community,
    grids,
    grid,
    compound,
    building,
    household,
    teams,
    people,
    pointIn,
    /** A point in the street but outside every grid. */
    pointOutside: () => ({
      lng: Math.round((lng - 0.005) * 1e6) / 1e6,
      lat: Math.round((lat - 0.005) * 1e6) / 1e6,
    }),
    public: new Client(app),
  };
}

export type TestCommunity = Awaited<ReturnType<typeof buildCommunity>>;
