import { sql } from 'kysely';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { verifyPassword } from './passwords.ts';
import { clientAt, securityEventsOf, staffMember, uniqueIp } from './people-test-helpers.ts';

describe('passwords and the second factor of one’s own account', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ trustProxy: true });
  });
  afterAll(() => app.close());

  async function signedInAdmin() {
    const community = await buildCommunity(app);
    const staff = await staffMember(app, '社区书记', [
      { role: 'community_admin', unitId: community.community.id },
    ]);
    const publicClient = clientAt(app, uniqueIp());
    const { client } = await publicClient.login(staff.username, staff.password);
    return { community, staff, publicClient, client: client! };
  }

  const passwordHashOf = async (userId: string) =>
    (
      await app.db
        .selectFrom('users')
        .select('password_hash')
        .where('id', '=', userId)
        .executeTakeFirstOrThrow()
    ).password_hash!;

  describe('changing the password', () => {
    it('needs the current password, keeps this session and ends the others', async () => {
      const { staff, publicClient, client } = await signedInAdmin();
      const { client: otherDevice } = await publicClient.login(staff.username, staff.password);
      const changed = await client.post('/api/me/password', {
        currentPassword: staff.password,
        newPassword: 'Shequ#Fuwu2026',
      });
      expect(changed.status).toBe(200);
      expect(changed.body.passwordChangedAt).not.toBeNull();
      expect(await verifyPassword(await passwordHashOf(staff.id), 'Shequ#Fuwu2026')).toBe(true);
      expect((await client.get('/api/me')).status).toBe(200);
      expect((await otherDevice!.get('/api/me')).status).toBe(401);
      expect((await publicClient.login(staff.username, staff.password)).reply.status).toBe(401);
      expect((await publicClient.login(staff.username, 'Shequ#Fuwu2026')).reply.status).toBe(200);
      const events = await securityEventsOf(app, staff.id);
      // The other device's session and the one the test factory opened.
      expect(events.find((e) => e.action === 'password_changed')?.details).toEqual({ otherSessionsEnded: 2 });
    });

    it('counts a wrong current password toward the lockout and changes nothing', async () => {
      const { staff, client } = await signedInAdmin();
      const before = await passwordHashOf(staff.id);
      const wrong = await client.post('/api/me/password', {
        currentPassword: 'Not#MyPassword1',
        newPassword: 'Shequ#Fuwu2026',
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('wrong_password');
      expect(wrong.body.error.details.attemptsLeft).toBe(4);
      expect(await passwordHashOf(staff.id)).toBe(before);
      for (let attempt = 2; attempt <= 4; attempt++) {
        await client.post('/api/me/password', {
          currentPassword: 'Not#MyPassword1',
          newPassword: 'Shequ#Fuwu2026',
        });
      }
      const fifth = await client.post('/api/me/password', {
        currentPassword: 'Not#MyPassword1',
        newPassword: 'Shequ#Fuwu2026',
      });
      expect(fifth.status).toBe(423);
    });

    it('refuses a new password that breaks the rules, listing each problem in both languages', async () => {
      const { staff, client } = await signedInAdmin();
      const before = await passwordHashOf(staff.id);
      const weak = await client.post('/api/me/password', {
        currentPassword: staff.password,
        newPassword: 'abc123',
      });
      expect(weak.status).toBe(422);
      expect(weak.body.error.code).toBe('weak_password');
      expect(weak.body.error.details.problems.map((p: { code: string }) => p.code)).toEqual([
        'too_short',
        'too_few_classes',
      ]);
      expect(weak.body.error.messages.zh).toContain('密码至少需要 8 个字符');
      expect(weak.body.error.messages.en).toContain('at least 8 characters');

      const withName = await client.post('/api/me/password', {
        currentPassword: staff.password,
        newPassword: `X#1${staff.username.toUpperCase()}`,
      });
      expect(withName.status).toBe(422);
      expect(withName.body.error.details.problems[0].code).toBe('contains_username');

      const same = await client.post('/api/me/password', {
        currentPassword: staff.password,
        newPassword: staff.password,
      });
      expect(same.status).toBe(422);
      expect(same.body.error.code).toBe('same_password');
      expect(await passwordHashOf(staff.id)).toBe(before);
    });

    it('has nothing to change for a resident, who signs in by code', async () => {
      const community = await buildCommunity(app);
      const reply = await community.people.resident.client.post('/api/me/password', {
        currentPassword: 'whatever',
        newPassword: 'Shequ#Fuwu2026',
      });
      expect(reply.status).toBe(422);
      expect(reply.body.error.code).toBe('no_password');
    });

    it('changes the name others see', async () => {
      const { client, staff } = await signedInAdmin();
      const renamed = await client.patch('/api/me', { displayName: '王书记' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.displayName).toBe('王书记');
      const again = await client.get('/api/me');
      expect(again.body.displayName).toBe('王书记');
      expect((await client.patch('/api/me', { displayName: '' })).status).toBe(400);
      expect((await client.patch('/api/me', { displayName: 'x', kind: 'resident' })).status).toBe(400);
      expect(again.body.id).toBe(staff.id);
    });
  });

  describe('the TOTP second factor', () => {
    async function enableTotp(client: Awaited<ReturnType<typeof signedInAdmin>>['client'], password: string) {
      const setup = await client.post('/api/me/totp/setup', { password });
      expect(setup.status).toBe(200);
      expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
      expect(setup.body.otpauthUri).toContain(`secret=${setup.body.secret}`);
      const confirm = await client.post('/api/me/totp/confirm', {
        code: await generate({ secret: setup.body.secret }),
      });
      expect(confirm.status).toBe(200);
      expect(confirm.body.totpEnabled).toBe(true);
      return setup.body.secret as string;
    }

    // A code from an earlier time step: valid (within the drift allowed) and not yet used.
    const earlierCode = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) - 30 });

    it('is required at sign-in once confirmed, and a code is never accepted twice', async () => {
      const { staff, publicClient, client } = await signedInAdmin();
      const secret = await enableTotp(client, staff.password);

      const withoutCode = await publicClient.login(staff.username, staff.password);
      expect(withoutCode.reply.status).toBe(401);
      expect(withoutCode.reply.body.error.code).toBe('totp_required');
      expect(withoutCode.reply.headers['set-cookie']).toBeUndefined();

      const wrong = await publicClient.login(staff.username, staff.password, '000000');
      expect(wrong.reply.status).toBe(401);
      expect(wrong.reply.body.error.code).toBe('invalid_totp');
      expect(wrong.reply.body.error.details.attemptsLeft).toBe(4);

      // The confirming code used the current step: only a later one may sign in. Move the account's
      // last accepted step back one, as if the confirmation had happened 30 seconds ago.
      await app.db
        .updateTable('users')
        .set({ totp_last_step: sql`totp_last_step - 2` })
        .where('id', '=', staff.id)
        .execute();
      const code = await earlierCode(secret);
      const right = await publicClient.login(staff.username, staff.password, code);
      expect(right.reply.status).toBe(200);
      expect(right.reply.body.me.totpEnabled).toBe(true);
      const replay = await publicClient.login(staff.username, staff.password, code);
      expect(replay.reply.status).toBe(401);
      expect(replay.reply.body.error.code).toBe('invalid_totp');
      const events = await securityEventsOf(app, staff.id);
      expect(events.some((e) => e.action === 'totp_enabled')).toBe(true);
      expect(events.some((e) => e.action === 'login' && (e.details as any).method === 'password+totp')).toBe(
        true,
      );
    });

    it('asks for the password before offering a secret, and only the confirmed secret counts', async () => {
      const { staff, publicClient, client } = await signedInAdmin();
      const wrong = await client.post('/api/me/totp/setup', { password: 'Not#MyPassword1' });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('wrong_password');
      const setup = await client.post('/api/me/totp/setup', { password: staff.password });
      expect(setup.status).toBe(200);
      // Not confirmed yet: sign-in does not ask for a code.
      expect((await publicClient.login(staff.username, staff.password)).reply.status).toBe(200);
      const badConfirm = await client.post('/api/me/totp/confirm', { code: '000000' });
      expect(badConfirm.status).toBe(422);
      expect(badConfirm.body.error.code).toBe('invalid_totp');
      const confirmWithoutSetup = await (
        await signedInAdmin()
      ).client.post('/api/me/totp/confirm', {
        code: '123456',
      });
      expect(confirmWithoutSetup.status).toBe(409);
      expect(confirmWithoutSetup.body.error.code).toBe('totp_not_set_up');
    });

    it('can be turned off with the password and a fresh code', async () => {
      const { staff, publicClient, client } = await signedInAdmin();
      const secret = await enableTotp(client, staff.password);
      expect((await client.post('/api/me/totp/setup', { password: staff.password })).status).toBe(409);
      await app.db
        .updateTable('users')
        .set({ totp_last_step: sql`totp_last_step - 2` })
        .where('id', '=', staff.id)
        .execute();
      const off = await client.post('/api/me/totp/disable', {
        password: staff.password,
        code: await earlierCode(secret),
      });
      expect(off.status).toBe(200);
      expect(off.body.totpEnabled).toBe(false);
      expect((await publicClient.login(staff.username, staff.password)).reply.status).toBe(200);
    });

    it('is reset by an administrator when the phone is lost, signing the account out', async () => {
      const { staff, publicClient, client, community } = await signedInAdmin();
      await enableTotp(client, staff.password);
      const streetAdmin = community.people.streetAdmin.client;
      const reset = await streetAdmin.post(`/api/users/${staff.id}/reset-totp`, { reason: '手机丢失' });
      expect(reset.status).toBe(200);
      expect(reset.body.totpEnabled).toBe(false);
      expect((await client.get('/api/me')).status).toBe(401);
      expect((await publicClient.login(staff.username, staff.password)).reply.status).toBe(200);
    });
  });

  describe('a password set by an administrator', () => {
    it('must be changed before anything else works', async () => {
      const community = await buildCommunity(app);
      const created = await community.people.communityAdmin.client.post('/api/users', {
        username: `gw${Date.now()}`,
        displayName: '新网格员',
        password: 'Chushi#Mima2026',
        roles: [{ role: 'grid_worker', unitId: community.grid.id }],
      });
      expect(created.status).toBe(201);
      expect(created.body.mustChangePassword).toBe(true);

      const publicClient = clientAt(app, uniqueIp());
      const { reply, client } = await publicClient.login(created.body.username, 'Chushi#Mima2026');
      expect(reply.status).toBe(200);
      expect(reply.body.me.mustChangePassword).toBe(true);
      expect((await client!.get('/api/me')).status).toBe(200);
      const blocked = await client!.get('/api/users');
      expect(blocked.status).toBe(403);
      expect(blocked.body.error.code).toBe('password_change_required');

      const changed = await client!.post('/api/me/password', {
        currentPassword: 'Chushi#Mima2026',
        newPassword: 'Wangge#Xunluo2026',
      });
      expect(changed.status).toBe(200);
      expect(changed.body.mustChangePassword).toBe(false);
      const me = await client!.get('/api/me');
      expect(me.status).toBe(200);
      expect(me.body.mustChangePassword).toBe(false);
      expect((await client!.get('/api/me/notifications')).status).toBe(200);
    });
  });
});
