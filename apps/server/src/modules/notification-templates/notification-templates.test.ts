import type { NotificationPreview, NotificationTemplate, NotificationTemplates } from '@minqing/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, createTestUser } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { insertUnit } from '../areas/repository.ts';
import { act, notificationsOf, report } from '../cases/case-test-helpers.ts';
import { verifyJournal } from '../journal/verify-journal.ts';

describe('notification templates (通知模板)', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  const item = (list: NotificationTemplates, key: string) => list.items.find((i) => i.key === key)!;

  it('ships Chinese defaults, lets a street override them, a community inherit or override, and reset', async () => {
    const c = await buildCommunity(app);
    const { streetAdmin, communityAdmin, resident, handler, auditor } = c.people;

    const initial = await communityAdmin.client.get<NotificationTemplates>(
      `/api/notification-templates?unitId=${c.community.id}`,
    );
    expect(initial.status).toBe(200);
    expect(item(initial.body, 'reporter.accepted')).toMatchObject({
      source: 'default',
      textZh: '您上报的事件 {案件编号} 已受理',
      version: 0,
      allowedActions: ['update'],
    });
    expect(initial.body.placeholders.map((p) => p.zh)).toEqual(['案件编号', '类别', '时限', '地址']);

    // The street sets its text: the community inherits it.
    const street = await streetAdmin.client.put<NotificationTemplate>(
      `/api/notification-templates/${c.street.id}/reporter.accepted`,
      {
        textZh: '街道通知：{案件编号}（{类别}）已受理',
        textEn: 'Street: {code} ({category}) accepted',
        expectedVersion: 0,
      },
    );
    expect(street.status).toBe(200);
    expect(street.body).toMatchObject({ source: 'own', version: 1, allowedActions: ['update', 'reset'] });
    const inherited = await communityAdmin.client.get<NotificationTemplates>(
      `/api/notification-templates?unitId=${c.community.id}`,
    );
    expect(item(inherited.body, 'reporter.accepted')).toMatchObject({
      source: 'inherited',
      sourceUnit: { id: c.street.id },
      textZh: '街道通知：{案件编号}（{类别}）已受理',
    });
    // A community admin cannot edit the street's template.
    const notTheirs = await communityAdmin.client.put(
      `/api/notification-templates/${c.street.id}/reporter.accepted`,
      { textZh: '改', textEn: 'x', expectedVersion: 1 },
    );
    expect([403, 404]).toContain(notTheirs.status);

    // The resident's notice on acceptance uses the street's text, filled from the case.
    const first = (await report(resident.client, c)).body;
    await act(communityAdmin.client, first.id, 'accept', { expectedVersion: 1 });
    const notices = await notificationsOf(app, resident.id, first.id);
    const category = await app.db
      .selectFrom('case_categories')
      .select(['name_zh', 'name_en'])
      .where('code', '=', '0101')
      .executeTakeFirstOrThrow();
    expect(notices).toContainEqual({
      kind: 'case.accepted',
      title_zh: `街道通知：${first.code}（${category.name_zh}）已受理`,
      title_en: `Street: ${first.code} (${category.name_en}) accepted`,
    });

    // The community overrides the handler's dispatch notice with the deadline.
    const own = await communityAdmin.client.put<NotificationTemplate>(
      `/api/notification-templates/${c.community.id}/handler.dispatched`,
      {
        textZh: '请于 {时限} 前处置 {案件编号}，地址：{地址}',
        textEn: 'Handle {code} by {deadline} at {address}',
        expectedVersion: 0,
      },
    );
    expect(own.status).toBe(200);
    const dispatched = await act(communityAdmin.client, first.id, 'dispatch', {});
    const handlerNotice = (await notificationsOf(app, handler.id, first.id)).find(
      (n) => n.kind === 'case.dispatched',
    )!;
    expect(handlerNotice.title_zh).toMatch(/^请于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 前处置 /);
    expect(handlerNotice.title_zh).toContain(`${dispatched.code}，地址：幸福小区东门`);

    // A stale version is refused; reset returns the community to the street's / default text.
    const stale = await communityAdmin.client.put(
      `/api/notification-templates/${c.community.id}/handler.dispatched`,
      { textZh: '旧版本', textEn: 'old', expectedVersion: 0 },
    );
    expect(stale.status).toBe(409);
    const reset = await communityAdmin.client.post<NotificationTemplate>(
      `/api/notification-templates/${c.community.id}/handler.dispatched/reset`,
      { expectedVersion: 1 },
    );
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({
      source: 'default',
      version: 2,
      textZh: '新派遣事件 {案件编号}，请按时处置',
    });
    const again = await communityAdmin.client.post(
      `/api/notification-templates/${c.community.id}/handler.dispatched/reset`,
      { expectedVersion: 2 },
    );
    expect(again.status).toBe(422);

    // The auditor reads but does not edit; an admin of another street does not see the unit.
    expect((await auditor.client.get(`/api/notification-templates?unitId=${c.community.id}`)).status).toBe(
      200,
    );
    expect(
      (
        await auditor.client.put(`/api/notification-templates/${c.community.id}/reporter.closed`, {
          textZh: '办结 {案件编号}',
          textEn: 'Closed {code}',
          expectedVersion: 0,
        })
      ).status,
    ).toBe(403);
    const other = await buildCommunity(app);
    expect(
      (await other.people.streetAdmin.client.get(`/api/notification-templates?unitId=${c.community.id}`))
        .status,
    ).toBe(404);
    // Templates live at streets and communities, not grids.
    const atGrid = await communityAdmin.client.get(`/api/notification-templates?unitId=${c.grid.id}`);
    expect(atGrid.status).toBe(422);

    // Every edit is in the journal, and the journal verifies.
    const entries = await app.db
      .selectFrom('journal_entries')
      .select(['action', 'actor_role'])
      .where('record_type', '=', 'notification_template')
      .where('street_id', '=', c.street.id)
      .orderBy('id')
      .execute();
    expect(entries).toEqual([
      { action: 'update', actor_role: 'street_admin' },
      { action: 'update', actor_role: 'community_admin' },
      { action: 'reset', actor_role: 'community_admin' },
    ]);
    const verified = await verifyJournal(app.db, { streetId: c.street.id });
    expect(verified.problems).toEqual([]);
    expect(verified.isValid).toBe(true);
  });

  it('refuses unknown placeholders and over-long texts, naming them in both languages', async () => {
    const c = await buildCommunity(app);
    const { communityAdmin } = c.people;
    const bad = await communityAdmin.client.put(
      `/api/notification-templates/${c.community.id}/reporter.closed`,
      { textZh: '事件 {编号} 已办结', textEn: 'Case {code} closed {when', expectedVersion: 0 },
    );
    expect(bad.status).toBe(400);
    const issues = bad.body.error.details.issues as { path: string; messageZh: string; messageEn: string }[];
    const zh = issues.find((i) => i.path.endsWith('textZh'))!;
    expect(zh.messageZh).toContain('未知占位符 {编号}');
    expect(zh.messageEn).toContain('unknown placeholder {编号}');
    expect(issues.find((i) => i.path.endsWith('textEn'))!.messageZh).toContain('花括号不成对');
    const long = await communityAdmin.client.put(
      `/api/notification-templates/${c.community.id}/reporter.closed`,
      { textZh: '长'.repeat(201), textEn: 'x', expectedVersion: 0 },
    );
    expect(long.status).toBe(400);
    expect(JSON.stringify(long.body)).toContain('最多 200 个字符');
    const unknownKey = await communityAdmin.client.put(
      `/api/notification-templates/${c.community.id}/reporter.nope`,
      { textZh: '事件', textEn: 'x', expectedVersion: 0 },
    );
    expect(unknownKey.status).toBe(400);
  });

  it('previews a text with a sample case of the unit, or a made-up one when it has none', async () => {
    const c = await buildCommunity(app);
    const { communityAdmin, resident } = c.people;
    const empty = await communityAdmin.client.post<NotificationPreview>(
      '/api/notification-templates/preview',
      {
        unitId: c.community.id,
        key: 'staff.reminder',
        textZh: '催办 {案件编号}（{类别}），时限 {时限}',
        textEn: 'Remind {code} ({category}) by {deadline}',
      },
    );
    expect(empty.status).toBe(200);
    expect(empty.body.zh).toBe('催办 20260101-000001（暴露垃圾），时限 2026-01-02 17:30');
    const created = (await report(resident.client, c)).body;
    const sample = await communityAdmin.client.post<NotificationPreview>(
      '/api/notification-templates/preview',
      {
        unitId: c.community.id,
        key: 'staff.reminder',
        textZh: '催办 {案件编号}',
        textEn: 'Remind {code}',
      },
    );
    expect(sample.body).toMatchObject({ zh: `催办 ${created.code}`, en: `Remind ${created.code}` });
    const wrong = await communityAdmin.client.post('/api/notification-templates/preview', {
      unitId: c.community.id,
      key: 'staff.reminder',
      textZh: '催办 {who}',
      textEn: 'Remind',
    });
    expect(wrong.status).toBe(400);
  });

  it('a community of a street inherits from the street, a second community keeps its own', async () => {
    const c = await buildCommunity(app);
    const second = await insertUnit(app.db, {
      parentId: c.street.id,
      kind: 'community',
      code: `${c.street.code}-T2`,
      name: '第二社区',
    });
    const admin2 = await createTestUser(app, {
      name: '第二社区管理员',
      roles: [{ role: 'community_admin', unitId: second.id }],
    });
    await admin2.client.put(`/api/notification-templates/${second.id}/reporter.closed`, {
      textZh: '第二社区：{案件编号} 已办结',
      textEn: 'Second: {code} closed',
      expectedVersion: 0,
    });
    await c.people.streetAdmin.client.put(`/api/notification-templates/${c.street.id}/reporter.closed`, {
      textZh: '街道：{案件编号} 已办结',
      textEn: 'Street: {code} closed',
      expectedVersion: 0,
    });
    const first = await c.people.communityAdmin.client.get<NotificationTemplates>(
      `/api/notification-templates?unitId=${c.community.id}`,
    );
    const secondList = await admin2.client.get<NotificationTemplates>(
      `/api/notification-templates?unitId=${second.id}`,
    );
    expect(item(first.body, 'reporter.closed').textZh).toBe('街道：{案件编号} 已办结');
    expect(item(secondList.body, 'reporter.closed')).toMatchObject({
      source: 'own',
      textZh: '第二社区：{案件编号} 已办结',
    });
  });
});
