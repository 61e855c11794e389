import type { Db } from '../../db/database.ts';
import type { FieldCipher } from '../../crypto/index.ts';
import type { PolygonGeometry } from '../areas/geometry.ts';
import { insertUnit, type UnitRow } from '../areas/repository.ts';
import { insertOrganisation } from '../org/repository.ts';
import { grantRole, hashPassword, insertUser } from '../people/repository.ts';
import type { Role } from '../../policy/index.ts';
import {
  DEMO_STREETS,
  GIVEN_NAMES,
  NATURAL_VILLAGES,
  SURNAMES,
  URBAN_COMPOUNDS,
  type DemoCommunity,
} from './demo-places.ts';
import type { SeededRandom } from './random.ts';

export const DEMO_PASSWORD = 'Minqing@2026';

/** Size of one grid cell in degrees: roughly 600–700 m, a typical 网格 of 300–500 households. */
const CELL_LNG = 0.0065;
const CELL_LAT = 0.006;

export interface DemoGrid extends UnitRow {
  ring: [number, number][];
  households: string[];
  buildings: { id: string; lng: number; lat: number; name: string }[];
  workerId: string;
}

export interface DemoCommunityContext {
  unit: UnitRow;
  spec: DemoCommunity;
  grids: DemoGrid[];
  teams: Record<'sanitation' | 'property' | 'mediation' | 'volunteer' | 'committee', string>;
  adminId: string;
  handlerIds: Record<'sanitation' | 'property' | 'mediation' | 'volunteer' | 'committee', string>;
  residentIds: string[];
}

export interface DemoStreetContext {
  unit: UnitRow;
  adminId: string;
  communities: DemoCommunityContext[];
}

export interface DemoLogin {
  role: string;
  username: string;
  unit: string;
}

export interface DemoAreas {
  streets: DemoStreetContext[];
  logins: DemoLogin[];
  demoResidentPhone: string;
  counts: { units: number; users: number; households: number; residents: number };
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/**
 * A lattice of (cols+1) × (rows+1) points around the community centre, jittered inside and only along
 * the edge on the border, so the cells tile the community exactly: no overlaps, no gaps.
 */
function lattice(spec: DemoCommunity, random: SeededRandom): [number, number][][] {
  const west = spec.lng - (spec.cols * CELL_LNG) / 2;
  const north = spec.lat + (spec.rows * CELL_LAT) / 2;
  const points: [number, number][][] = [];
  for (let r = 0; r <= spec.rows; r++) {
    const row: [number, number][] = [];
    for (let c = 0; c <= spec.cols; c++) {
      const jitterLng = c > 0 && c < spec.cols ? (random.next() - 0.5) * CELL_LNG * 0.3 : 0;
      const jitterLat = r > 0 && r < spec.rows ? (random.next() - 0.5) * CELL_LAT * 0.3 : 0;
      row.push([round(west + c * CELL_LNG + jitterLng), round(north - r * CELL_LAT + jitterLat)]);
    }
    points.push(row);
  }
  return points;
}

function polygon(ring: [number, number][]): PolygonGeometry {
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
}

function personName(random: SeededRandom): string {
  return random.pick([...SURNAMES]) + random.pick(GIVEN_NAMES);
}

/**
 * Seeds the demo street's area tree, organisations and people. Staff share the demo password (hashed
 * once); residents sign in with a phone number in the fictitious 170 0000 range and a code from the log.
 */
export async function seedDemoAreas(db: Db, cipher: FieldCipher, random: SeededRandom): Promise<DemoAreas> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const logins: DemoLogin[] = [];
  let units = 0;
  let users = 0;
  let households = 0;
  let residents = 0;
  let phoneSerial = 1;

