import { sql } from 'kysely';
import type { App } from '../../app.ts';
import { performCaseAction } from '../cases/case-actions.ts';
import { createCase } from '../cases/create-case.ts';
import { loadActor } from '../people/sessions.ts';

/** How often the demo street stirs: a report or a step of the workflow (docs/decisions/0665). */
export const DEMO_ACTIVITY_MS = 20_000;

/** What grid workers find on patrol in the article's communities. */
const FINDINGS: [string, string][] = [
  ['0101', '村口垃圾乱堆，已经堆了两天，需要安排清运'],
  ['0102', '路边有人倾倒建筑垃圾'],
  ['0104', '小区后巷污水外溢，气味很大'],
  ['0201', '主路旁两盏路灯晚上不亮'],
  ['0203', '楼道里堆放杂物，堵住了消防通道'],
  ['0205', '人行道地砖松动，老人容易绊倒'],
  ['0302', '车棚里有电动车飞线充电'],
  ['0401', '两户邻居因停车位发生争执，需要上门排查化解'],
  ['0501', '独居老人几天没出门，需要上门看看'],
];

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/**
 * Keeps the demo street alive on the 民情地图: every 20 s either a grid worker reports what they found
 * on patrol, or an administrator accepts a report that has waited over a minute. Runs only in a
 * database seeded with the demo (never in a real deployment's), through the same use-cases as the API,
 * so every step is journaled and reaches the screens as live events.
 */
export async function stirDemoStreet(app: App): Promise<void> {
  if (app.demo.status.state !== 'ready' || !app.demo.status.info) return;
  // An administrator first takes on a report that has waited (the queue does not grow without end).
  const waiting = await sql<{ id: string; admin_id: string | null }>`
    SELECT c.id,
           (SELECT ra.user_id FROM role_assignments ra
             WHERE ra.unit_id = c.community_id AND ra.role = 'community_admin' AND ra.revoked_at IS NULL
             LIMIT 1) AS admin_id
      FROM cases c
     WHERE c.state = 'reported' AND c.reported_at < now() - interval '1 minute'
     ORDER BY c.reported_at DESC
     LIMIT 1`.execute(app.db);
  const waitingCase = waiting.rows[0];
  if (waitingCase?.admin_id && Math.random() < 0.4) {
    const admin = await loadActor(app.db, waitingCase.admin_id);
    if (admin) {
      await performCaseAction(app, admin, waitingCase.id, 'accept', {});
      return;
    }
  }
  // A grid worker reports from a random grid of the demo; mostly in the street /screen opens on (the
  // first by code), so the screen someone opens first is the one that moves.
  const firstStreetOnly = Math.random() < 0.7;
  const grids = await sql<{
    user_id: string;
    min_lng: number;
    min_lat: number;
    max_lng: number;
    max_lat: number;
  }>`
    SELECT ra.user_id, u.min_lng, u.min_lat, u.max_lng, u.max_lat
      FROM role_assignments ra
      JOIN units u ON u.id = ra.unit_id
     WHERE ra.role = 'grid_worker' AND ra.revoked_at IS NULL AND u.kind = 'grid' AND u.is_active
       AND u.min_lng IS NOT NULL
       AND (${!firstStreetOnly} OR u.street_id = (SELECT id FROM units WHERE kind = 'street' AND is_active
                                                  ORDER BY code LIMIT 1))`.execute(app.db);
  if (grids.rows.length === 0) return;
  const grid = pick(grids.rows);
  const worker = await loadActor(app.db, grid.user_id);
  if (!worker) return;
  const [category, description] = pick(FINDINGS);
  // Inside the middle of the grid's box, where the grid (not a neighbour) is.
  const at = (low: number, high: number) =>
    Math.round((low + (high - low) * (0.3 + 0.4 * Math.random())) * 1e6) / 1e6;
  await createCase(app, worker, {
    categoryCode: category,
    description,
    location: { lng: at(grid.min_lng, grid.max_lng), lat: at(grid.min_lat, grid.max_lat) },
  });
}
