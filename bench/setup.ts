import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { App } from '../apps/server/src/app.ts';
import { insertUnit } from '../apps/server/src/modules/areas/repository.ts';
import { insertOrganisation } from '../apps/server/src/modules/org/repository.ts';
import { grantRole, insertUser } from '../apps/server/src/modules/people/repository.ts';
import { createSession, SESSION_COOKIE } from '../apps/server/src/modules/people/sessions.ts';

export const ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** A scratch PostgreSQL database for one benchmark run; drop it afterwards. */
export async function createScratchDatabase(
  prefix: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/** A street-sized area: one community of `cols × rows` grids near 新山村, teams, and signed-in residents. */
export async function buildBenchCommunity(
  app: App,
  options: { residents: number; cols?: number; rows?: number },
) {
  const db = app.db;
  const cols = options.cols ?? 4;
  const rows = options.rows ?? 4;
  const size = 0.005;
  const west = 115.35;
  const north = 23.0;
  const square = (lng: number, lat: number, w: number, h: number) => ({
    type: 'Polygon' as const,
    coordinates: [
      [
        [lng, lat],
        [lng + w, lat],
        [lng + w, lat - h],
        [lng, lat - h],
        [lng, lat],
      ],
    ],
  });
  const stamp = String(Date.now()).slice(-3);
  const street = await insertUnit(db, {
    parentId: null,
    kind: 'street',
    code: `441521${stamp}000`.slice(0, 12),
    name: '压测街道',
    geometry: square(west - 0.01, north + 0.01, cols * size + 0.02, rows * size + 0.02),
  });
  const communityCode = `${street.code.slice(0, 9)}201`;
  const community = await insertUnit(db, {
    parentId: street.id,
    kind: 'community',
    code: communityCode,
    name: '压测社区',
    geometry: square(west, north, cols * size, rows * size),
  });
  const points: { lng: number; lat: number }[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const n = r * cols + c + 1;
      await insertUnit(db, {
        parentId: community.id,
        kind: 'grid',
        code: `${communityCode}${String(n).padStart(3, '0')}`,
        name: `第${n}网格`,
        geometry: square(west + c * size, north - r * size, size, size),
      });
      for (let k = 0; k < 8; k++) {
        points.push({
          lng: Math.round((west + c * size + size * (0.1 + 0.1 * k)) * 1e6) / 1e6,
          lat: Math.round((north - r * size - size * (0.15 + 0.09 * k)) * 1e6) / 1e6,
        });
      }
    }
  }
  const sanitation = await insertOrganisation(db, {
    unitId: community.id,
    kind: 'sanitation_team',
    name: '保洁队',
  });
  await db
    .insertInto('routing_rules')
    .values({ id: crypto.randomUUID(), category: '*', unit_id: community.id, org_id: sanitation })
    .execute();
  const cookies: string[] = [];
  for (let i = 0; i < options.residents; i++) {
    const phone = `1709${String(Date.now() % 1000).padStart(3, '0')}${String(i).padStart(4, '0')}`;
    const id = await insertUser(db, app.fieldCipher, {
      kind: 'resident',
      displayName: `居民${i}`,
      phone,
      streetId: street.id,
      homeUnitId: community.id,
    });
    await grantRole(db, { userId: id, role: 'resident', unitId: community.id });
    const session = await createSession(
      db,
      { id, kind: 'resident' },
      { staffIdleMinutes: 30, residentSessionDays: 30 },
    );
    cookies.push(`${SESSION_COOKIE}=${session.token}`);
  }
  return { street, community, points, cookies };
}

export interface LoadResult {
  kind: string;
  requests: number;
  errors: number;
  statusCounts: Record<string, number>;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/** Runs bench/load.ts in its own process (the other core) and returns its measurements. */
export async function runLoad(plan: Record<string, unknown>): Promise<LoadResult> {
  const file = join(scratchDir('minqing-load'), 'plan.json');
  writeFileSync(file, JSON.stringify(plan));
  const script = fileURLToPath(new URL('./load.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(output.trim().split('\n').pop()!) as LoadResult;
}

export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}
