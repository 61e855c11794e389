import type { App } from '../../app.ts';
import type { Actor } from '../../policy/index.ts';
import { localDayString } from '../calendar/working-time.ts';
import { loadActor } from '../people/sessions.ts';
import { checkIn } from './check-in.ts';
import { createPatrolPlan } from './create-patrol-plan.ts';
import { endPatrol } from './end-patrol.ts';
import { recordPoints } from './record-points.ts';
import { addDays, dayStartMs } from './schedule.ts';
import { startPatrol } from './start-patrol.ts';

/** What the demo seeder knows of a grid: its outline, its buildings, its grid worker. */
export interface DemoPatrolGrid {
  id: string;
  ring: [number, number][];
  buildings: { id: string; lng: number; lat: number; name: string }[];
  workerId: string;
}

export interface DemoPatrolCommunity {
  adminId: string;
  grids: DemoPatrolGrid[];
}

interface Random {
  next(): number;
  int(min: number, maxInclusive: number): number;
  chance(probability: number): boolean;
}

const SHIFTS = [
  { start: '08:00', end: '12:00' },
  { start: '14:30', end: '18:00' },
];

/** A walk around the inside of the grid's outline: a fix every 20 s, jittered like a phone's GPS. */
function walkAround(grid: DemoPatrolGrid, startMs: number, minutes: number, random: Random) {
  const ring = grid.ring;
  const centre = ring.reduce((acc, [x, y]) => [acc[0] + x / ring.length, acc[1] + y / ring.length], [0, 0]);
  // a loop at 60% of the way from the centre to the edge
  const loop = [...ring, ring[0]!].map(([x, y]) => [
    centre[0] + (x - centre[0]) * 0.6,
    centre[1] + (y - centre[1]) * 0.6,
  ]);
  const count = Math.floor((minutes * 60) / 20);
  const points = [];
  for (let i = 0; i < count; i++) {
    const t = (i / count) * (loop.length - 1);
    const k = Math.min(Math.floor(t), loop.length - 2);
    const f = t - k;
    const [x1, y1] = loop[k]!;
    const [x2, y2] = loop[k + 1]!;
    points.push({
      at: new Date(startMs + i * 20_000).toISOString(),
      lng: Math.round((x1! + (x2! - x1!) * f + (random.next() - 0.5) * 0.00008) * 1e7) / 1e7,
      lat: Math.round((y1! + (y2! - y1!) * f + (random.next() - 0.5) * 0.00008) * 1e7) / 1e7,
      accuracy: random.int(4, 20),
    });
  }
  return points;
}

/**
 * Patrol plans (twice a day) for every grid from a week ago, the past week's rounds through the same
 * use-cases as the phone — most windows walked, some missed — and a few rounds under way now, so
 * the live map, 巡查率 and the missed-patrol list have something true to show.
 */
export async function seedDemoPatrols(
  app: App,
  communities: DemoPatrolCommunity[],
  random: Random,
  options: { days: number; now?: Date },
): Promise<number> {
  const now = options.now ?? new Date();
  const today = localDayString(now.getTime());
  const firstDay = addDays(today, -options.days);
  const actors = new Map<string, Actor>();
  const actorOf = async (userId: string) => {
    let actor = actors.get(userId);
    if (!actor) {
      actor = (await loadActor(app.db, userId))!;
      actors.set(userId, actor);
    }
    return actor;
  };
  let patrols = 0;
  for (const [communityIndex, community] of communities.entries()) {
    const admin = await actorOf(community.adminId);
    for (const [gridIndex, grid] of community.grids.entries()) {
      await createPatrolPlan(
        app,
        admin,
        { gridId: grid.id, shifts: SHIFTS, days: 'daily', minMinutes: 20, note: '每日上午、下午各巡查一次' },
        new Date(dayStartMs(firstDay) + 7 * 3600_000),
      );
      const worker = await actorOf(grid.workerId);
      for (let day = firstDay; day <= today; day = addDays(day, 1)) {
        for (const shift of SHIFTS) {
          const windowStart =
            dayStartMs(day) + (Number(shift.start.slice(0, 2)) * 60 + Number(shift.start.slice(3))) * 60_000;
          const startMs = windowStart + random.int(5, 90) * 60_000;
          const minutes = random.int(25, 55);
          const endMs = startMs + minutes * 60_000;
          if (endMs > now.getTime()) continue;
          // Some rounds are missed: more in the villages' outlying grids.
          if (random.chance(communityIndex % 2 === 0 ? 0.12 : 0.2)) continue;
          const id = crypto.randomUUID();
          const started = new Date(startMs);
          await startPatrol(app, worker, { id, gridId: grid.id }, started);
          const fixes = walkAround(grid, startMs + 10_000, minutes - 1, random);
          const end = new Date(endMs);
          await recordPoints(app, worker, id, { points: fixes }, `${id}-1`, end);
          const building = grid.buildings[random.int(0, Math.max(0, grid.buildings.length - 1))];
          if (building) {
            await checkIn(
              app,
              worker,
              id,
              {
                id: crypto.randomUUID(),
                at: new Date(startMs + 10 * 60_000).toISOString(),
                unitId: building.id,
                label: building.name,
              },
              end,
            );
          }
          await endPatrol(app, worker, id, {}, end);
          patrols++;
        }
      }
      // The first grid of every other community is being walked right now.
      if (gridIndex === 0 && communityIndex % 2 === 0) {
        const id = crypto.randomUUID();
        const startMs = now.getTime() - 18 * 60_000;
        await startPatrol(app, worker, { id, gridId: grid.id }, new Date(startMs));
        await recordPoints(
          app,
          worker,
          id,
          { points: walkAround(grid, startMs + 10_000, 17, random) },
          `${id}-1`,
          now,
        );
        patrols++;
      }
    }
  }
  return patrols;
}
