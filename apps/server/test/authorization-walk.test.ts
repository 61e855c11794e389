import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { performCaseAction } from '../src/modules/cases/case-actions.ts';
import { createCase } from '../src/modules/cases/create-case.ts';
import { sealOnce } from '../src/modules/journal/sealer.ts';
import { insertUnit } from '../src/modules/areas/repository.ts';
import { insertOrganisation } from '../src/modules/org/repository.ts';
import { loadActor } from '../src/modules/people/sessions.ts';
import type { Actor } from '../src/policy/index.ts';
import { buildCommunity, createTestUser, square, TEST_PASSWORD, type TestCommunity } from './factories.ts';
import { buildTestApp, Client } from './harness.ts';
import { multipart, uploadPhoto } from './multipart.ts';
import { lastSmsCode } from '../src/modules/people/people-test-helpers.ts';
import { StreamingClient } from '../src/modules/live/live-test-helpers.ts';
import {
  financeWalkFixtures,
  rentVoucher as financeRentVoucher,
} from '../src/modules/finance/finance-test-helpers.ts';
import { resourceWithContract } from '../src/modules/finance/registers/contracts-test-helpers.ts';
import { fundAndAsset } from '../src/modules/finance/registers/registers-test-helpers.ts';
import { createPatrolPlan } from '../src/modules/patrols/create-patrol-plan.ts';
import { startPatrol } from '../src/modules/patrols/start-patrol.ts';
import { setNotificationTemplate } from '../src/modules/notification-templates/set-notification-template.ts';
import { createNotice } from '../src/modules/notices/create-notice.ts';
import { publishNotice } from '../src/modules/notices/transition-notice.ts';

/**
 * Walks every route of the OpenAPI document with every kind of caller — the public, a resident, a grid
 * worker, a handler, the community and street admins, an auditor, all of community A, and an admin and a
 * resident of another street — and checks the answer: the callers a route is meant for are let through
 * (no 401/403, and never a 5xx), everyone else is refused (401 for the public, 403 or 404 for the signed-in).
 * Each call gets fresh records where it changes something, so the calls cannot disturb each other.
 *
 * A route added without a line here fails the test: every route must say who it is for.
 */

type Who =
  | 'anon'
  | 'resident'
  | 'gridWorker'
  | 'handler'
  | 'communityAdmin'
  | 'streetAdmin'
  | 'auditor'
  | 'outsiderAdmin'
  | 'outsiderResident';

const EVERYONE: Who[] = [
  'anon',
  'resident',
  'gridWorker',
  'handler',
  'communityAdmin',
  'streetAdmin',
  'auditor',
  'outsiderAdmin',
  'outsiderResident',
];
const SIGNED_IN: Who[] = EVERYONE.filter((who) => who !== 'anon');
const ADMINS_A: Who[] = ['communityAdmin', 'streetAdmin'];

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** A different client than the actor's standing one (a fresh account for calls that end sessions). */
  client?: Client;
  /** Another client address, for routes rate-limited per address. */
  remoteAddress?: string;
}

interface Spec {
  /** Who the route is for. Everyone else must be refused. */
  allowed: Who[];
  /** Builds the call for one caller; runs once per call, so it can make fresh records. */
  call?: (who: Who) => Promise<Call> | Call;
  /**
   * The record's existence is private: the public is told "not found" (404) rather than "sign in"
   * (401), as residents are, so that ids cannot be probed.
   */
  privateExistence?: boolean;
  /** A 2xx that is still a refusal (a report whose every item was refused). */
  refusedIn?: (body: any) => boolean;
}

interface World {
  app: App;
  a: TestCommunity;
  b: TestCommunity;
  clients: Record<Who, Client>;
  actors: Record<Exclude<Who, 'anon'>, Actor>;
}

let world: World;

let financeFixtures: ReturnType<typeof financeWalkFixtures> | undefined;
/** The finance records the walk's calls use (made on first use, in community A). */
const fin = () => (financeFixtures ??= financeWalkFixtures(world.app, world.a));

/** Sign-in routes are rate-limited per client address: each call comes from its own. */
function randomAddress(): string {
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
}

function uid(): string {
  return crypto.randomUUID().replaceAll('-', '').slice(0, 10);
}

/** A case of community A reported by A's resident and walked to `state` through the use-cases. */
async function caseIn(
  state: 'reported' | 'accepted' | 'dispatched' | 'in_progress' | 'handled' | 'follow_up',
  options: { source?: 'resident' | 'patrol'; outside?: boolean; photoIds?: string[] } = {},
): Promise<string> {
  const { app, a, actors } = world;
  const reporter = options.source === 'patrol' ? actors.gridWorker : actors.resident;
  const { case: created } = await createCase(app, reporter, {
    categoryCode: '0101',
    description: '授权遍历测试：村口垃圾',
    location: options.outside ? a.pointOutside() : a.pointIn(0),
    photoIds: options.photoIds,
  });
  const steps: [string, Actor, object][] = [
    ['accept', actors.communityAdmin, {}],
    ['dispatch', actors.communityAdmin, { orgId: a.teams.sanitation }],
    ['start', actors.handler, {}],
    ['submit', actors.handler, { result: '已清运' }],
    ['verify', actors.gridWorker, { passed: true }],
  ];
  const stop = { reported: 0, accepted: 1, dispatched: 2, in_progress: 3, handled: 4, follow_up: 5 }[state];
  for (const [action, actor, body] of steps.slice(0, stop)) {
    await performCaseAction(app, actor, created.id, action as 'accept', body as never);
  }
  return created.id;
}

/** A fresh staff account in community A (a grid worker of grid 1) for calls that change accounts. */
async function freshGridWorker(): Promise<string> {
  const user = await createTestUser(world.app, {
    name: '临时网格员',
    roles: [{ role: 'grid_worker', unitId: world.a.grids[1]!.id }],
  });
  return user.id;
}

async function freshCompound(active = true): Promise<string> {
  const unit = await insertUnit(world.app.db, {
    parentId: world.a.grids[2]!.id,
    kind: 'compound',
    code: `W${uid()}`,
    name: '遍历小区',
  });
  if (!active)
    await world.app.db.updateTable('units').set({ is_active: false }).where('id', '=', unit.id).execute();
  return unit.id;
}

async function freshTeam(active = true): Promise<string> {
  const id = await insertOrganisation(world.app.db, {
    unitId: world.a.community.id,
    kind: 'volunteer_team',
    name: `遍历志愿队${uid()}`,
  });
  if (!active)
    await world.app.db.updateTable('organisations').set({ is_active: false }).where('id', '=', id).execute();
  return id;
}

let gridSerial = 100;

/** A fresh grid of community A (a routing rule's unit holds one active rule per category). */
async function freshGrid(): Promise<string> {
  const grid = await insertUnit(world.app.db, {
    parentId: world.a.community.id,
    kind: 'grid',
    code: `${world.a.community.code}${gridSerial++}`,
    name: '遍历网格',
  });
  return grid.id;
}

async function freshRule(active = true): Promise<string> {
  const id = crypto.randomUUID();
  await world.app.db
    .insertInto('routing_rules')
    .values({
      id,
      category: '0103',
      unit_id: await freshGrid(),
      org_id: world.a.teams.property,
      is_active: active,
    })
    .execute();
  return id;
}

