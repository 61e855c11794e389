import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { loadActor } from '../people/sessions.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { act, checkCaseChain, notificationsOf, report } from './case-test-helpers.ts';
import { performCaseAction } from './case-actions.ts';
import { createCase } from './create-case.ts';
import { RE_ESCALATION_INTERVAL } from './deadlines.ts';
import { runSchedulerOnce } from './run-scheduler.ts';

const minute = 60_000;
const after = (iso: string, ms = minute) => new Date(new Date(iso).getTime() + ms);

describe('deadline scheduler', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  async function caseRow(id: string) {
    return app.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  it('reminds before the deadline, escalates grid → community → street when overdue, and again later', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, streetAdmin } = c.people;
    const created = (await report(resident.client, c)).body;
    const scope = { streetId: c.street.id };

    expect(await runSchedulerOnce(app, new Date(), scope)).toMatchObject({ reminded: 0, escalated: 0 });

    const justBefore = new Date(new Date(created.dueAt!).getTime() - minute);
    expect(await runSchedulerOnce(app, justBefore, scope)).toMatchObject({
      ran: true,
      reminded: 1,
      escalated: 0,
    });
    expect((await caseRow(created.id)).reminded_at).toEqual(justBefore);
    expect((await notificationsOf(app, communityAdmin.id, created.id)).map((n) => n.kind)).toEqual([
      'case.reminder',
    ]);
    // nothing more to do until the deadline
    expect(await runSchedulerOnce(app, justBefore, scope)).toMatchObject({ reminded: 0, escalated: 0 });

    const overdue = after(created.dueAt!);
    expect(await runSchedulerOnce(app, overdue, scope)).toMatchObject({ escalated: 1 });
    let row = await caseRow(created.id);
    expect(row).toMatchObject({
      escalation_level: 1,
      escalated_to_unit_id: c.community.id,
      was_overdue: true,
    });
    expect((await notificationsOf(app, communityAdmin.id, created.id)).map((n) => n.kind)).toEqual([
      'case.reminder',
      'case.escalated',
    ]);
    const calendar = await app.calendar.get();
    expect(row.next_check_at).toEqual(calendar.add(overdue, RE_ESCALATION_INTERVAL));
    const escalatedToMe = async (client: typeof communityAdmin.client) =>
      ((await client.get('/api/cases?escalatedToMe=true')).body.items as { id: string }[]).map((i) => i.id);
    expect(await escalatedToMe(communityAdmin.client)).toEqual([created.id]);
    expect(await escalatedToMe(streetAdmin.client)).toEqual([]);

    // still open two working days later: up to the street
    const later = new Date(row.next_check_at!.getTime() + minute);
    expect(await runSchedulerOnce(app, later, scope)).toMatchObject({ escalated: 1 });
    row = await caseRow(created.id);
    expect(row).toMatchObject({ escalation_level: 2, escalated_to_unit_id: c.street.id });
    expect((await notificationsOf(app, streetAdmin.id, created.id)).map((n) => n.kind)).toEqual([
      'case.escalated',
    ]);
    expect(await escalatedToMe(streetAdmin.client)).toEqual([created.id]);

    // at the street, the street is reminded again (重复督办)
    const again = new Date(row.next_check_at!.getTime() + minute);
    expect(await runSchedulerOnce(app, again, scope)).toMatchObject({ escalated: 1 });
    expect((await caseRow(created.id)).escalation_level).toBe(3);
    expect(await notificationsOf(app, streetAdmin.id, created.id)).toHaveLength(2);

    const detail = await communityAdmin.client.get(`/api/cases/${created.id}`);
    // isOverdue compares with the real clock, which has not reached the scheduler's future yet
    expect(detail.body).toMatchObject({ isOverdue: false, wasOverdue: true, escalationLevel: 3 });
    expect(detail.body.timeline.map((e: { action: string }) => e.action)).toEqual([
      'report',
      'remind',
      'escalate',
      'escalate',
      'escalate',
    ]);
    expect(detail.body.timeline[2]).toMatchObject({
      actor: { id: null, role: 'system' },
      label: { zh: '督办', en: 'Escalated' },
      details: { automatic: true, toUnitId: c.community.id, level: 1 },
    });
    const chain = await checkCaseChain(app, created.id);
    expect(chain.problems).toEqual([]);

    // accepting starts over: no more checks of the old deadline
    await act(communityAdmin.client, created.id, 'accept');
    expect(await runSchedulerOnce(app, again, scope)).toMatchObject({ escalated: 0, reminded: 0 });
  });

  it('closes a case whose follow-up window ends without a rating', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, handler, gridWorker } = c.people;
    const id = (await report(resident.client, c)).body.id;
    await act(communityAdmin.client, id, 'accept');
    await act(communityAdmin.client, id, 'dispatch');
    await act(handler.client, id, 'start');
    await act(handler.client, id, 'submit', { result: '已清运' });
    const followUp = await act(gridWorker.client, id, 'verify', { passed: true });
    expect(followUp.state).toBe('follow_up');
    const scope = { streetId: c.street.id };

    // no reminders or escalations during follow-up: it simply ends
    const before = new Date(new Date(followUp.dueAt!).getTime() - minute);
    expect(await runSchedulerOnce(app, before, scope)).toMatchObject({
      reminded: 0,
      escalated: 0,
      closed: 0,
    });
    expect(await runSchedulerOnce(app, after(followUp.dueAt!), scope)).toMatchObject({ closed: 1 });

    const closed = await resident.client.get(`/api/cases/${id}`);
    expect(closed.body).toMatchObject({ state: 'closed', rating: null, allowedActions: [] });
    expect(closed.body.timeline.at(-1)).toMatchObject({
      action: 'timeout',
      label: { zh: '回访期满，自动办结' },
      actor: { role: 'system' },
      toState: 'closed',
    });
    expect((await notificationsOf(app, resident.id, id)).map((n) => n.kind)).toContain('case.closed');
    expect((await checkCaseChain(app, id)).problems).toEqual([]);
  });

  it('keeps its state in the database: another server process picks up where the first stopped', async () => {
    const first = await buildTestApp();
    const c = await buildCommunity(first);
    const created = (await report(c.people.resident.client, c)).body;
    await first.close();

    const second = await buildTestApp();
    try {
      const report = await runSchedulerOnce(second, after(created.dueAt!), { streetId: c.street.id });
      expect(report).toMatchObject({ escalated: 1 });
      expect((await caseRow(created.id)).escalated_to_unit_id).toBe(c.community.id);
    } finally {
      await second.close();
    }
  });

  it.runIf(process.env.MINQING_TEST_BACKEND === 'postgres')(
    'does nothing while another process holds the scheduler lock',
    async () => {
      const c = await buildCommunity(app);
      const created = (await report(c.people.resident.client, c)).body;
      const lock = `minqing:case-scheduler:${c.street.id}`;
      const report_ = await app.db.connection().execute(async (conn) => {
        await sql`SELECT pg_advisory_lock(hashtextextended(${lock}, 0))`.execute(conn);
        try {
          return await runSchedulerOnce(app, after(created.dueAt!), { streetId: c.street.id });
        } finally {
          await sql`SELECT pg_advisory_unlock(hashtextextended(${lock}, 0))`.execute(conn);
        }
      });
      expect(report_).toEqual({ ran: false, reminded: 0, escalated: 0, closed: 0 });
      expect((await caseRow(created.id)).escalation_level).toBe(0);
      expect(await runSchedulerOnce(app, after(created.dueAt!), { streetId: c.street.id })).toMatchObject({
        ran: true,
        escalated: 1,
      });
    },
  );

  it('lets an admin remind the organisation handling a case', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, handler } = c.people;
    const id = (await report(resident.client, c)).body.id;
    await act(communityAdmin.client, id, 'accept');
    await act(communityAdmin.client, id, 'dispatch');
    const reminded = await act(communityAdmin.client, id, 'remind', { note: '居民多次来电' });
    expect(reminded.version).toBe(3);
    expect((await notificationsOf(app, handler.id, id)).map((n) => n.kind)).toEqual([
      'case.dispatched',
      'case.reminder',
    ]);
    expect((await caseRow(id)).reminded_at).not.toBeNull();
  });

  it('replays the past through the same use-cases, as the demo seeder does, into chains that verify', async () => {
    const c = await buildCommunity(app);
    const actorOf = async (id: string) => (await loadActor(app.db, id))!;
    const [resident, admin, handler, gridWorker] = await Promise.all([
      actorOf(c.people.resident.id),
      actorOf(c.people.communityAdmin.id),
      actorOf(c.people.handler.id),
      actorOf(c.people.gridWorker.id),
    ]);
    const start = new Date('2026-09-01T09:00:00+08:00');
    const hour = 3600_000;
    const at = (hours: number) => new Date(start.getTime() + hours * hour);
    const { case: created } = await createCase(
      app,
      resident,
      { categoryCode: '0101', description: '九月一日上报：垃圾堆放', location: c.pointIn(0) },
      { at: start },
    );
    expect(created.reportedAt).toBe(start.toISOString());
    expect(created.code).toMatch(/^20260901-/);
    // 2 working hours from 09:00 on a Tuesday
    expect(created.dueAt).toBe('2026-09-01T03:00:00.000Z');

    await performCaseAction(app, admin, created.id, 'accept', {}, { at: at(1) });
    await performCaseAction(app, admin, created.id, 'dispatch', {}, { at: at(1.5) });
    await performCaseAction(app, handler, created.id, 'start', {}, { at: at(5) });
    await performCaseAction(app, handler, created.id, 'submit', { result: '已清运' }, { at: at(28) });
    await performCaseAction(app, gridWorker, created.id, 'verify', { passed: true }, { at: at(30) });
    const closed = await performCaseAction(
      app,
      resident,
      created.id,
      'rate',
      { rating: 'satisfied' },
      { at: at(50) },
    );
    expect(closed).toMatchObject({ state: 'closed', closedAt: at(50).toISOString(), wasOverdue: true });

    const told = await app.db
      .selectFrom('notifications')
      .select(['kind', 'created_at'])
      .where('user_id', '=', resident.userId)
      .where('record_id', '=', created.id)
      .orderBy('created_at')
      .execute();
    expect(told).toEqual([
      { kind: 'case.accepted', created_at: at(1) },
      { kind: 'case.handled', created_at: at(28) },
    ]);

    const chain = await checkCaseChain(app, created.id);
    expect(chain.problems).toEqual([]);
    expect(chain.entries.map((e) => e.at.toISOString())).toEqual(
      [start, at(1), at(1.5), at(5), at(28), at(30), at(50)].map((d) => d.toISOString()),
    );
    expect(await runSchedulerOnce(app, new Date(), { streetId: c.street.id })).toMatchObject({
      reminded: 0,
      escalated: 0,
      closed: 0,
    });
  });
});
