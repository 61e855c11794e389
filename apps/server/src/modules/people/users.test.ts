import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, Client } from '../../../test/harness.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { clientAt, securityEventsOf, staffMember, uniqueIp, usernameOf } from './people-test-helpers.ts';

describe('users administration', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ trustProxy: true });
  });
  afterAll(() => app.close());

  const ids = (reply: { body: { items: { id: string }[] } }) => reply.body.items.map((item) => item.id);
  const masked = (phone: string) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

  function newStaffBody(community: TestCommunity, overrides: Record<string, unknown> = {}) {
    return {
      username: `staff${Date.now()}${Math.floor(Math.random() * 1000)}`,
      displayName: '新同事',
      password: 'Chushi#Mima2026',
      roles: [{ role: 'grid_worker', unitId: community.grid.id }],
      ...overrides,
    };
  }

  describe('listing and reading accounts', () => {
    it('shows a community admin the accounts of its community only, phones masked', async () => {
      const community = await buildCommunity(app);
      const other = await buildCommunity(app);
      const { people } = community;
      const reply = await people.communityAdmin.client.get('/api/users?limit=200');
      expect(reply.status).toBe(200);
      const listed = ids(reply);
      for (const person of [people.gridWorker, people.otherGridWorker, people.handler, people.resident]) {
        expect(listed).toContain(person.id);
      }
      // The street admin and the auditor hold their roles above the community.
      expect(listed).not.toContain(people.streetAdmin.id);
      expect(listed).not.toContain(people.auditor.id);
      expect(listed).not.toContain(other.people.resident.id);
      const resident = reply.body.items.find((item: { id: string }) => item.id === people.resident.id);
      expect(resident.phone).toBe(masked(people.resident.phone));
      expect(JSON.stringify(reply.body)).not.toContain(people.resident.phone);
    });

    it('shows the street admin and the auditor the whole street', async () => {
      const community = await buildCommunity(app);
      const { people } = community;
      for (const viewer of [people.streetAdmin, people.auditor]) {
        const listed = ids(await viewer.client.get('/api/users?limit=200'));
        expect(listed).toContain(people.communityAdmin.id);
        expect(listed).toContain(people.resident.id);
      }
    });

    it('searches by name, by complete mobile number, by role, kind and unit, and pages with a cursor', async () => {
      const community = await buildCommunity(app);
      const { people } = community;
      const admin = people.streetAdmin.client;
      expect(ids(await admin.get(`/api/users?q=${encodeURIComponent('调解')}`))).toEqual([
        people.mediator.id,
      ]);
      expect(ids(await admin.get(`/api/users?q=${people.resident.phone}`))).toEqual([people.resident.id]);
      // Partial numbers are not searched: numbers are only ever looked up by their blind index.
      expect(ids(await admin.get(`/api/users?q=${people.resident.phone.slice(0, 7)}`))).toEqual([]);
      const workers = ids(await admin.get('/api/users?role=grid_worker'));
      expect(workers.sort()).toEqual([people.gridWorker.id, people.otherGridWorker.id].sort());
      const inGrid = ids(await admin.get(`/api/users?unitId=${community.grids[1]!.id}`));
      expect(inGrid).toEqual([people.otherGridWorker.id]);
      const residents = ids(await admin.get('/api/users?kind=resident'));
      expect(residents.sort()).toEqual([people.resident.id, people.otherResident.id].sort());

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await admin.get(`/api/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(3);
        seen.push(...ids(page));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(ids(await admin.get('/api/users?limit=200')).length);
      expect((await admin.get('/api/users?cursor=bm90LWEtdXVpZA')).status).toBe(400);
      expect((await admin.get('/api/users?role=mayor')).status).toBe(400);
    });

    it('refuses the list to people without an administering or auditing role', async () => {
      const community = await buildCommunity(app);
      expect((await community.people.gridWorker.client.get('/api/users')).status).toBe(403);
      expect((await community.people.resident.client.get('/api/users')).status).toBe(403);
      expect((await new Client(app).get('/api/users')).status).toBe(401);
    });

    it('answers 404 for an account outside the caller’s scope, and lists what the caller may do', async () => {
      const community = await buildCommunity(app);
      const other = await buildCommunity(app);
      const { people } = community;
      const outside = await people.communityAdmin.client.get(`/api/users/${other.people.resident.id}`);
      expect(outside.status).toBe(404);
      const inside = await people.communityAdmin.client.get(`/api/users/${people.gridWorker.id}`);
      expect(inside.status).toBe(200);
      expect(inside.body.allowedActions).toEqual(
        expect.arrayContaining(['update', 'deactivate', 'grant-role', 'reset-password', 'reveal-phone']),
      );
      expect(inside.body.roles[0].allowedActions).toEqual(['revoke']);
      const asAuditor = await people.auditor.client.get(`/api/users/${people.gridWorker.id}`);
      expect(asAuditor.status).toBe(200);
      expect(asAuditor.body.allowedActions).toEqual([]);
      expect(asAuditor.body.roles[0].allowedActions).toEqual([]);
      // A community admin does not administer its street admin.
      const above = await people.streetAdmin.client.get(`/api/users/${people.communityAdmin.id}`);
      expect(above.body.allowedActions).toContain('deactivate');
    });
  });

  describe('creating staff accounts', () => {
    it('creates a staff account with its roles; the owner must change the password', async () => {
      const community = await buildCommunity(app);
      const body = newStaffBody(community, { phone: '+86 170 1234 5678' });
      const created = await community.people.communityAdmin.client.post('/api/users', body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        kind: 'staff',
        username: body.username,
        displayName: '新同事',
        phone: '170****5678',
        isActive: true,
        mustChangePassword: true,
      });
      expect(created.body.roles).toEqual([
        expect.objectContaining({
          role: 'grid_worker',
          unit: expect.objectContaining({ id: community.grid.id, kind: 'grid' }),
          grantedBy: { id: community.people.communityAdmin.id, name: '社区管理员' },
        }),
      ]);
      const events = await securityEventsOf(app, created.body.id);
      expect(events.map((e) => e.action)).toEqual(['account_created', 'role_granted']);
      expect(events[0]!.actor_id).toBe(community.people.communityAdmin.id);
    });

    it('lower-cases the username and refuses one already taken', async () => {
      const community = await buildCommunity(app);
      const admin = community.people.communityAdmin.client;
      const body = newStaffBody(community);
      const created = await admin.post('/api/users', { ...body, username: body.username.toUpperCase() });
      expect(created.status).toBe(201);
      expect(created.body.username).toBe(body.username);
      const again = await admin.post('/api/users', body);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('username_taken');
      const samePhone = await admin.post('/api/users', {
        ...newStaffBody(community),
        phone: community.people.resident.phone,
      });
      expect(samePhone.status).toBe(409);
      expect(samePhone.body.error.code).toBe('phone_taken');
    });

    it('refuses a weak initial password, a role above the caller’s and unknown fields, writing nothing', async () => {
      const community = await buildCommunity(app);
      const admin = community.people.communityAdmin.client;
      const weak = newStaffBody(community, { password: 'password' });
      expect((await admin.post('/api/users', weak)).body.error.code).toBe('weak_password');
      const above = newStaffBody(community, {
        roles: [{ role: 'street_admin', unitId: community.street.id }],
      });
      const aboveReply = await admin.post('/api/users', above);
      expect(aboveReply.status).toBe(403);
      const extra = { ...newStaffBody(community), isActive: false };
      expect((await admin.post('/api/users', extra)).status).toBe(400);
      const noRoles = newStaffBody(community, { roles: [] });
      expect((await admin.post('/api/users', noRoles)).status).toBe(400);
      const written = await app.db
        .selectFrom('users')
        .select('id')
        .where('username', 'in', [weak.username, above.username, extra.username, noRoles.username])
        .execute();
      expect(written).toEqual([]);
    });

    it('refuses an auditor, who only reads', async () => {
      const community = await buildCommunity(app);
      const reply = await community.people.auditor.client.post('/api/users', newStaffBody(community));
      expect(reply.status).toBe(403);
    });
  });

  describe('changing accounts', () => {
    it('corrects a name, and refuses to let anyone administer their own account', async () => {
      const community = await buildCommunity(app);
      const admin = community.people.communityAdmin;
      const renamed = await admin.client.patch(`/api/users/${community.people.gridWorker.id}`, {
        displayName: '网格员赵六',
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body.displayName).toBe('网格员赵六');
      const self = await admin.client.post(`/api/users/${admin.id}/deactivate`, { reason: '测试自己' });
      expect(self.status).toBe(422);
      expect(self.body.error.code).toBe('own_account');
    });

    it('deactivates an account: its sessions end at once, sign-in is refused, nothing is deleted', async () => {
      const community = await buildCommunity(app);
      const worker = await staffMember(app, '网格员', [{ role: 'grid_worker', unitId: community.grid.id }]);
      const publicClient = clientAt(app, uniqueIp());
      const { client: workerSession } = await publicClient.login(worker.username, worker.password);
      expect((await workerSession!.get('/api/me')).status).toBe(200);

      const admin = community.people.communityAdmin.client;
      const deactivated = await admin.post(`/api/users/${worker.id}/deactivate`, { reason: '调离本社区' });
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.isActive).toBe(false);
      expect(deactivated.body.deactivatedAt).not.toBeNull();
      expect(deactivated.body.allowedActions).toContain('reactivate');
      expect(deactivated.body.roles).toHaveLength(1);

      expect((await workerSession!.get('/api/me')).status).toBe(401);
      expect((await worker.client.get('/api/me')).status).toBe(401);
      expect((await publicClient.login(worker.username, worker.password)).reply.body.error.code).toBe(
        'account_disabled',
      );
      const sessions = await app.db
        .selectFrom('sessions')
        .select('revoked_at')
        .where('user_id', '=', worker.id)
        .execute();
      expect(sessions.every((session) => session.revoked_at !== null)).toBe(true);
      const events = await securityEventsOf(app, worker.id);
      expect(events.find((e) => e.action === 'account_deactivated')?.details).toEqual({
        reason: '调离本社区',
        sessionsEnded: 2,
      });
      expect(
        (
          await admin.post(`/api/users/${worker.id}/roles`, {
            role: 'handler',
            unitId: community.community.id,
            orgId: community.teams.sanitation,
          })
        ).status,
      ).toBe(409);

      const back = await admin.post(`/api/users/${worker.id}/reactivate`, { reason: '返回本社区' });
      expect(back.status).toBe(200);
      expect(back.body.isActive).toBe(true);
      expect((await publicClient.login(worker.username, worker.password)).reply.status).toBe(200);
    });

    it('unlocks a locked account before its 30 minutes are up', async () => {
      const community = await buildCommunity(app);
      const worker = await staffMember(app, '网格员', [{ role: 'grid_worker', unitId: community.grid.id }]);
      const publicClient = clientAt(app, uniqueIp());
      for (let attempt = 0; attempt < 5; attempt++)
        await publicClient.login(worker.username, 'Wrong#Password1');
      const admin = community.people.communityAdmin.client;
      const locked = await admin.get(`/api/users/${worker.id}`);
      expect(locked.body.lockedUntil).not.toBeNull();
      expect(locked.body.allowedActions).toContain('unlock');
      const unlocked = await admin.post(`/api/users/${worker.id}/unlock`, {});
      expect(unlocked.status).toBe(200);
      expect(unlocked.body.lockedUntil).toBeNull();
      expect((await publicClient.login(worker.username, worker.password)).reply.status).toBe(200);
    });

    it('resets a forgotten password: temporary, to be changed, and every session ends', async () => {
      const community = await buildCommunity(app);
      const worker = await staffMember(app, '网格员', [{ role: 'grid_worker', unitId: community.grid.id }]);
      const admin = community.people.communityAdmin.client;
      const weak = await admin.post(`/api/users/${worker.id}/reset-password`, { newPassword: 'abcdefgh' });
      expect(weak.status).toBe(422);
      const reset = await admin.post(`/api/users/${worker.id}/reset-password`, {
        newPassword: 'Linshi#Mima2026',
      });
      expect(reset.status).toBe(200);
      expect(reset.body.mustChangePassword).toBe(true);
      expect((await worker.client.get('/api/me')).status).toBe(401);
      const publicClient = clientAt(app, uniqueIp());
      expect((await publicClient.login(worker.username, worker.password)).reply.status).toBe(401);
      const { reply } = await publicClient.login(worker.username, 'Linshi#Mima2026');
      expect(reply.status).toBe(200);
      expect(reply.body.me.mustChangePassword).toBe(true);
      const resident = await admin.post(`/api/users/${community.people.resident.id}/reset-password`, {
        newPassword: 'Linshi#Mima2026',
      });
      expect(resident.body.error.code).toBe('no_password');
    });

    it('refuses a community admin the account of someone holding a role it cannot grant', async () => {
      const community = await buildCommunity(app);
      const bookkeeper = await staffMember(app, '报账员', [
        { role: 'bookkeeper', unitId: community.community.id },
        { role: 'resident', unitId: community.community.id },
      ]);
      const admin = community.people.communityAdmin.client;
      const view = await admin.get(`/api/users/${bookkeeper.id}`);
      expect(view.status).toBe(200);
      expect(view.body.allowedActions).not.toContain('deactivate');
      const attempt = await admin.post(`/api/users/${bookkeeper.id}/deactivate`, { reason: '试图停用' });
      expect(attempt.status).toBe(403);
      const street = await community.people.streetAdmin.client.post(
        `/api/users/${bookkeeper.id}/deactivate`,
        {
          reason: '岗位调整',
        },
      );
      expect(street.status).toBe(200);
    });

    it('refuses writes outside the caller’s scope with 404 and to an auditor with 403', async () => {
      const community = await buildCommunity(app);
      const other = await buildCommunity(app);
      const outside = await community.people.communityAdmin.client.patch(
        `/api/users/${other.people.gridWorker.id}`,
        {
          displayName: '改名',
        },
      );
      expect(outside.status).toBe(404);
      const auditor = await community.people.auditor.client.patch(
        `/api/users/${community.people.gridWorker.id}`,
        {
          displayName: '改名',
        },
      );
      expect(auditor.status).toBe(403);
      const username = await usernameOf(app, other.people.gridWorker.id);
      const row = await app.db
        .selectFrom('users')
        .select('display_name')
        .where('username', '=', username)
        .executeTakeFirstOrThrow();
      expect(row.display_name).toBe('网格员');
    });
  });

  describe('revealing a phone number', () => {
    it('shows the full number for a stated purpose and writes the access log', async () => {
      const community = await buildCommunity(app);
      const admin = community.people.communityAdmin;
      const reply = await admin.client.post(`/api/users/${community.people.resident.id}/reveal`, {
        purpose: '回访居民反映的问题',
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ phone: community.people.resident.phone });
      const log = await app.db
        .selectFrom('access_log')
        .selectAll()
        .where('record_type', '=', 'user')
        .where('record_id', '=', community.people.resident.id)
        .execute();
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({
        actor_id: admin.id,
        action: 'reveal',
        fields: ['phone'],
        purpose: '回访居民反映的问题',
      });
    });

    it('refuses without a purpose, to roles that do not need numbers, and outside the scope', async () => {
      const community = await buildCommunity(app);
      const other = await buildCommunity(app);
      const target = community.people.resident.id;
      const { people } = community;
      expect((await people.communityAdmin.client.post(`/api/users/${target}/reveal`, {})).status).toBe(400);
      expect(
        (await people.auditor.client.post(`/api/users/${target}/reveal`, { purpose: '随便看看' })).status,
      ).toBe(403);
      expect(
        (await people.gridWorker.client.post(`/api/users/${target}/reveal`, { purpose: '随便看看' })).status,
      ).toBe(404);
      expect(
        (
          await other.people.communityAdmin.client.post(`/api/users/${target}/reveal`, {
            purpose: '随便看看',
          })
        ).status,
      ).toBe(404);
      const log = await app.db
        .selectFrom('access_log')
        .select('id')
        .where('record_id', '=', target)
        .execute();
      expect(log).toEqual([]);
    });
  });
});