  const addUnit = async (unit: Parameters<typeof insertUnit>[1]) => {
    units++;
    return insertUnit(db, unit);
  };
  const addStaff = async (
    username: string,
    name: string,
    grants: { role: Role; unitId: string; orgId?: string }[],
    streetId: string | null,
  ) => {
    users++;
    const id = crypto.randomUUID();
    await db
      .insertInto('users')
      .values({
        id,
        kind: 'staff',
        username,
        display_name: name,
        password_hash: passwordHash,
        password_changed_at: new Date(),
        street_id: streetId,
      })
      .execute();
    for (const grant of grants) await grantRole(db, { userId: id, ...grant });
    return id;
  };
  const addResident = async (name: string, householdId: string, communityId: string, streetId: string) => {
    users++;
    const phone = `1700000${String(phoneSerial++).padStart(4, '0')}`;
    const id = await insertUser(db, cipher, {
      kind: 'resident',
      displayName: name,
      phone,
      householdId,
      homeUnitId: communityId,
      streetId,
    });
    await grantRole(db, { userId: id, role: 'resident', unitId: communityId });
    return { id, phone };
  };

  const streets: DemoStreetContext[] = [];
  let demoResidentPhone = '';
  for (const [streetIndex, streetSpec] of DEMO_STREETS.entries()) {
    const lngs = streetSpec.communities.flatMap((c) => [
      c.lng - (c.cols * CELL_LNG) / 2,
      c.lng + (c.cols * CELL_LNG) / 2,
    ]);
    const lats = streetSpec.communities.flatMap((c) => [
      c.lat - (c.rows * CELL_LAT) / 2,
      c.lat + (c.rows * CELL_LAT) / 2,
    ]);
    const margin = 0.004;
    const [w, e, s, n] = [
      Math.min(...lngs) - margin,
      Math.max(...lngs) + margin,
      Math.min(...lats) - margin,
      Math.max(...lats) + margin,
    ].map(round) as [number, number, number, number];
    const street = await addUnit({
      parentId: null,
      kind: 'street',
      code: streetSpec.code,
      name: streetSpec.name,
      geometry: polygon([
        [w, n],
        [e, n],
        [e, s],
        [w, s],
      ]),
      attrs: {
        province: streetSpec.province,
        city: streetSpec.city,
        county: streetSpec.county,
        level: streetSpec.kind,
      },
    });
    const streetAdminUsername = streetSpec.slug;
    const adminId = await addStaff(
      streetAdminUsername,
      personName(random),
      [{ role: 'street_admin', unitId: street.id }],
      street.id,
    );
    logins.push({
      role: 'street_admin 街道/乡镇管理员',
      username: streetAdminUsername,
      unit: streetSpec.name,
    });
    const workingCommittee = await insertOrganisation(db, {
      unitId: street.id,
      kind: 'party_working_committee',
      name: `${streetSpec.name}党（工）委`,
    });

    const communities: DemoCommunityContext[] = [];
    for (const [communityIndex, spec] of streetSpec.communities.entries()) {
      const points = lattice(spec, random);
      const border: [number, number][] = [
        ...points[0]!,
        ...points.slice(1, -1).map((row) => row[row.length - 1]!),
        ...[...points[points.length - 1]!].reverse(),
        ...points
          .slice(1, -1)
          .map((row) => row[0]!)
          .reverse(),
      ];
      const community = await addUnit({
        parentId: street.id,
        kind: 'community',
        code: spec.code,
        name: spec.name,
        geometry: polygon(border),
        attrs: { kind: spec.kind, note: spec.note ?? null },
      });
      const isFirstDemo = streetIndex === 0 && communityIndex === 0;
      const slug = spec.slug;
      const partyCommittee = await insertOrganisation(db, {
        unitId: community.id,
        parentId: workingCommittee,
        kind: 'party_committee',
        name: `${spec.name}${spec.kind === 'village' ? '党支部' : '党委'}`,
      });
      const team = async (
        kind: 'sanitation_team' | 'property_company' | 'mediation_team' | 'volunteer_team' | 'committee',
        name: string,
      ) => insertOrganisation(db, { unitId: community.id, kind, name });
      const teams = {
        sanitation: await team('sanitation_team', `${spec.name}保洁队`),
        property: await team(
          'property_company',
          spec.kind === 'village' ? `${spec.name}水电维修队` : `${spec.name}物业服务中心`,
        ),
        mediation: await team('mediation_team', `${spec.name}调解服务队`),
        volunteer: await team(
          'volunteer_team',
          spec.name === '深田社区' ? '“百事帮”互助队' : `${spec.name}志愿服务队`,
        ),
        committee: await team(
          'committee',
          spec.kind === 'village' ? `${spec.name}村民委员会` : `${spec.name}居民委员会`,
        ),
      };
      for (const [category, orgId] of [
        ['01', teams.sanitation],
        ['02', teams.property],
        ['03', teams.property],
        ['04', teams.mediation],
        ['05', teams.volunteer],
        ['06', teams.committee],
      ] as const) {
        await db
          .insertInto('routing_rules')
          .values({
            id: crypto.randomUUID(),
            category,
            unit_id: community.id,
            org_id: orgId,
            note: '演示数据',
          })
          .execute();
      }
      const communityAdmin = await addStaff(
        `${slug}`,
        personName(random),
        [{ role: 'community_admin', unitId: community.id }],
        street.id,
      );
      logins.push({
        role: `community_admin ${spec.kind === 'village' ? '村两委' : '社区两委'}`,
        username: slug,
        unit: spec.name,
      });
      const handlerIds = {
        sanitation: await addStaff(
          `${slug}_baojie`,
          personName(random),
          [{ role: 'handler', unitId: community.id, orgId: teams.sanitation }],
          street.id,
        ),
        property: await addStaff(
          `${slug}_weixiu`,
          personName(random),
          [{ role: 'handler', unitId: community.id, orgId: teams.property }],
          street.id,
        ),
        mediation: await addStaff(
          `${slug}_tiaojie`,
          personName(random),
          [{ role: 'handler', unitId: community.id, orgId: teams.mediation }],
          street.id,
        ),
        volunteer: await addStaff(
          `${slug}_zhiyuan`,
          personName(random),
          [{ role: 'handler', unitId: community.id, orgId: teams.volunteer }],
          street.id,
        ),
        committee: await addStaff(
          `${slug}_weiyuan`,
          personName(random),
          [{ role: 'handler', unitId: community.id, orgId: teams.committee }],
          street.id,
        ),
      };
      if (isFirstDemo) {
        logins.push({
          role: 'handler 处置人员 (保洁队)',
          username: `${slug}_baojie`,
          unit: `${spec.name}保洁队`,
        });
        logins.push({
          role: 'handler 处置人员 (调解服务队)',
          username: `${slug}_tiaojie`,
          unit: `${spec.name}调解服务队`,
        });
        await addStaff(
          `${slug}_baozhang`,
          personName(random),
          [{ role: 'bookkeeper', unitId: community.id }],
          street.id,
        );
        logins.push({ role: 'bookkeeper 报账员', username: `${slug}_baozhang`, unit: spec.name });
        await addStaff(
          `${slug}_licai`,
          personName(random),
          [{ role: 'finance_reviewer', unitId: community.id }],
          street.id,
        );
        logins.push({ role: 'finance_reviewer 民主理财小组', username: `${slug}_licai`, unit: spec.name });
      }

      const grids: DemoGrid[] = [];
      const residentIds: string[] = [];
      for (let r = 0; r < spec.rows; r++) {
        for (let c = 0; c < spec.cols; c++) {
          const number = r * spec.cols + c + 1;
          const ring: [number, number][] = [
            points[r]![c]!,
            points[r]![c + 1]!,
            points[r + 1]![c + 1]!,
            points[r + 1]![c]!,
          ];
          const grid = await addUnit({
            parentId: community.id,
            kind: 'grid',
            // GB/T 30428.1: community code + 3-digit grid number, west to east, north to south
            code: `${spec.code}${String(number).padStart(3, '0')}`,
            name: `${spec.name}第${number}网格`,
            geometry: polygon(ring),
          });
          const workerUsername = `${slug}_wg${String(number).padStart(2, '0')}`;
          const workerId = await addStaff(
            workerUsername,
            personName(random),
            [{ role: 'grid_worker', unitId: grid.id }],
            street.id,
          );
          if (isFirstDemo && number === 1)
            logins.push({ role: 'grid_worker 网格员', username: workerUsername, unit: grid.name });
          const centre = ring.reduce((acc, [x, y]) => [acc[0] + x / 4, acc[1] + y / 4], [0, 0]);
          const demoGrid: DemoGrid = { ...grid, ring, households: [], buildings: [], workerId };
          const compoundNames = spec.kind === 'village' ? NATURAL_VILLAGES : URBAN_COMPOUNDS;
          const compoundCount = random.int(1, 2);
          for (let k = 0; k < compoundCount; k++) {
            const compoundName = compoundNames[(number * 2 + k + communityIndex * 5) % compoundNames.length]!;
            const clng = round(
              centre[0] + (k === 0 ? -1 : 1) * CELL_LNG * 0.2 + (random.next() - 0.5) * CELL_LNG * 0.1,
            );
            const clat = round(centre[1] + (random.next() - 0.5) * CELL_LAT * 0.3);
            const compound = await addUnit({
              parentId: grid.id,
              kind: 'compound',
              code: `${grid.code}${String(k + 1).padStart(2, '0')}`,
              name: compoundName,
              geometry: { type: 'Point', coordinates: [clng, clat] },
            });
            const branch = await insertOrganisation(db, {
              unitId: compound.id,
              parentId: partyCommittee,
              kind: 'party_branch',
              name: `${compoundName}党支部`,
            });
            const buildingCount = random.int(2, 4);
            for (let b = 0; b < buildingCount; b++) {
              const blng = round(clng + (b - buildingCount / 2) * 0.0006);
              const blat = round(clat + (random.next() - 0.5) * 0.0008);
              const buildingName = spec.kind === 'village' ? `${compoundName}${b + 1}巷` : `${b + 1}栋`;
              const building = await addUnit({
                parentId: compound.id,
                kind: 'building',
                code: `${compound.code}${String(b + 1).padStart(3, '0')}`,
                name: buildingName,
                geometry: { type: 'Point', coordinates: [blng, blat] },
                attrs: { floors: spec.kind === 'village' ? random.int(2, 4) : random.int(6, 18) },
              });
              demoGrid.buildings.push({
                id: building.id,
                lng: blng,
                lat: blat,
                name: `${compoundName}${buildingName}`,
              });
              const buildingGroup = await insertOrganisation(db, {
                unitId: building.id,
                parentId: branch,
                kind: 'building_group',
                name: `${compoundName}${buildingName}党小组`,
              });
              const householdCount = random.int(3, 6);
              for (let h = 0; h < householdCount; h++) {
                const members = random.int(1, 5);
                const room = spec.kind === 'village' ? `${h + 1}号` : `${random.int(1, 6)}0${h + 1}室`;
                const household = await addUnit({
                  parentId: building.id,
                  kind: 'household',
                  code: `${building.code}${String(h + 1).padStart(3, '0')}`,
                  name: room,
                  attrs: {
                    members,
                    seniors: random.chance(0.35) ? random.int(1, 2) : 0,
                    livesAlone: members === 1 && random.chance(0.5),
                    partyMembers: random.chance(0.15) ? 1 : 0,
                  },
                });
                households++;
                residents += members;
                demoGrid.households.push(household.id);
                if (h === 0 && random.chance(0.5)) {
                  await insertOrganisation(db, {
                    unitId: household.id,
                    parentId: buildingGroup,
                    kind: 'party_member_household',
                    name: `${compoundName}${buildingName}${room}党员中心户`,
                    attrs: { servesHouseholdCount: random.int(5, 10) },
                  });
                }
                if (random.chance(0.3)) {
                  const resident = await addResident(
                    personName(random),
                    household.id,
                    community.id,
                    street.id,
                  );
                  residentIds.push(resident.id);
                  if (!demoResidentPhone && isFirstDemo) demoResidentPhone = resident.phone;
                }
              }
            }
          }
          grids.push(demoGrid);
        }
      }
      communities.push({
        unit: community,
        spec,
        grids,
        teams,
        adminId: communityAdmin,
        handlerIds,
        residentIds,
      });
    }
    streets.push({ unit: street, adminId, communities });
  }
  await addStaff(
    'admin',
    '系统管理员',
    streets.map((s) => ({ role: 'system_admin' as const, unitId: s.unit.id })),
    null,
  );
  logins.unshift({ role: 'system_admin 系统管理员', username: 'admin', unit: '全部' });
  await addStaff(
    'auditor',
    personName(random),
    [{ role: 'auditor', unitId: streets[0]!.unit.id }],
    streets[0]!.unit.id,
  );
  logins.push({ role: 'auditor 审计员', username: 'auditor', unit: streets[0]!.unit.name });
  return { streets, logins, demoResidentPhone, counts: { units, users, households, residents } };
}