/** A fresh staff account to act as, for calls that change the caller's own account. */
async function freshStaffClient(): Promise<Client> {
  return (
    await createTestUser(world.app, {
      name: '临时员工',
      roles: [{ role: 'grid_worker', unitId: world.a.grid.id }],
    })
  ).client;
}

/** A fresh grid worker of A whose account the administrators act on, with one role assignment. */
async function freshAccount(
  options: { active?: boolean } = {},
): Promise<{ id: string; assignmentId: string }> {
  const id = await freshGridWorker();
  if (options.active === false)
    await world.app.db.updateTable('users').set({ is_active: false }).where('id', '=', id).execute();
  const row = await world.app.db
    .selectFrom('role_assignments')
    .select('id')
    .where('user_id', '=', id)
    .executeTakeFirstOrThrow();
  return { id, assignmentId: row.id };
}

/** A fresh patrol of A's first grid by its grid worker, started 20 minutes ago (it ends the one before). */
async function freshPatrol(): Promise<string> {
  const id = crypto.randomUUID();
  await startPatrol(world.app, world.actors.gridWorker, {
    id,
    gridId: world.a.grid.id,
    startedAt: new Date(Date.now() - 20 * 60_000).toISOString(),
  });
  return id;
}

/** A fresh patrol plan of a fresh grid of A, made by A's community admin. */
async function freshPatrolPlan(): Promise<string> {
  const plan = await createPatrolPlan(world.app, world.actors.communityAdmin, {
    gridId: await freshGrid(),
    shifts: [{ start: '08:00', end: '12:00' }],
  });
  return plan.id;
}

const CATEGORY_LIMITS = {
  accept: { amount: 2, unit: 'working_hours' },
  handle: { normal: { amount: 1, unit: 'working_days' }, urgent: { amount: 4, unit: 'working_hours' } },
  followUp: { amount: 3, unit: 'working_days' },
};

async function freshCategory(active = true): Promise<string> {
  const code = `97${String(10 + Math.floor(Math.random() * 90))}`;
  await world.app.db
    .insertInto('case_categories')
    .values({
      code,
      major_code: '97',
      name_zh: '遍历测试类',
      name_en: 'Walk test class',
      major_name_zh: '遍历测试',
      major_name_en: 'Walk test',
      time_limits: JSON.stringify({
        accept: { amount: 2, unit: 'working_hours' },
        handle: { normal: { amount: 1, unit: 'working_days' }, urgent: { amount: 4, unit: 'working_hours' } },
        follow_up: { amount: 3, unit: 'working_days' },
      }),
      is_active: active,
    })
    .onConflict((oc) => oc.column('code').doUpdateSet({ is_active: active }))
    .execute();
  return code;
}

/**
 * A far-future day nobody's deadline reaches, so calendar edits here move no other test's deadlines; the
 * 2080s, because calendar.test.ts (which may share this worker's database) owns 2090–2099.
 */
