import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { inTransaction } from '../../db/transaction.ts';
import { notifyUsers } from './notify-users.ts';
import { clientAt, staffMember, uniqueIp } from './people-test-helpers.ts';

describe('the signed-in person', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ trustProxy: true });
  });
  afterAll(() => app.close());

  it('shows roles with their units, capabilities for the menus and a masked phone', async () => {
    const community = await buildCommunity(app);
    const admin = community.people.communityAdmin;
    const me = await admin.client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      id: admin.id,
      kind: 'staff',
      displayName: '社区管理员',
      phone: `${admin.phone.slice(0, 3)}****${admin.phone.slice(-4)}`,
      needsCommunity: false,
      mustChangePassword: false,
      totpEnabled: false,
    });
    expect(me.body.roles).toEqual([
      {
        id: expect.any(String),
        role: 'community_admin',
        roleName: { zh: '社区/村管理员', en: 'Community administrator' },
        unit: {
          id: community.community.id,
          name: '测试社区',
          kind: 'community',
          code: community.community.code,
        },
        org: null,
      },
    ]);
    expect(me.body.capabilities).toEqual(
      expect.arrayContaining(['case.accept', 'case.dispatch', 'user.manage', 'figures.view']),
    );
    expect(me.body.capabilities).not.toContain('security_log.view');
    expect(me.body.allowedActions).toEqual(
      expect.arrayContaining(['change-password', 'setup-totp', 'sign-out']),
    );
    expect(JSON.stringify(me.body)).not.toContain(admin.phone);
  });

  it('gives each role its own capabilities: a handler acts for its organisation, an auditor reads', async () => {
    const community = await buildCommunity(app);
    const handler = await community.people.handler.client.get('/api/me');
    expect(handler.body.roles[0].org).toEqual({ id: community.teams.sanitation, name: '环卫保洁队' });
    expect(handler.body.capabilities).toEqual(['case.handle', 'case.report', 'journal.verify']);
    const auditor = await community.people.auditor.client.get('/api/me');
    expect(auditor.body.capabilities).toEqual(
      expect.arrayContaining(['security_log.view', 'user.view', 'figures.view']),
    );
    expect(auditor.body.capabilities).not.toContain('user.manage');
    const resident = await community.people.resident.client.get('/api/me');
    expect(resident.body.capabilities).toEqual(['case.report', 'case.view_own', 'journal.verify']);
    expect(resident.body.allowedActions).toContain('choose-community');
    expect(resident.body.allowedActions).not.toContain('change-password');
  });

  describe('notifications', () => {
    async function inbox() {
      const community = await buildCommunity(app);
      const worker = community.people.gridWorker;
      const ids = await inTransaction(app.db, (trx) =>
        notifyUsers(
          trx,
          [1, 2, 3].map((n) => ({
            userId: worker.id,
            kind: 'case_dispatched',
            recordType: 'case',
            recordId: crypto.randomUUID(),
            title: { zh: `事件 ${n} 已派遣给您`, en: `Case ${n} was dispatched to you` },
          })),
        ),
      );
      // Spread them in time so the order is certain.
      for (const [index, id] of ids.entries()) {
        await app.db
          .updateTable('notifications')
          .set({ created_at: sql`now() - make_interval(mins => ${10 - index})` })
          .where('id', '=', id)
          .execute();
      }
      return { community, worker, ids };
    }

    it('lists the inbox newest first with the unread count, a page at a time', async () => {
      const { worker, ids } = await inbox();
      const first = await worker.client.get('/api/me/notifications?limit=2');
      expect(first.status).toBe(200);
      expect(first.body.unreadCount).toBe(3);
      expect(first.body.items.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
      expect(first.body.items[0]).toMatchObject({
        kind: 'case_dispatched',
        recordType: 'case',
        title: { zh: '事件 3 已派遣给您', en: 'Case 3 was dispatched to you' },
        readAt: null,
        allowedActions: ['mark-read'],
      });
      const second = await worker.client.get(`/api/me/notifications?limit=2&cursor=${first.body.nextCursor}`);
      expect(second.body.items.map((n: { id: string }) => n.id)).toEqual([ids[0]]);
      expect(second.body.nextCursor).toBeNull();
      expect((await worker.client.get('/api/me/notifications?cursor=bm9wZQ')).status).toBe(400);
      expect((await worker.client.get('/api/me/notifications?unread=true')).status).toBe(400);
    });

    it('marks one read, then all, and keeps each person to their own inbox', async () => {
      const { community, worker, ids } = await inbox();
      const read = await worker.client.post(`/api/me/notifications/${ids[1]}/read`, {});
      expect(read.status).toBe(200);
      expect(read.body.readAt).not.toBeNull();
      expect(read.body.allowedActions).toEqual([]);
      const unread = await worker.client.get('/api/me/notifications?unreadOnly=true');
      expect(unread.body.items.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[0]]);
      expect(unread.body.unreadCount).toBe(2);

      const someoneElse = await community.people.otherGridWorker.client.post(
        `/api/me/notifications/${ids[0]}/read`,
        {},
      );
      expect(someoneElse.status).toBe(404);

      const all = await worker.client.post('/api/me/notifications/read-all', {});
      expect(all.body).toEqual({ updated: 2 });
      expect((await worker.client.get('/api/me/notifications')).body.unreadCount).toBe(0);
    });

    it('belongs to signed-in people only', async () => {
      const reply = await clientAt(app, uniqueIp()).post('/api/me/notifications/read-all', {});
      expect(reply.status).toBe(401);
    });
  });

  describe('the security log', () => {
    it('shows auditors the sign-ins and account changes of their street, never to others', async () => {
      const community = await buildCommunity(app);
      const other = await buildCommunity(app);
      const worker = await staffMember(app, '网格员', [{ role: 'grid_worker', unitId: community.grid.id }]);
      const stranger = await staffMember(app, '外街网格员', [{ role: 'grid_worker', unitId: other.grid.id }]);
      const publicClient = clientAt(app, uniqueIp());
      await publicClient.login(worker.username, 'Wrong#Password1');
      await publicClient.login(worker.username, worker.password);
      await publicClient.login(stranger.username, stranger.password);
      await community.people.communityAdmin.client.patch(`/api/users/${worker.id}`, {
        displayName: '网格员钱七',
      });

      const log = await community.people.auditor.client.get(`/api/security-events?subjectId=${worker.id}`);
      expect(log.status).toBe(200);
      expect(
        log.body.items.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`),
      ).toEqual(['account_updated:success', 'login:success', 'login:failure']);
      expect(log.body.items[0].actor).toEqual({ id: community.people.communityAdmin.id, name: '社区管理员' });
      expect(log.body.items[2].details).toMatchObject({ reason: 'wrong_password', failures: 1 });
      expect(log.body.items[1].ip).toBe(publicClient.ip);
      const strangers = await community.people.auditor.client.get(
        `/api/security-events?subjectId=${stranger.id}`,
      );
      expect(strangers.body.items).toEqual([]);
      const logins = await community.people.auditor.client.get('/api/security-events?action=login&limit=1');
      expect(logins.body.items).toHaveLength(1);
      expect(logins.body.nextCursor).not.toBeNull();

      expect((await community.people.communityAdmin.client.get('/api/security-events')).status).toBe(403);
      expect((await community.people.resident.client.get('/api/security-events')).status).toBe(403);
    });

    it('cannot be edited or deleted, even in SQL', async () => {
      const community = await buildCommunity(app);
      await community.people.communityAdmin.client.patch(`/api/users/${community.people.gridWorker.id}`, {
        displayName: '改名',
      });
      await expect(
        app.db
          .updateTable('security_events')
          .set({ action: 'nothing' })
          .where('subject_id', '=', community.people.gridWorker.id)
          .execute(),
      ).rejects.toThrow(/append-only/);
      await expect(
        app.db
          .deleteFrom('security_events')
          .where('subject_id', '=', community.people.gridWorker.id)
          .execute(),
      ).rejects.toThrow(/append-only/);
    });
  });
});
