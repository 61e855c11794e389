import type { App } from '../../app.ts';
import { runSchedulerOnce } from '../cases/run-scheduler.ts';
import { seedDemoBooks } from '../finance/seed-demo-books.ts';
import { seedDemoNotices } from '../notices/seed-demo-notices.ts';
import { seedDemoPatrols } from '../patrols/seed-demo-patrols.ts';
import { SeededRandom } from './random.ts';
import { seedDemoCases } from './seed-cases.ts';
import { DEMO_PASSWORD, seedDemoAreas, type DemoLogin } from './seed-areas.ts';

export interface DemoInfo {
  logins: DemoLogin[];
  password: string;
  residentPhone: string;
  counts: Record<string, number>;
  seededAt: string;
}

export type SeedProgress = (step: string, fraction: number) => void;

const DEMO_SETTING = 'demo';

/** Is there anything in the area tree yet? A demo is only seeded into an empty database. */
export async function isDatabaseEmpty(app: App): Promise<boolean> {
  const row = await app.db.selectFrom('units').select('id').limit(1).executeTakeFirst();
  return !row;
}

export async function readDemoInfo(app: App): Promise<DemoInfo | null> {
  const row = await app.db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', DEMO_SETTING)
    .executeTakeFirst();
  return (row?.value as DemoInfo | undefined) ?? null;
}

/**
 * Seeds the demo community of the seed article: areas, organisations and people, then cases in every
 * state over the last 90 days through the same use-cases the API runs, so the journal verifies.
 */
export async function seedDemo(app: App, progress: SeedProgress = () => {}): Promise<DemoInfo> {
  if (!(await isDatabaseEmpty(app))) {
    throw new Error('the database already holds data; the demo is only seeded into an empty database');
  }
  const random = new SeededRandom(20221019);
  progress('areas', 0.05);
  const areas = await seedDemoAreas(app.db, app.fieldCipher, random);
  progress('cases', 0.4);
  const cases = await seedDemoCases(app, areas, random, {
    perCommunity: 45,
    progress: (fraction) => progress('cases', 0.4 + 0.5 * fraction),
  });
  progress('patrols', 0.9);
  const patrols = await seedDemoPatrols(
    app,
    areas.streets.flatMap((street) => street.communities),
    random,
    { days: 7 },
  );
  // Two years of the first village's collective books, each month disclosed and sealed (issue 6).
  progress('books', 0.92);
  const books = await seedFirstVillageBooks(app, areas, random);
  // 社区公告: a notice from each street, and a few from 新山村 and 深田社区.
  const notices = await seedDemoNotices(app, areas.streets);
  // Settle what the past left behind: reminders and escalations of the cases that are overdue now.
  progress('deadlines', 0.96);
  await runSchedulerOnce(app);
  const info: DemoInfo = {
    logins: areas.logins,
    password: DEMO_PASSWORD,
    residentPhone: areas.demoResidentPhone,
    counts: { ...areas.counts, cases, patrols, vouchers: books, notices },
    seededAt: new Date().toISOString(),
  };
  await app.db
    .insertInto('settings')
    .values({ key: DEMO_SETTING, value: JSON.stringify(info) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(info) }))
    .execute();
  progress('done', 1);
  return info;
}

/** The books of the demo village that has a bookkeeper and a finance group (新山村). */
async function seedFirstVillageBooks(
  app: App,
  areas: Awaited<ReturnType<typeof seedDemoAreas>>,
  random: SeededRandom,
): Promise<number> {
  const communities = areas.streets.flatMap((street) => street.communities);
  const grants = await app.db
    .selectFrom('role_assignments')
    .select(['user_id', 'role', 'unit_id'])
    .where('role', 'in', ['bookkeeper', 'finance_reviewer'])
    .execute();
  for (const community of communities) {
    const bookkeeper = grants.find((g) => g.role === 'bookkeeper' && g.unit_id === community.unit.id);
    const reviewer = grants.find((g) => g.role === 'finance_reviewer' && g.unit_id === community.unit.id);
    if (!bookkeeper || !reviewer) continue;
    return seedDemoBooks(
      app,
      {
        unitId: community.unit.id,
        name: community.unit.name,
        bookkeeperId: bookkeeper.user_id,
        reviewerId: reviewer.user_id,
        approverId: community.adminId,
      },
      random,
    );
  }
  return 0;
}