function farDay(): string {
  const month = String(1 + Math.floor(Math.random() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(Math.random() * 28)).padStart(2, '0');
  return `${2080 + Math.floor(Math.random() * 10)}-${month}-${day}`;
}

/** Two fresh resident accounts of community A (a person's duplicate accounts). */
async function freshResidentPair(): Promise<{ keepId: string; duplicateId: string }> {
  const make = async (name: string) =>
    (
      await createTestUser(world.app, {
        kind: 'resident',
        name,
        streetId: world.a.street.id,
        roles: [{ role: 'resident', unitId: world.a.community.id }],
      })
    ).id;
  return { keepId: await make('遍历居民'), duplicateId: await make('遍历居民（重复）') };
}

/** The current version of community A's override of a notification template (0: none). */
async function templateVersion(key: string): Promise<number> {
  const row = await world.app.db
    .selectFrom('notification_templates')
    .select('version')
    .where('unit_id', '=', world.a.community.id)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.version ?? 0;
}

/** A fresh notice of community A, written by its admin: a draft, or published. */
async function noticeIn(state: 'draft' | 'published'): Promise<{ id: string; version: number }> {
  const { app, a, actors } = world;
  const created = await createNotice(app.db, actors.communityAdmin, {
    unitId: a.community.id,
    title: '授权遍历测试公告',
    body: '正文',
    category: 'notice',
    isPinned: false,
  });
  if (state === 'draft') return created;
  return publishNotice(app.db, actors.communityAdmin, created.id, { expectedVersion: created.version });
}

const caseReaders: Who[] = ['resident', 'gridWorker', 'handler', 'communityAdmin', 'streetAdmin'];
/** Every staff caller, of either street: the console is for staff (residents and the public use the phone site). */
const STAFF: Who[] = ['gridWorker', 'handler', 'communityAdmin', 'streetAdmin', 'auditor', 'outsiderAdmin'];

const ROUTES: Record<string, Spec> = {
  // Public information: anyone, signed in or not.
  'GET /api/health': { allowed: EVERYONE },
  'GET /api/demo/status': { allowed: EVERYONE },
  'GET /.well-known/minqing/journal-keys.json': { allowed: EVERYONE },
  'GET /api/journal/batches': { allowed: EVERYONE, call: () => ({ query: { streetId: world.a.street.id } }) },
  'GET /api/journal/batches/{id}': {
    allowed: EVERYONE,
    call: async () => {
      const batch = await world.app.db
        .selectFrom('journal_batches')
        .select('id')
        .where('street_id', '=', world.a.street.id)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      return { params: { id: String(batch.id) } };
    },
  },
  'GET /api/figures': { allowed: EVERYONE, call: () => ({ query: { unitId: world.a.community.id } }) },
  // Live events: everyone may follow a public unit; what each receives is filtered per viewer (live.test.ts).
  'GET /api/live': {
    allowed: EVERYONE,
    call: (who) => ({
      client: new StreamingClient(world.app, world.clients[who].cookie),
      query: { unitId: world.a.street.id },
    }),
  },
  'GET /api/categories': { allowed: EVERYONE },
  'GET /api/calendar': { allowed: EVERYONE },
  'GET /api/calendar/{year}': { allowed: EVERYONE, call: () => ({ params: { year: '2026' } }) },
  'GET /api/units': { allowed: EVERYONE },
  'GET /api/units/search': {
    allowed: EVERYONE,
    call: () => ({ query: { q: world.a.community.code.slice(0, 9) } }),
  },
  'GET /api/units/{id}': { allowed: EVERYONE, call: () => ({ params: { id: world.a.grid.id } }) },
  'GET /api/units/{id}/children': {
    allowed: EVERYONE,
    call: () => ({ params: { id: world.a.community.id } }),
  },
  'GET /api/units/{id}/tree': { allowed: EVERYONE, call: () => ({ params: { id: world.a.community.id } }) },
  'GET /api/units/{id}/map': { allowed: EVERYONE, call: () => ({ params: { id: world.a.community.id } }) },
  'GET /api/areas/resolve': {
    allowed: EVERYONE,
    call: () => ({ query: { lng: String(world.a.pointIn(0).lng), lat: String(world.a.pointIn(0).lat) } }),
  },
  'GET /api/organisations': { allowed: EVERYONE, call: () => ({ query: { unitId: world.a.community.id } }) },
  'GET /api/organisations/tree': {
    allowed: EVERYONE,
    call: () => ({ query: { unitId: world.a.community.id } }),
  },
  'GET /api/organisations/{id}': {
    allowed: EVERYONE,
    call: () => ({ params: { id: world.a.teams.sanitation } }),
  },
  'POST /api/uploads': { allowed: EVERYONE },

  // Signing in and out.
  'POST /api/auth/login': {
    allowed: EVERYONE,
    call: async () => {
      const row = await world.app.db
        .selectFrom('users')
        .select('username')
        .where('id', '=', world.a.people.gridWorker.id)
        .executeTakeFirstOrThrow();
      return { body: { login: row.username, password: TEST_PASSWORD } };
    },
  },
  'POST /api/auth/sms-code': {
    allowed: EVERYONE,
    call: () => ({
      body: { phone: `1709${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}` },
      remoteAddress: randomAddress(),
    }),
  },
  'POST /api/auth/logout': {
    allowed: EVERYONE,
    // Logging out must not end the session the other calls use.
    call: async (who) =>
      who === 'anon'
        ? {}
        : {
            client: (
              await createTestUser(world.app, {
                name: '注销者',
                roles: [{ role: 'grid_worker', unitId: world.a.grid.id }],
              })
            ).client,
          },
  },

  'POST /api/auth/sms-login': {
    allowed: EVERYONE,
    call: async (who) => {
      const phone = `1708${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
      const remoteAddress = randomAddress();
      await new Client(world.app).request('POST', '/api/auth/sms-code', { phone }, {}, { remoteAddress });
      return {
        body: { phone, code: lastSmsCode(world.app, phone) },
        client: who === 'anon' ? undefined : world.clients[who],
        remoteAddress,
      };
    },
  },

  // The signed-in person.
  'POST /api/me/password': {
    allowed: SIGNED_IN,
    call: async (who) => ({
      client: who === 'anon' ? undefined : await freshStaffClient(),
      body: { currentPassword: TEST_PASSWORD, newPassword: 'Another#Pass2026' },
    }),
  },
  'POST /api/me/totp/setup': {
    allowed: SIGNED_IN,
    call: async (who) => ({
      client: who === 'anon' ? undefined : await freshStaffClient(),
      body: { password: TEST_PASSWORD },
    }),
  },
  'POST /api/me/totp/confirm': {
    allowed: SIGNED_IN,
    call: async (who) => {
      const client = who === 'anon' ? undefined : await freshStaffClient();
      await client?.post('/api/me/totp/setup', { password: TEST_PASSWORD });
      // A wrong code is refused as a bad code (not as a missing right).
      return { client, body: { code: '000000' } };
    },
  },
  'POST /api/me/totp/disable': {
    allowed: SIGNED_IN,
    call: async (who) => ({
      client: who === 'anon' ? undefined : await freshStaffClient(),
      body: { password: TEST_PASSWORD, code: '000000' },
    }),
  },
  // Staff may call it but are told (422) that their resident role comes from an administrator.
  'POST /api/me/community': {
    allowed: SIGNED_IN,
    call: () => ({ body: { communityId: world.a.community.id } }),
  },
  'GET /api/me': { allowed: SIGNED_IN },
  'PATCH /api/me': {
    allowed: SIGNED_IN,
    call: async (who) =>
      who === 'anon'
        ? { body: { displayName: '新名字' } }
        : {
            client: (
              await createTestUser(world.app, {
                name: '改名者',
                roles: [{ role: 'grid_worker', unitId: world.a.grid.id }],
              })
            ).client,
            body: { displayName: '新名字' },
          },
  },
  'GET /api/me/notifications': { allowed: SIGNED_IN },
  'POST /api/me/notifications/read-all': { allowed: SIGNED_IN },
  'POST /api/me/notifications/{id}/read': {
    allowed: SIGNED_IN,
    call: async (who) => {
      const userId = who === 'anon' ? world.a.people.resident.id : world.actors[who].userId;
      const id = crypto.randomUUID();
      await world.app.db
        .insertInto('notifications')
        .values({ id, user_id: userId, kind: 'test', title_zh: '测试', title_en: 'Test' })
        .execute();
      return { params: { id } };
    },
  },

  // Cases.
  'GET /api/cases': { allowed: SIGNED_IN },
  // Anyone about to report (the public too, when public reports are on) is shown open cases nearby — in coarse form.
  'GET /api/cases/nearby': {
    allowed: EVERYONE,
    call: () => ({
      query: { lng: String(world.a.pointIn(0).lng), lat: String(world.a.pointIn(0).lat), category: '0101' },
    }),
  },
  'POST /api/cases': {
    allowed: EVERYONE,
    call: (who) => ({
      body: {
        categoryCode: '0101',
        description: '遍历测试上报',
        location: world.a.pointIn(1),
        ...(who === 'anon' ? { contact: { phone: '17012345678' } } : {}),
      },
    }),
  },
  'GET /api/cases/{id}': {
    allowed: caseReaders,
    privateExistence: true,
    call: async () => ({ params: { id: await caseIn('dispatched') } }),
  },
  'GET /api/cases/{id}/reporter-contact': {
    allowed: ['gridWorker', ...ADMINS_A],
    call: async () => ({
      params: { id: await caseIn('dispatched') },
      query: { purpose: '电话回访核实情况' },
    }),
  },
  'POST /api/cases/{id}/accept': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await caseIn('reported') } }),
  },
  'POST /api/cases/{id}/reject': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await caseIn('reported') }, body: { reason: '不属于社区职责范围' } }),
  },
  'POST /api/cases/{id}/dispatch': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: await caseIn('accepted') },
      body: { orgId: world.a.teams.sanitation },
    }),
  },
  'POST /api/cases/{id}/return': {
    allowed: ['handler'],
    call: async () => ({ params: { id: await caseIn('dispatched') }, body: { reason: '不属于本队职责' } }),
  },
  'POST /api/cases/{id}/start': {
    allowed: ['handler'],
    call: async () => ({ params: { id: await caseIn('dispatched') } }),
  },
  'POST /api/cases/{id}/submit': {
    allowed: ['handler'],
    call: async () => ({ params: { id: await caseIn('in_progress') }, body: { result: '已清运完毕' } }),
  },
  'POST /api/cases/{id}/verify': {
    allowed: ['gridWorker', ...ADMINS_A],
    call: async () => ({ params: { id: await caseIn('handled') }, body: { passed: true } }),
  },
  'POST /api/cases/{id}/rate': {
    allowed: ['resident'],
    call: async () => ({ params: { id: await caseIn('follow_up') }, body: { rating: 'satisfied' } }),
  },
  'POST /api/cases/{id}/follow-up': {
    allowed: ['gridWorker', ...ADMINS_A],
    call: async () => ({
      params: { id: await caseIn('follow_up', { source: 'patrol' }) },
      body: { method: 'phone', rating: 'satisfied' },
    }),
  },
  'POST /api/cases/{id}/merge': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: await caseIn('reported') },
      body: { intoCaseId: await caseIn('accepted') },
    }),
  },
  'POST /api/cases/{id}/note': {
    allowed: ['gridWorker', 'handler', ...ADMINS_A],
    call: async () => ({ params: { id: await caseIn('dispatched') }, body: { text: '已电话联系' } }),
  },
  'POST /api/cases/{id}/remind': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await caseIn('dispatched') } }),
  },
  'POST /api/cases/{id}/escalate': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: await caseIn('dispatched') },
      body: { reason: '超期未处置，请街道督办' },
    }),
  },
  // The point lies in the street but outside every community: the case waits in the street's queue.
  'POST /api/cases/{id}/assign-grid': {
    allowed: ['streetAdmin'],
    call: async () => ({
      params: { id: await caseIn('reported', { outside: true }) },
      body: { gridId: world.a.grids[0]!.id },
    }),
  },
  'GET /api/journal/records/{recordType}/{recordId}': {
    allowed: caseReaders,
    privateExistence: true,
    call: async () => ({ params: { recordType: 'case', recordId: await caseIn('dispatched') } }),
  },

  // Photos: whoever may see the case sees its copies; the original is for staff among them.
  'GET /api/uploads/{id}/{variant}': {
    allowed: caseReaders,
    privateExistence: true,
    call: async () => {
      const photo = await uploadPhoto(world.clients.resident);
      await caseIn('dispatched', { photoIds: [photo] });
      return { params: { id: photo, variant: 'thumb' } };
    },
  },
  'GET /api/uploads/{id}/original': {
    allowed: ['gridWorker', 'handler', ...ADMINS_A],
    privateExistence: true,
    call: async () => {
      const photo = await uploadPhoto(world.clients.resident);
      await caseIn('dispatched', { photoIds: [photo] });
      return { params: { id: photo }, query: { purpose: '核实现场照片' } };
    },
  },

  // Patrols (巡查): the grid's worker records; the supervisors (community and street admins) plan and
  // follow; grid workers read their grid's plans and schedule; 巡查率 and the map layer are public.
  'GET /api/patrols/plans': {
    allowed: ['gridWorker', ...ADMINS_A],
    call: () => ({ query: { unitId: world.a.grid.id } }),
  },
  'POST /api/patrols/plans': {
    allowed: ADMINS_A,
    call: async () => ({
      body: { gridId: await freshGrid(), shifts: [{ start: '08:00', end: '12:00' }] },
    }),
  },
  'POST /api/patrols/plans/{id}/end': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await freshPatrolPlan() }, body: {} }),
  },
  'GET /api/patrols/schedule': {
    allowed: ['gridWorker', ...ADMINS_A],
    call: () => ({ query: { unitId: world.a.grid.id } }),
  },
  'GET /api/patrols/figures': {
    allowed: EVERYONE,
    call: () => ({ query: { unitId: world.a.community.id, groupBy: 'grid' } }),
  },
  'GET /api/patrols/missed': {
    allowed: ADMINS_A,
    call: () => ({ query: { unitId: world.a.community.id } }),
  },
  'POST /api/patrols': {
    allowed: ['gridWorker'],
    call: () => ({ body: { id: crypto.randomUUID(), gridId: world.a.grid.id } }),
  },
  // Everyone signed in gets their own patrols and those of the grids they supervise (often none).
  'GET /api/patrols': { allowed: SIGNED_IN },
  'GET /api/patrols/{id}': {
    allowed: ['gridWorker', ...ADMINS_A],
    call: async () => ({ params: { id: await freshPatrol() } }),
  },
  'GET /api/patrols/{id}/track': {
    allowed: ['gridWorker', ...ADMINS_A],
    call: async () => ({ params: { id: await freshPatrol() }, query: { purpose: '核查漏巡情况' } }),
  },
  'POST /api/patrols/{id}/points': {
    allowed: ['gridWorker'],
    call: async () => ({
      params: { id: await freshPatrol() },
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: {
        points: [0, 1, 2].map((i) => ({
          at: new Date(Date.now() - (10 - i) * 60_000).toISOString(),
          lng: world.a.pointIn(0).lng,
          lat: world.a.pointIn(0).lat + i * 0.0001,
          accuracy: 8,
        })),
      },
    }),
  },
  'POST /api/patrols/{id}/checkins': {
    allowed: ['gridWorker'],
    call: async () => ({
      params: { id: await freshPatrol() },
      body: {
        id: crypto.randomUUID(),
        at: new Date(Date.now() - 5 * 60_000).toISOString(),
        location: world.a.pointIn(0),
        label: '东门垃圾站',
      },
    }),
  },
  'POST /api/patrols/{id}/findings': {
    allowed: ['gridWorker'],
    call: async () => ({
      params: { id: await freshPatrol() },
      headers: { 'idempotency-key': crypto.randomUUID() },
      body: { categoryCode: '0101', description: '遍历巡查发现：路边垃圾', location: world.a.pointIn(0) },
    }),
  },
  'POST /api/patrols/{id}/end': {
    allowed: ['gridWorker'],
    call: async () => ({ params: { id: await freshPatrol() }, body: {} }),
  },
  // Everyone sees which grids are patrolled (at the grid's centre); positions only for those who may.
  'GET /api/map/patrols': {
    allowed: EVERYONE,
    call: () => ({ query: { unitId: world.a.community.id } }),
  },
  // The 民情地图: everyone sees the map; the form of each case is per viewer (map.test.ts).
  'GET /api/map/config': { allowed: EVERYONE },
  'GET /api/map/cases': {
    allowed: EVERYONE,
    call: () => ({ query: { bbox: '73,18,135,54', zoom: '5', unitId: world.a.street.id } }),
  },
  'GET /api/map/grids': { allowed: EVERYONE, call: () => ({ query: { unitId: world.a.community.id } }) },
  'GET /api/screen/summary': { allowed: EVERYONE, call: () => ({ query: { unitId: world.a.street.id } }) },

  // Areas and organisations: administrators below their own unit.
  'POST /api/units': {
    allowed: ADMINS_A,
    call: () => ({
      body: { parentId: world.a.grids[2]!.id, kind: 'compound', code: `W${uid()}`, name: '新建小区' },
    }),
  },
  'PATCH /api/units/{id}': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: await freshCompound() },
      body: { expectedVersion: 1, name: '改名小区' },
    }),
  },
  'POST /api/units/{id}/deactivate': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await freshCompound() }, body: { expectedVersion: 1 } }),
  },
  'POST /api/units/{id}/activate': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await freshCompound(false) }, body: { expectedVersion: 1 } }),
  },
  // An administrator elsewhere gets the import report with every feature refused as not theirs.
  'POST /api/units/import-grids': {
    allowed: ADMINS_A,
    refusedIn: (body) => body.refused?.length === body.total && body.total > 0,
    call: () => ({
      body: {
        dryRun: true,
        featureCollection: {
          type: 'FeatureCollection',
          features: [
            {
              type: 'Feature',
              properties: { code: `${world.a.community.code}050`, name: '第50网格' },
              geometry: square(world.a.pointOutside().lng - 0.004, world.a.pointOutside().lat - 0.004, 0.002),
            },
          ],
        },
      },
    }),
  },
  'POST /api/organisations': {
    allowed: ADMINS_A,
    call: () => ({
      body: { unitId: world.a.community.id, kind: 'volunteer_team', name: `新志愿队${uid()}` },
    }),
  },
  'PATCH /api/organisations/{id}': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: await freshTeam() },
      body: { expectedVersion: 1, name: `改名志愿队${uid()}` },
    }),
  },
  'POST /api/organisations/{id}/deactivate': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await freshTeam() }, body: { expectedVersion: 1 } }),
  },
  'POST /api/organisations/{id}/activate': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await freshTeam(false) }, body: { expectedVersion: 1 } }),
  },
  'PUT /api/organisations/{id}/members/{userId}': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: await freshTeam(), userId: world.a.people.gridWorker.id },
      body: { title: '队员' },
    }),
  },
  'DELETE /api/organisations/{id}/members/{userId}': {
    allowed: ADMINS_A,
    call: async () => {
      const id = await freshTeam();
      await world.app.db
        .insertInto('organisation_members')
        .values({ org_id: id, user_id: world.a.people.gridWorker.id })
        .execute();
      return { params: { id, userId: world.a.people.gridWorker.id } };
    },
  },
  'PUT /api/organisations/{id}/households': {
    allowed: ADMINS_A,
    call: async () => {
      const id = await insertOrganisation(world.app.db, {
        unitId: world.a.household.id,
        kind: 'party_member_household',
        name: `党员中心户${uid()}`,
      });
      return { params: { id }, body: { householdIds: [world.a.household.id] } };
    },
  },

  // Accounts: administrators of the units the account is placed at; the auditor reads.
  'GET /api/users': { allowed: [...ADMINS_A, 'auditor', 'outsiderAdmin'] },
  'GET /api/users/{id}': {
    allowed: [...ADMINS_A, 'auditor'],
    call: async () => ({ params: { id: (await freshAccount()).id } }),
  },
  'POST /api/users': {
    allowed: ADMINS_A,
    call: () => ({
      body: {
        username: `walk_${uid()}`,
        displayName: '新网格员',
        password: 'Initial#Pass2026',
        roles: [{ role: 'grid_worker', unitId: world.a.grids[1]!.id }],
      },
    }),
  },
  'PATCH /api/users/{id}': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: (await freshAccount()).id }, body: { displayName: '改名网格员' } }),
  },
  'POST /api/users/{id}/deactivate': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: (await freshAccount()).id }, body: { reason: '调离本社区' } }),
  },
  'POST /api/users/{id}/reactivate': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: (await freshAccount({ active: false })).id },
      body: { reason: '重新入职' },
    }),
  },
  'POST /api/users/{id}/unlock': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: (await freshAccount()).id } }),
  },
  'POST /api/users/{id}/reset-password': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: (await freshAccount()).id },
      body: { newPassword: 'Temporary#Pass2026' },
    }),
  },
  'POST /api/users/{id}/reset-totp': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: (await freshAccount()).id }, body: { reason: '手机丢失' } }),
  },
  'POST /api/users/{id}/roles': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: (await freshAccount()).id },
      body: { role: 'grid_worker', unitId: world.a.grids[2]!.id },
    }),
  },
  'POST /api/users/{id}/roles/{assignmentId}/revoke': {
    allowed: ADMINS_A,
    call: async () => {
      const account = await freshAccount();
      return { params: { id: account.id, assignmentId: account.assignmentId }, body: { reason: '调岗' } };
    },
  },
  // Merging duplicate resident accounts (合并重复账号): the administrators over both; a fresh pair each call.
  'POST /api/users/merge/preview': {
    allowed: ADMINS_A,
    call: async () => ({ body: await freshResidentPair() }),
  },
  'POST /api/users/merge': {
    allowed: ADMINS_A,
    call: async () => ({ body: { ...(await freshResidentPair()), reason: '同一人的重复账号' } }),
  },
  'POST /api/users/{id}/reveal': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: (await freshAccount()).id },
      body: { purpose: '联系网格员核实情况' },
    }),
  },
  // The security log is for the auditor (and security officers), not for the administrators it records.
  'GET /api/security-events': { allowed: ['auditor'] },

  // Routing rules: admins covering the rule's unit; auditors read.
  'GET /api/routing/rules': {
    allowed: [...ADMINS_A, 'auditor', 'outsiderAdmin'],
    call: () => ({ query: {} }),
  },
  'GET /api/routing/resolve': {
    allowed: ADMINS_A,
    call: () => ({
      query: { lng: String(world.a.pointIn(0).lng), lat: String(world.a.pointIn(0).lat), category: '0101' },
    }),
  },
  'POST /api/routing/rules': {
    allowed: ADMINS_A,
    call: async () => ({
      body: { category: '0104', unitId: await freshGrid(), orgId: world.a.teams.sanitation },
    }),
  },
  'PATCH /api/routing/rules/{id}': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await freshRule() }, body: { expectedVersion: 1, note: '调整说明' } }),
  },
  'POST /api/routing/rules/{id}/deactivate': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await freshRule() }, body: { expectedVersion: 1 } }),
  },
  'POST /api/routing/rules/{id}/activate': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await freshRule(false) }, body: { expectedVersion: 1 } }),
  },

  // The category dictionary and the calendar are one for the whole instance: street admins and above.
  'POST /api/categories': {
    allowed: ['streetAdmin'],
    call: () => ({
      body: {
        code: `98${String(10 + Math.floor(Math.random() * 90))}`,
        nameZh: '遍历新类',
        nameEn: 'Walk new class',
        majorNameZh: '遍历新大类',
        majorNameEn: 'Walk new major',
        timeLimits: CATEGORY_LIMITS,
      },
    }),
  },
  'PATCH /api/categories/{code}': {
    allowed: ['streetAdmin'],
    call: async () => ({
      params: { code: await freshCategory() },
      body: { expectedVersion: 1, nameZh: '改名类' },
    }),
  },
  'POST /api/categories/{code}/deactivate': {
    allowed: ['streetAdmin'],
    call: async () => ({ params: { code: await freshCategory() }, body: { expectedVersion: 1 } }),
  },
  'POST /api/categories/{code}/activate': {
    allowed: ['streetAdmin'],
    call: async () => ({ params: { code: await freshCategory(false) }, body: { expectedVersion: 1 } }),
  },
  'PUT /api/calendar/days/{day}': {
    allowed: ['streetAdmin'],
    call: () => ({
      params: { day: farDay() },
      body: { isWorkday: false, nameZh: '测试假日', nameEn: 'Test holiday' },
    }),
  },
  'DELETE /api/calendar/days/{day}': {
    allowed: ['streetAdmin'],
    call: async () => {
      const day = farDay();
      await world.app.db
        .insertInto('calendar_days')
        .values({ day, is_workday: false, name_zh: '测试假日', name_en: 'Test holiday' })
        .onConflict((oc) => oc.column('day').doNothing())
        .execute();
      return { params: { day } };
    },
  },
  'POST /api/calendar/import': {
    allowed: ['streetAdmin'],
    call: () => {
      const day = farDay();
      return {
        body: {
          year: Number(day.slice(0, 4)),
          source: 'authorization walk',
          holidays: [{ name_zh: '测试节', name_en: 'Test day', days_off: [day], make_up_workdays: [] }],
        },
      };
    },
  },
  // Notification templates (通知模板) of community A: its admins and the street's edit, the auditor reads.
  'GET /api/notification-templates': {
    allowed: [...ADMINS_A, 'auditor'],
    call: () => ({ query: { unitId: world.a.community.id } }),
  },
  'PUT /api/notification-templates/{unitId}/{key}': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { unitId: world.a.community.id, key: 'reporter.closed' },
      body: {
        textZh: '事件 {案件编号} 已办结',
        textEn: 'Case {code} closed',
        expectedVersion: await templateVersion('reporter.closed'),
      },
    }),
  },
  'POST /api/notification-templates/{unitId}/{key}/reset': {
    allowed: ADMINS_A,
    call: async () => {
      await setNotificationTemplate(
        world.app.db,
        world.actors.communityAdmin,
        world.a.community.id,
        'staff.escalated',
        {
          textZh: '督办 {案件编号}',
          textEn: 'Escalated {code}',
          expectedVersion: await templateVersion('staff.escalated'),
        },
      );
      return {
        params: { unitId: world.a.community.id, key: 'staff.escalated' },
        body: { expectedVersion: await templateVersion('staff.escalated') },
      };
    },
  },
  'POST /api/notification-templates/preview': {
    allowed: [...ADMINS_A, 'auditor'],
    call: () => ({
      body: {
        unitId: world.a.community.id,
        key: 'reporter.closed',
        textZh: '办结 {案件编号}',
        textEn: 'Closed {code}',
      },
    }),
  },
  // 社区公告: published notices are public; drafts, edits and transitions are the admins' at or above the unit.
  'GET /api/public/notices': {
    allowed: EVERYONE,
    call: () => ({ query: { unitId: world.a.grid.id } }),
  },
  'GET /api/public/notices/{id}': {
    allowed: EVERYONE,
    call: async () => ({ params: { id: (await noticeIn('published')).id } }),
  },
  'GET /api/notices': { allowed: [...ADMINS_A, 'auditor', 'outsiderAdmin'] },
  'GET /api/notices/{id}': {
    allowed: [...ADMINS_A, 'auditor'],
    call: async () => ({ params: { id: (await noticeIn('draft')).id } }),
  },
  'POST /api/notices': {
    allowed: ADMINS_A,
    call: () => ({
      body: { unitId: world.a.community.id, title: '授权遍历新公告', body: '正文', category: 'activity' },
    }),
  },
  'PATCH /api/notices/{id}': {
    allowed: ADMINS_A,
    call: async () => {
      const notice = await noticeIn('published');
      return { params: { id: notice.id }, body: { isPinned: true, expectedVersion: notice.version } };
    },
  },
  'POST /api/notices/{id}/publish': {
    allowed: ADMINS_A,
    call: async () => {
      const notice = await noticeIn('draft');
      return { params: { id: notice.id }, body: { expectedVersion: notice.version } };
    },
  },
  'POST /api/notices/{id}/withdraw': {
    allowed: ADMINS_A,
    call: async () => {
      const notice = await noticeIn('published');
      return { params: { id: notice.id }, body: { expectedVersion: notice.version, reason: '遍历' } };
    },
  },
  // The staff console's own endpoints (modules/console): staff only; what acts on a record asks its own policy.
  'GET /api/console/queues': { allowed: STAFF },
  'GET /api/console/saved-filters': { allowed: STAFF },
  'POST /api/console/saved-filters': {
    allowed: STAFF,
    call: () => ({ body: { name: `遍历筛选${uid()}`, query: { queue: 'to_accept', category: '0101' } } }),
  },
  // A saved filter is its owner's alone: each caller deletes one of their own.
  'DELETE /api/console/saved-filters/{id}': {
    allowed: STAFF,
    call: async (who) => {
      const owner = STAFF.includes(who) ? world.actors[who as Exclude<Who, 'anon'>] : world.actors.gridWorker;
      const id = crypto.randomUUID();
      await world.app.db
        .insertInto('console_saved_filters')
        .values({ id, user_id: owner.userId, name: `遍历筛选${uid()}`, query: JSON.stringify({ q: '垃圾' }) })
        .execute();
      return { params: { id } };
    },
  },
  // Each case goes through the case policy: staff without the right get a summary with every case refused.
  'POST /api/console/cases/bulk': {
    allowed: ADMINS_A,
    refusedIn: (body) => body.succeeded?.length === 0 && body.refused?.length > 0,
    call: async () => ({
      body: { action: 'accept', cases: [{ id: await caseIn('reported') }, { id: await caseIn('reported') }] },
    }),
  },
  // The figures are public (GET /api/figures); the Excel workbook is a console tool.
  // Named people's figures: the admins and the auditor over the unit, not the public's figures.
  'GET /api/console/figures/handlers': {
    allowed: [...ADMINS_A, 'auditor'],
    call: () => ({ query: { unitId: world.a.community.id } }),
  },
  'GET /api/console/figures/export': {
    allowed: STAFF,
    call: () => ({ query: { unitId: world.a.community.id, groupBy: 'grid' } }),
  },
  // A street's whole journal: its administrators and the auditor (三权分立); others read record by record.
  'GET /api/console/journal/entries': {
    allowed: ['streetAdmin', 'auditor'],
    call: () => ({ query: { streetId: world.a.street.id, limit: '5' } }),
  },
  'POST /api/console/journal/verifications': {
    allowed: ['streetAdmin', 'auditor'],
    call: () => ({ body: { streetId: world.a.street.id } }),
  },
  'GET /api/console/journal/verifications/{id}': {
    allowed: ['streetAdmin', 'auditor'],
    call: async () => {
      const id = crypto.randomUUID();
      await world.app.db
        .insertInto('console_verification_runs')
        .values({
          id,
          street_id: world.a.street.id,
          started_by: world.a.people.auditor.id,
          status: 'passed',
          phase: 'done',
          finished_at: new Date(),
        })
        .execute();
      return { params: { id } };
    },
  },
  // Collective finances (issue 6). Read and approve: the village committee (community and street admins
  // of A); keeping the books is the bookkeeper's (no caller here is one: everyone is refused); the
  // disclosed books are public.
  'GET /api/finance/books': { allowed: SIGNED_IN },
  'POST /api/finance/books': {
    allowed: ADMINS_A,
    call: async () => ({ body: { unitId: await freshCompound(), name: '遍历账套', startMonth: '2025-01' } }),
  },
  'GET /api/finance/books/{bookId}': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'PUT /api/finance/books/{bookId}/opening-balances': {
    allowed: [],
    call: async () => ({ params: { bookId: (await fin().books()).bookId }, body: { balances: [] } }),
  },
  'POST /api/finance/books/{bookId}/start': {
    allowed: [],
    call: async () => ({ params: { bookId: (await fin().books()).bookId }, body: {} }),
  },
  'POST /api/finance/books/{bookId}/opening-balances/import': {
    allowed: [],
    call: async () => {
      const { body, headers } = multipart([
        {
          name: 'file',
          data: Buffer.from('not a workbook'),
          filename: 'opening.xlsx',
          contentType: 'application/octet-stream',
        },
      ]);
      return { params: { bookId: (await fin().books()).bookId }, body, headers };
    },
  },
  'POST /api/finance/books/{bookId}/attachments': {
    allowed: [],
    call: async () => {
      const { body, headers } = multipart([
        {
          name: 'file',
          data: Buffer.from('%PDF-1.4\n%%EOF\n'),
          filename: 'c.pdf',
          contentType: 'application/pdf',
        },
      ]);
      return { params: { bookId: (await fin().books()).bookId }, body, headers };
    },
  },
  'GET /api/finance/attachments/{id}/{variant}': {
    allowed: ADMINS_A,
    privateExistence: true,
    call: async () => {
      const b = await fin().books();
      const { body, headers } = multipart([
        {
          name: 'file',
          data: Buffer.from('%PDF-1.4\n%%EOF\n'),
          filename: 'c.pdf',
          contentType: 'application/pdf',
        },
      ]);
      const made = await b.bookkeeper.client.post<{ id: string }>(
        `/api/finance/books/${b.bookId}/attachments`,
        body,
        headers,
      );
      return { params: { id: made.body.id, variant: 'file' } };
    },
  },
  'GET /api/finance/books/{bookId}/balances/export': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId }, query: { period: '2025-01' } }),
  },
  'GET /api/finance/books/{bookId}/reports/export': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId }, query: { period: '2025-01' } }),
  },
  'GET /api/finance/books/{bookId}/accounts': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'POST /api/finance/books/{bookId}/accounts': {
    allowed: [],
    call: async () => ({
      params: { bookId: (await fin().books()).bookId },
      body: { parentCode: '511', code: '51101', name: '办公费' },
    }),
  },
  'PATCH /api/finance/books/{bookId}/accounts/{code}': {
    allowed: [],
    call: async () => ({
      params: { bookId: (await fin().books()).bookId, code: '503' },
      body: { state: 'active' },
    }),
  },
  'DELETE /api/finance/books/{bookId}/accounts/{code}': {
    allowed: [],
    call: async () => ({ params: { bookId: (await fin().books()).bookId, code: '561' } }),
  },
  'GET /api/finance/books/{bookId}/vouchers': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'POST /api/finance/books/{bookId}/vouchers': {
    allowed: [],
    call: async () => ({
      params: { bookId: (await fin().books()).bookId },
      body: financeRentVoucher('2030-06-02', 100),
    }),
  },
  'GET /api/finance/vouchers/{id}': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: (await fin().books()).postedId } }),
  },
  'PUT /api/finance/vouchers/{id}': {
    allowed: [],
    call: async () => ({
      params: { id: await fin().draftVoucher() },
      body: financeRentVoucher('2030-06-03', 100),
    }),
  },
  'POST /api/finance/vouchers/{id}/{action}': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: await fin().submittedVoucher(), action: 'approve' }, body: {} }),
  },
  'GET /api/finance/books/{bookId}/periods': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'POST /api/finance/books/{bookId}/periods/{period}/close': {
    allowed: [],
    call: async () => ({ params: { bookId: (await fin().books()).bookId, period: '2025-02' } }),
  },
  'POST /api/finance/books/{bookId}/periods/{period}/reopen': {
    allowed: [],
    call: async () => ({ params: { bookId: (await fin().books()).bookId, period: '2025-01' } }),
  },
  'GET /api/finance/books/{bookId}/reports/trial-balance': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { bookId: (await fin().books()).bookId },
      query: { from: '2025-01', to: '2025-03' },
    }),
  },
  'GET /api/finance/books/{bookId}/reports/balance-sheet': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId }, query: { period: '2025-01' } }),
  },
  'GET /api/finance/books/{bookId}/reports/income-statement': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId }, query: { period: '2025-01' } }),
  },
  'GET /api/finance/books/{bookId}/reports/ledger': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { bookId: (await fin().books()).bookId },
      query: { accountCode: '102', from: '2025-01', to: '2025-02' },
    }),
  },
  'GET /api/finance/books/{bookId}/disclosures': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'POST /api/finance/books/{bookId}/disclosures': {
    allowed: [],
    call: async () => ({
      params: { bookId: (await fin().books()).bookId },
      body: { kind: 'month', label: '2025-02' },
    }),
  },
  'GET /api/finance/disclosures/{id}': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: (await fin().books()).sealedId } }),
  },
  'PUT /api/finance/disclosures/{id}': {
    allowed: [],
    call: async () => ({ params: { id: (await fin().books()).sealedId }, body: { majorItems: [] } }),
  },
  'POST /api/finance/disclosures/{id}/{action}': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: await fin().reviewedDisclosure(await freshCompound()), action: 'seal' },
      body: {},
    }),
  },
  'GET /api/finance/books/{bookId}/questions': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'POST /api/finance/questions/{id}/answer': {
    allowed: ADMINS_A,
    call: async () => ({
      params: { id: await fin().openQuestion() },
      body: { answer: '是村东鱼塘的租金。' },
    }),
  },
  // Resource and contract registers, rent receipts, overdue-rent alerts (docs/decisions/0720): read by
  // the committee, kept by the bookkeeper (nobody here); public copies with holders masked.
  'GET /api/finance/books/{bookId}/resources': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'POST /api/finance/books/{bookId}/resources': {
    allowed: [],
    call: async () => ({
      params: { bookId: (await fin().books()).bookId },
      body: { code: `ZY-${uid()}`, name: '遍历地块', kind: 'cultivated', areaMu: 1, letHow: 'unlet' },
    }),
  },
  'PATCH /api/finance/resources/{id}': {
    allowed: [],
    call: async () => ({
      params: { id: (await resourceWithContract(await fin().books())).resourceId },
      body: { note: '遍历' },
    }),
  },
  'GET /api/finance/books/{bookId}/contracts': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'POST /api/finance/books/{bookId}/contracts': {
    allowed: [],
    call: async () => {
      const b = await fin().books();
      const { resourceId } = await resourceWithContract(b);
      return {
        params: { bookId: b.bookId },
        body: {
          code: `HT-${uid()}`,
          title: '遍历合同',
          counterpartyName: '钱七',
          counterpartyKind: 'person',
          resourceId,
          startDate: '2025-01-01',
          endDate: '2025-12-31',
          totalRent: 1000,
        },
      };
    },
  },
  'GET /api/finance/contracts/{id}': {
    allowed: ADMINS_A,
    call: async () => ({ params: { id: (await resourceWithContract(await fin().books())).contractId } }),
  },
  'PATCH /api/finance/contracts/{id}': {
    allowed: [],
    call: async () => ({
      params: { id: (await resourceWithContract(await fin().books())).contractId },
      body: { note: '遍历' },
    }),
  },
  'POST /api/finance/contracts/{id}/receipts': {
    allowed: [],
    call: async () => ({
      params: { id: (await resourceWithContract(await fin().books())).contractId },
      body: { amount: 100, paidOn: '2024-01-02' },
    }),
  },
  // Funds and assets registers, depreciation, year-end closing (docs/decisions/0710-0712): read by the
  // committee, kept by the bookkeeper (nobody here); the assets list is public.
  'GET /api/finance/books/{bookId}/funds': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'POST /api/finance/books/{bookId}/funds': {
    allowed: [],
    call: async () => ({
      params: { bookId: (await fin().books()).bookId },
      body: { kind: 'bank', name: '遍历银行', bankName: '农商银行', accountCode: '102' },
    }),
  },
  'PATCH /api/finance/funds/{id}': {
    allowed: [],
    call: async () => ({
      params: { id: (await fundAndAsset(await fin().books())).fundId },
      body: { statementBalance: 100, statementDate: '2025-01-31' },
    }),
  },
  'GET /api/finance/books/{bookId}/assets': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'POST /api/finance/books/{bookId}/assets': {
    allowed: [],
    call: async () => ({
      params: { bookId: (await fin().books()).bookId },
      body: {
        code: `ZC-${uid()}`,
        name: '遍历资产',
        category: 'equipment',
        isOperating: false,
        originalValue: 100_00,
        acquiredOn: '2024-01-01',
        acquiredHow: 'purchase',
      },
    }),
  },
  'PATCH /api/finance/assets/{id}': {
    allowed: [],
    call: async () => ({
      params: { id: (await fundAndAsset(await fin().books())).assetId },
      body: { note: '遍历' },
    }),
  },
  'GET /api/finance/books/{bookId}/depreciation': {
    allowed: ADMINS_A,
    call: async () => {
      const b = await fin().books();
      await fundAndAsset(b);
      return { params: { bookId: b.bookId }, query: { period: '2030-06' } };
    },
  },
  'POST /api/finance/books/{bookId}/depreciation': {
    allowed: [],
    call: async () => {
      const b = await fin().books();
      await fundAndAsset(b);
      return { params: { bookId: b.bookId }, body: { period: '2025-06' } };
    },
  },
  'GET /api/finance/books/{bookId}/year-end': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId }, query: { year: '2025' } }),
  },
  'POST /api/finance/books/{bookId}/year-end/closing-voucher': {
    allowed: [],
    call: async () => ({ params: { bookId: (await fin().books()).bookId }, body: { year: 2030 } }),
  },
  'POST /api/finance/books/{bookId}/year-end/close': {
    allowed: [],
    call: async () => ({ params: { bookId: (await fin().books()).bookId }, body: { year: 2030 } }),
  },
  'GET /api/public/books/{bookId}/assets': {
    allowed: EVERYONE,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'GET /api/finance/books/{bookId}/alerts': {
    allowed: ADMINS_A,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'GET /api/public/books/{bookId}/resources': {
    allowed: EVERYONE,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'GET /api/public/books/{bookId}/contracts': {
    allowed: EVERYONE,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'GET /api/public/books/{bookId}/alerts': {
    allowed: EVERYONE,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'GET /api/public/overdue-rent': {
    allowed: EVERYONE,
    call: () => ({ query: { unitId: world.a.street.id } }),
  },
  'GET /api/public/books': { allowed: EVERYONE },
  'GET /api/public/books/{bookId}': {
    allowed: EVERYONE,
    call: async () => ({ params: { bookId: (await fin().books()).bookId } }),
  },
  'GET /api/public/disclosures/{id}': {
    allowed: EVERYONE,
    call: async () => ({ params: { id: (await fin().books()).sealedId } }),
  },
  'GET /api/public/disclosures/{id}/vouchers': {
    allowed: EVERYONE,
    call: async () => ({ params: { id: (await fin().books()).sealedId } }),
  },
  'GET /api/public/vouchers/{id}': {
    allowed: EVERYONE,
    call: async () => ({ params: { id: (await fin().books()).postedId } }),
  },
  'POST /api/public/disclosures/{id}/questions': {
    allowed: EVERYONE,
    call: async () => ({
      params: { id: (await fin().books()).sealedId },
      body: { text: '请问这笔支出的用途？', name: '王五' },
      remoteAddress: randomAddress(),
    }),
  },
  // The public-report settings in force: shown to staff in the console (the public sees their effect).
  'GET /api/console/settings/public-reports': { allowed: STAFF },
  // Communities are public units; the coverage check is a console tool for any staff.
  'GET /api/console/units/{id}/coverage': {
    allowed: STAFF,
    call: () => ({ params: { id: world.a.community.id } }),
  },
};

describe('authorization walk over every route', () => {
  beforeAll(async () => {
    const app = await buildTestApp();
    const a = await buildCommunity(app);
    const b = await buildCommunity(app);
    const actorOf = async (id: string) => (await loadActor(app.db, id))!;
    world = {
      app,
      a,
      b,
      clients: {
        anon: new Client(app),
        resident: a.people.resident.client,
        gridWorker: a.people.gridWorker.client,
        handler: a.people.handler.client,
        communityAdmin: a.people.communityAdmin.client,
        streetAdmin: a.people.streetAdmin.client,
        auditor: a.people.auditor.client,
        outsiderAdmin: b.people.communityAdmin.client,
        outsiderResident: b.people.resident.client,
      },
      actors: {
        resident: await actorOf(a.people.resident.id),
        gridWorker: await actorOf(a.people.gridWorker.id),
        handler: await actorOf(a.people.handler.id),
        communityAdmin: await actorOf(a.people.communityAdmin.id),
        streetAdmin: await actorOf(a.people.streetAdmin.id),
        auditor: await actorOf(a.people.auditor.id),
        outsiderAdmin: await actorOf(b.people.communityAdmin.id),
        outsiderResident: await actorOf(b.people.resident.id),
      },
    };
    // A sealed batch exists for the batch routes.
    await caseIn('reported');
    await sealOnce(app);
  });
  afterAll(() => world.app.close());

  function operations(): { method: string; path: string }[] {
    const document = world.app.swagger() as { paths: Record<string, Record<string, unknown>> };
    return Object.entries(document.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })),
    );
  }

  it('says who every route of the OpenAPI document is for', () => {
    const unclassified = operations()
      .map(({ method, path }) => `${method} ${path}`)
      .filter((key) => !ROUTES[key]);
    expect(unclassified).toEqual([]);
  });

  it('lets through exactly the callers each route is for', async () => {
    const wrong: string[] = [];
    for (const { method, path } of operations()) {
      const key = `${method} ${path}`;
      const spec = ROUTES[key];
      if (!spec) continue;
      for (const who of EVERYONE) {
        const call = spec.call ? await spec.call(who) : {};
        let url = path.replace(/\{(\w+)\}/g, (_m, name: string) => {
          const value = call.params?.[name];
          if (!value) throw new Error(`${key}: no value for path parameter ${name}`);
          return encodeURIComponent(value);
        });
        if (call.query && Object.keys(call.query).length)
          url += `?${new URLSearchParams(call.query).toString()}`;
        const client = call.client ?? world.clients[who];
        const body = method === 'GET' || method === 'DELETE' ? undefined : (call.body ?? {});
        const reply = await client.request(method as 'GET', url, body, call.headers ?? {}, {
          remoteAddress: call.remoteAddress,
        });
        const allowed = spec.allowed.includes(who);
        const refusal = who === 'anon' ? (spec.privateExistence ? [401, 404] : [401]) : [403, 404];
        const refused =
          refusal.includes(reply.status) || (reply.status < 300 && !!spec.refusedIn?.(reply.body));
        const ok =
          reply.status < 500 && (allowed ? ![401, 403, 404].includes(reply.status) && !refused : refused);
        if (!ok) {
          wrong.push(
            `${key} as ${who}: ${reply.status} (${allowed ? 'should be let through' : `should be ${refusal.join(' or ')}`}) ${JSON.stringify(reply.body).slice(0, 200)}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 600_000);
});
