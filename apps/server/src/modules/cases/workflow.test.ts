import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, createTestUser } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { act, checkCaseChain, notificationsOf, report } from './case-test-helpers.ts';

describe('case workflow over HTTP', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('takes a resident report through the closed loop to closure, every step journaled', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, handler, gridWorker } = c.people;

    const created = await report(resident.client, c);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      state: 'reported',
      source: 'resident',
      gridId: c.grid.id,
      communityId: c.community.id,
      streetId: c.street.id,
      org: { id: c.teams.sanitation },
      version: 1,
      allowedActions: [],
    });
    expect(created.body.code).toMatch(/^\d{8}-\d{6}$/);
    expect(created.body.dueAt).not.toBeNull();

    const adminView = await communityAdmin.client.get(`/api/cases/${id}`);
    expect(adminView.body.allowedActions).toEqual(
      expect.arrayContaining(['accept', 'reject', 'merge', 'note', 'remind', 'assign-grid']),
    );

    const accepted = await act(communityAdmin.client, id, 'accept', { expectedVersion: 1 });
    expect(accepted).toMatchObject({ state: 'accepted', version: 2 });
    expect(accepted.acceptedAt).not.toBeNull();

    const dispatched = await act(communityAdmin.client, id, 'dispatch', { note: '请今天清运' });
    expect(dispatched).toMatchObject({
      state: 'dispatched',
      org: { id: c.teams.sanitation, name: '环卫保洁队' },
    });
    expect(dispatched.handleDueAt).not.toBeNull();
    expect(dispatched.dueAt).toBe(dispatched.handleDueAt);

    const handlerView = await handler.client.get(`/api/cases/${id}`);
    expect(handlerView.body.allowedActions).toEqual(expect.arrayContaining(['start', 'return', 'note']));

    const started = await act(handler.client, id, 'start');
    expect(started.state).toBe('in_progress');
    const handled = await act(handler.client, id, 'submit', { result: '已清运垃圾并冲洗地面' });
    expect(handled).toMatchObject({ state: 'handled', resultSummary: '已清运垃圾并冲洗地面' });

    const verified = await act(gridWorker.client, id, 'verify', { passed: true, note: '现场已清理干净' });
    expect(verified.state).toBe('follow_up');

    const residentView = await resident.client.get(`/api/cases/${id}`);
    expect(residentView.body.allowedActions).toEqual(['rate']);
    const closed = await act(resident.client, id, 'rate', { rating: 'satisfied', comment: '很及时' });
    expect(closed).toMatchObject({ state: 'closed', rating: 'satisfied', dueAt: null, allowedActions: [] });
    expect(closed.closedAt).not.toBeNull();

    const detail = await resident.client.get(`/api/cases/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.timeline.map((e: { action: string }) => e.action)).toEqual([
      'report',
      'accept',
      'dispatch',
      'start',
      'submit',
      'verify',
      'rate',
    ]);
    expect(detail.body.timeline.at(-1)).toMatchObject({
      fromState: 'follow_up',
      toState: 'closed',
      label: { zh: '评价：满意', en: 'Rated: satisfied' },
      details: { rating: 'satisfied', comment: '很及时' },
    });
    // a resident sees who acted by role, and only their own name
    expect(detail.body.timeline[1].actor).toEqual({ id: null, name: null, role: 'community_admin' });
    expect(detail.body.timeline[6].actor).toMatchObject({ id: resident.id, name: '张三', role: 'resident' });

    const chain = await checkCaseChain(app, id);
    expect(chain.problems).toEqual([]);
    expect(chain.actions).toHaveLength(7);

    const told = await notificationsOf(app, resident.id, id);
    expect(told.map((n) => n.kind)).toEqual(['case.accepted', 'case.handled']);
    expect(told[0]!.title_zh).toContain(created.body.code);
    expect((await notificationsOf(app, handler.id, id)).map((n) => n.kind)).toContain('case.dispatched');
  });

  it('sends an unsatisfied case back to its organisation for rework', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, handler, gridWorker } = c.people;
    const id = (await report(resident.client, c)).body.id;
    await act(communityAdmin.client, id, 'accept');
    await act(communityAdmin.client, id, 'dispatch');
    await act(handler.client, id, 'start');
    await act(handler.client, id, 'submit', { result: '已清运' });
    await act(gridWorker.client, id, 'verify', { passed: true });

    const reworked = await act(resident.client, id, 'rate', { rating: 'unsatisfied', comment: '还有残留' });
    expect(reworked).toMatchObject({
      state: 'dispatched',
      reworkCount: 1,
      rating: 'unsatisfied',
      org: { id: c.teams.sanitation },
      handledAt: null,
      closedAt: null,
    });
    expect(reworked.handleDueAt).not.toBeNull();
    // the organisation hears of the rework; the reporter, who asked for it, is not told their own words
    expect((await notificationsOf(app, handler.id, id)).map((n) => n.kind)).toContain('case.rework');
    expect((await notificationsOf(app, resident.id, id)).map((n) => n.kind)).not.toContain('case.rework');

    // the second round closes it
    await act(handler.client, id, 'start');
    await act(handler.client, id, 'submit', { result: '再次清理，无残留' });
    await act(gridWorker.client, id, 'verify', { passed: true });
    const closed = await act(resident.client, id, 'rate', { rating: 'basically_satisfied' });
    expect(closed).toMatchObject({ state: 'closed', reworkCount: 1, rating: 'basically_satisfied' });
    const chain = await checkCaseChain(app, id);
    expect(chain.problems).toEqual([]);
    expect(chain.actions.filter((a) => a === 'rate')).toHaveLength(2);
  });

  it('sends a case back for rework when the on-site check fails', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, handler, gridWorker } = c.people;
    const id = (await report(resident.client, c)).body.id;
    await act(communityAdmin.client, id, 'accept');
    await act(communityAdmin.client, id, 'dispatch');
    await act(handler.client, id, 'start');
    await act(handler.client, id, 'submit', { result: '已处理' });
    const failed = await act(gridWorker.client, id, 'verify', { passed: false, note: '垃圾仍在' });
    expect(failed).toMatchObject({ state: 'dispatched', reworkCount: 1 });
    expect((await notificationsOf(app, resident.id, id)).map((n) => n.kind)).toEqual([
      'case.accepted',
      'case.handled',
      'case.rework',
    ]);
    const detail = await communityAdmin.client.get(`/api/cases/${id}`);
    expect(detail.body.timeline.at(-1)).toMatchObject({
      action: 'verify',
      fromState: 'handled',
      toState: 'dispatched',
      label: { zh: '核查不通过，返工' },
      details: { passed: false, note: '垃圾仍在' },
    });
  });

  it('rejects a report with a reason the reporter is told, and allows nothing more but notes', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin } = c.people;
    const id = (await report(resident.client, c)).body.id;
    const tooShort = await communityAdmin.client.post(`/api/cases/${id}/reject`, { reason: ' ' });
    expect(tooShort.status).toBe(400);

    const rejected = await act(communityAdmin.client, id, 'reject', {
      reason: '属于市政道路，已转12345热线',
    });
    expect(rejected).toMatchObject({
      state: 'rejected',
      rejectReason: '属于市政道路，已转12345热线',
      dueAt: null,
    });
    expect(rejected.allowedActions).toEqual(['note']);
    expect((await notificationsOf(app, resident.id, id)).map((n) => n.kind)).toEqual(['case.rejected']);

    const again = await communityAdmin.client.post(`/api/cases/${id}/accept`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({
      code: 'illegal_transition',
      details: { currentState: 'rejected', allowedActions: ['note'] },
    });
    expect(again.body.error.messages.zh).toMatch(/当前状态/);
    expect((await checkCaseChain(app, id)).problems).toEqual([]);
  });

  it('returns a wrongly dispatched case to the dispatcher, who dispatches it elsewhere', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, handler, mediator } = c.people;
    const id = (await report(resident.client, c)).body.id;
    await act(communityAdmin.client, id, 'accept');
    await act(communityAdmin.client, id, 'dispatch');
    const returned = await act(handler.client, id, 'return', { reason: '这是邻里纠纷，不属于保洁' });
    expect(returned).toMatchObject({ state: 'accepted', org: null });
    // the organisation that returned it no longer sees it
    expect((await handler.client.get(`/api/cases/${id}`)).status).toBe(403);
    expect((await notificationsOf(app, communityAdmin.id, id)).map((n) => n.kind)).toContain('case.returned');

    const redispatched = await act(communityAdmin.client, id, 'dispatch', {
      orgId: c.teams.mediation,
      assigneeId: mediator.id,
    });
    expect(redispatched).toMatchObject({
      state: 'dispatched',
      org: { id: c.teams.mediation },
      assignee: { id: mediator.id, name: '调解员' },
    });
    expect((await act(mediator.client, id, 'start')).state).toBe('in_progress');
  });

  it('lets a grid worker handle a case dispatched to them on the spot, but not check their own work', async () => {
    const c = await buildCommunity(app);
    const { communityAdmin, gridWorker } = c.people;
    const created = await report(gridWorker.client, c, {
      description: '井盖松动，已设置警示',
      categoryCode: '0204',
    });
    expect(created.body.source).toBe('patrol');
    const id = created.body.id;
    await act(communityAdmin.client, id, 'accept');
    await act(communityAdmin.client, id, 'dispatch', { assigneeId: gridWorker.id });
    await act(gridWorker.client, id, 'start');
    await act(gridWorker.client, id, 'submit', { result: '已联系物业更换井盖' });

    const ownCheck = await gridWorker.client.post(`/api/cases/${id}/verify`, { passed: true });
    expect(ownCheck.status).toBe(403);
    expect(ownCheck.body.error.code).toBe('forbidden');
    await act(communityAdmin.client, id, 'verify', { passed: true });

    // nobody rates a patrol case in the app: the grid worker records a follow-up visit instead
    const rate = await gridWorker.client.post(`/api/cases/${id}/rate`, { rating: 'satisfied' });
    expect(rate.status).toBe(403);
    const closed = await act(gridWorker.client, id, 'follow-up', { method: 'visit', rating: 'satisfied' });
    expect(closed.state).toBe('closed');
    const detail = await communityAdmin.client.get(`/api/cases/${id}`);
    expect(detail.body.timeline.at(-1).label).toEqual({
      zh: '上门回访：满意',
      en: 'Follow-up visit: satisfied',
    });
    expect((await checkCaseChain(app, id)).problems).toEqual([]);
  });

  it('refuses dispatch to an organisation of another street or an assignee who cannot take it', async () => {
    const c = await buildCommunity(app);
    const other = await buildCommunity(app);
    const { resident, communityAdmin, otherResident } = c.people;
    const id = (await report(resident.client, c)).body.id;
    await act(communityAdmin.client, id, 'accept');
    const foreign = await communityAdmin.client.post(`/api/cases/${id}/dispatch`, {
      orgId: other.teams.sanitation,
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.code).toBe('unknown_org');
    const notStaff = await communityAdmin.client.post(`/api/cases/${id}/dispatch`, {
      assigneeId: otherResident.id,
    });
    expect(notStaff.status).toBe(422);
    expect(notStaff.body.error.code).toBe('assignee_not_eligible');
    const row = await app.db
      .selectFrom('cases')
      .select(['state', 'version'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'accepted', version: 2 });
  });

  it('merges a duplicate into an open case and records it on both', async () => {
    const c = await buildCommunity(app);
    const { resident, otherResident, communityAdmin } = c.people;
    const first = (await report(resident.client, c)).body;
    const duplicate = (await report(otherResident.client, c, { description: '东门垃圾没人管' })).body;
    await act(communityAdmin.client, first.id, 'accept');

    const self = await communityAdmin.client.post(`/api/cases/${duplicate.id}/merge`, {
      intoCaseId: duplicate.id,
    });
    expect(self.status).toBe(422);

    const merged = await act(communityAdmin.client, duplicate.id, 'merge', { intoCaseId: first.id });
    expect(merged).toMatchObject({ state: 'merged', mergedIntoId: first.id, dueAt: null });
    expect((await notificationsOf(app, otherResident.id, duplicate.id)).map((n) => n.kind)).toEqual([
      'case.merged',
    ]);

    const target = await checkCaseChain(app, first.id);
    expect(target.problems).toEqual([]);
    expect(target.actions).toEqual(['report', 'accept', 'absorb']);
    expect(target.entries.at(-1)!.payload).toMatchObject({
      mergedCaseId: duplicate.id,
      mergedCode: duplicate.code,
    });
    expect((await checkCaseChain(app, duplicate.id)).problems).toEqual([]);

    // a case that has ended takes no more duplicates
    const third = (await report(resident.client, c, { description: '又是东门垃圾' })).body;
    const intoMerged = await communityAdmin.client.post(`/api/cases/${third.id}/merge`, {
      intoCaseId: duplicate.id,
    });
    expect(intoMerged.status).toBe(422);
    expect(intoMerged.body.error.code).toBe('merge_target_closed');
    expect((await checkCaseChain(app, third.id)).actions).toEqual(['report']);
  });

  it('answers 403 to the wrong role and to staff outside the subtree, 404 to other residents', async () => {
    const c = await buildCommunity(app);
    const elsewhere = await buildCommunity(app);
    const { resident, otherResident, handler, otherGridWorker, communityAdmin } = c.people;
    const id = (await report(resident.client, c)).body.id;

    const byHandler = await handler.client.post(`/api/cases/${id}/accept`, {});
    expect(byHandler.status).toBe(403);
    const byReporter = await resident.client.post(`/api/cases/${id}/accept`, {});
    expect(byReporter.status).toBe(403);
    expect(byReporter.body.error.details.allowedActions).toEqual([]);

    expect((await otherGridWorker.client.get(`/api/cases/${id}`)).status).toBe(403);
    expect((await elsewhere.people.communityAdmin.client.post(`/api/cases/${id}/accept`, {})).status).toBe(
      403,
    );
    expect((await elsewhere.people.streetAdmin.client.get(`/api/cases/${id}`)).status).toBe(403);

    const nosy = await otherResident.client.get(`/api/cases/${id}`);
    expect(nosy.status).toBe(404);
    expect(nosy.body.error.messages).toEqual({ zh: '事件不存在', en: 'Case not found' });
    expect((await otherResident.client.post(`/api/cases/${id}/rate`, { rating: 'satisfied' })).status).toBe(
      404,
    );
    expect((await c.public.get(`/api/cases/${id}`)).status).toBe(404);
    expect((await c.public.post(`/api/cases/${id}/accept`, {})).status).toBe(401);

    const missing = await communityAdmin.client.get(`/api/cases/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
    const row = await app.db
      .selectFrom('cases')
      .select('state')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('reported');
  });

  it('refuses a transition the state does not allow with the current state and allowed actions', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin } = c.people;
    const id = (await report(resident.client, c)).body.id;
    const early = await communityAdmin.client.post(`/api/cases/${id}/verify`, { passed: true });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('illegal_transition');
    expect(early.body.error.details.currentState).toBe('reported');
    expect(early.body.error.details.allowedActions).toEqual(
      expect.arrayContaining(['accept', 'reject', 'merge', 'note']),
    );
    expect(early.body.error.details.allowedActions).not.toContain('verify');
  });

  it('refuses a stale version with the current one and changes nothing', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, streetAdmin } = c.people;
    const id = (await report(resident.client, c)).body.id;
    await act(communityAdmin.client, id, 'accept', { expectedVersion: 1 });
    const stale = await streetAdmin.client.post(`/api/cases/${id}/reject`, {
      expectedVersion: 1,
      reason: '不属于受理范围',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'stale_version', details: { currentVersion: 2 } });
    const { actions } = await checkCaseChain(app, id);
    expect(actions).toEqual(['report', 'accept']);
  });

  it('keeps notes for staff: residents do not see them and cannot write them', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin } = c.people;
    const id = (await report(resident.client, c)).body.id;
    const noted = await act(communityAdmin.client, id, 'note', { text: '已电话联系物业经理' });
    expect(noted.version).toBe(1);
    expect((await resident.client.post(`/api/cases/${id}/note`, { text: '请快点' })).status).toBe(403);
    const staffView = await communityAdmin.client.get(`/api/cases/${id}`);
    expect(staffView.body.timeline.at(-1)).toMatchObject({
      action: 'note',
      details: { text: '已电话联系物业经理' },
    });
    const residentView = await resident.client.get(`/api/cases/${id}`);
    expect(residentView.body.timeline.map((e: { action: string }) => e.action)).toEqual(['report']);
  });

  it('escalates by hand one level at a time and notifies the admins of that level', async () => {
    const c = await buildCommunity(app);
    const { resident, communityAdmin, streetAdmin } = c.people;
    const id = (await report(resident.client, c)).body.id;
    const once = await act(streetAdmin.client, id, 'escalate', { reason: '网格内三天未处理' });
    expect(once).toMatchObject({ escalationLevel: 1, escalatedToUnitId: c.community.id });
    expect((await notificationsOf(app, communityAdmin.id, id)).map((n) => n.kind)).toEqual([
      'case.escalated',
    ]);
    const twice = await act(communityAdmin.client, id, 'escalate', { reason: '社区协调不了，请街道督办' });
    expect(twice).toMatchObject({ escalationLevel: 2, escalatedToUnitId: c.street.id });
    expect((await notificationsOf(app, streetAdmin.id, id)).map((n) => n.kind)).toEqual(['case.escalated']);
    // at the street there is no level above
    expect(twice.allowedActions).not.toContain('escalate');
    expect(
      (await communityAdmin.client.post(`/api/cases/${id}/escalate`, { reason: '再次督办' })).status,
    ).toBe(403);
    expect((await checkCaseChain(app, id)).problems).toEqual([]);
  });

  it('lets another admin of the street act through a street-level role', async () => {
    const c = await buildCommunity(app);
    const deputy = await createTestUser(app, {
      name: '副主任',
      roles: [{ role: 'street_admin', unitId: c.street.id }],
    });
    const id = (await report(c.people.resident.client, c)).body.id;
    expect((await act(deputy.client, id, 'accept')).state).toBe('accepted');
    const { entries } = await checkCaseChain(app, id);
    expect(entries[1]).toMatchObject({ actor_id: deputy.id, actor_role: 'street_admin' });
  });
});
