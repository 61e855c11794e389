import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { sha256Hex } from '../../crypto/index.ts';
import { buildTestApp, Client } from '../../../test/harness.ts';
import { buildCommunity, TEST_PASSWORD } from '../../../test/factories.ts';
import {
  clientAt,
  securityEventsOf,
  sessionSetCookie,
  staffMember,
  uniqueIp,
} from './people-test-helpers.ts';
import { SESSION_COOKIE } from './sessions.ts';

describe('staff sign-in', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ trustProxy: true });
  });
  afterAll(() => app.close());

  async function gridWorker() {
    const community = await buildCommunity(app);
    return staffMember(app, '网格员王五', [{ role: 'grid_worker', unitId: community.grid.id }]);
  }

  it('signs in with username and password and sets an httpOnly, SameSite=Lax session cookie', async () => {
    const staff = await gridWorker();
    const { reply, client } = await clientAt(app, uniqueIp()).login(staff.username, staff.password);
    expect(reply.status).toBe(200);
    expect(reply.body.me).toMatchObject({ id: staff.id, kind: 'staff', username: staff.username });
    expect(reply.body.me.roles[0]).toMatchObject({ role: 'grid_worker', roleName: { zh: '网格员' } });
    expect(reply.body.isNewAccount).toBe(false);
    const cookie = sessionSetCookie(reply);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);

    const me = await client!.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(staff.id);
    const row = await app.db
      .selectFrom('users')
      .select('last_login_at')
      .where('id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(row.last_login_at).not.toBeNull();
  });

  it('marks the cookie Secure when minqing sits behind TLS (COOKIE_SECURE)', async () => {
    const secureApp = await buildTestApp({ trustProxy: true, cookieSecure: true });
    try {
      const community = await buildCommunity(secureApp);
      const staff = await staffMember(secureApp, '网格员', [
        { role: 'grid_worker', unitId: community.grid.id },
      ]);
      const { reply } = await clientAt(secureApp, uniqueIp()).login(staff.username, staff.password);
      expect(reply.status).toBe(200);
      expect(sessionSetCookie(reply)).toMatch(/; Secure/i);
    } finally {
      await secureApp.close();
    }
  });

  it('accepts the mobile number instead of the username, in any common spelling', async () => {
    const staff = await gridWorker();
    const spaced = `+86 ${staff.phone.slice(0, 3)} ${staff.phone.slice(3, 7)} ${staff.phone.slice(7)}`;
    const { reply } = await clientAt(app, uniqueIp()).login(spaced, staff.password);
    expect(reply.status).toBe(200);
    expect(reply.body.me.id).toBe(staff.id);
  });

  it('answers a wrong password and an unknown name alike', async () => {
    const staff = await gridWorker();
    const publicClient = clientAt(app, uniqueIp());
    const wrong = await publicClient.login(staff.username, 'Wrong#Password1');
    const unknown = await publicClient.login(`nobody${Date.now()}`, 'Wrong#Password1');
    expect(wrong.reply.status).toBe(401);
    expect(unknown.reply.status).toBe(401);
    expect(wrong.reply.body.error.code).toBe('invalid_credentials');
    expect(unknown.reply.body.error.code).toBe('invalid_credentials');
    expect(unknown.reply.body.error.messages).toEqual(wrong.reply.body.error.messages);
    expect(unknown.reply.body.error.details).toEqual(wrong.reply.body.error.details);
    expect(wrong.reply.body.error.details.attemptsLeft).toBe(4);
    expect(wrong.reply.body.error.messages.zh).toContain('用户名或密码错误');
    expect(wrong.reply.headers['set-cookie']).toBeUndefined();
  });

  it('locks the account for 30 minutes after five failures in a row, refusing even the right password', async () => {
    const staff = await gridWorker();
    const publicClient = clientAt(app, uniqueIp());
    for (let attempt = 1; attempt <= 4; attempt++) {
      const { reply } = await publicClient.login(staff.username, `Wrong#${attempt}abc`);
      expect(reply.status).toBe(401);
      expect(reply.body.error.details.attemptsLeft).toBe(5 - attempt);
    }
    const fifth = await publicClient.login(staff.username, 'Wrong#5abcd');
    expect(fifth.reply.status).toBe(423);
    expect(fifth.reply.body.error.code).toBe('account_locked');
    const lockedUntil = new Date(fifth.reply.body.error.details.lockedUntil).getTime();
    expect(lockedUntil - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(lockedUntil - Date.now()).toBeLessThanOrEqual(30 * 60_000 + 5_000);

    const right = await publicClient.login(staff.username, staff.password);
    expect(right.reply.status).toBe(423);
    expect(right.reply.body.error.details.lockedUntil).toBe(fifth.reply.body.error.details.lockedUntil);
    expect(right.reply.headers['set-cookie']).toBeUndefined();

    const events = await securityEventsOf(app, staff.id);
    expect(events.filter((e) => e.action === 'login' && e.outcome === 'failure')).toHaveLength(6);
    expect(events.filter((e) => e.action === 'login_locked')).toHaveLength(1);
    // The log holds reasons and counts, never what was typed.
    expect(JSON.stringify(events)).not.toContain('Wrong#');
    expect(JSON.stringify(events)).not.toContain(staff.password);
  });

  it('locks a name that matches no account in the same way, so a lockout reveals nothing', async () => {
    const publicClient = clientAt(app, uniqueIp());
    const name = `ghost${Date.now()}`;
    for (let attempt = 1; attempt <= 4; attempt++) {
      const { reply } = await publicClient.login(name, 'Wrong#Password1');
      expect(reply.status).toBe(401);
      expect(reply.body.error.details.attemptsLeft).toBe(5 - attempt);
    }
    const fifth = await publicClient.login(name, 'Wrong#Password1');
    expect(fifth.reply.status).toBe(423);
    expect(fifth.reply.body.error.code).toBe('account_locked');
    const sixth = await publicClient.login(name, 'Wrong#Password1');
    expect(sixth.reply.status).toBe(423);
  });

  it('lets the account in once the lock has run out, and counts afresh', async () => {
    const staff = await gridWorker();
    const publicClient = clientAt(app, uniqueIp());
    for (let attempt = 1; attempt <= 5; attempt++)
      await publicClient.login(staff.username, 'Wrong#Password1');
    await app.db
      .updateTable('users')
      .set({ locked_until: sql`now() - interval '1 second'` })
      .where('id', '=', staff.id)
      .execute();
    const wrongAfterLock = await publicClient.login(staff.username, 'Wrong#Password1');
    expect(wrongAfterLock.reply.status).toBe(401);
    expect(wrongAfterLock.reply.body.error.details.attemptsLeft).toBe(4);
    const right = await publicClient.login(staff.username, staff.password);
    expect(right.reply.status).toBe(200);
    const row = await app.db
      .selectFrom('users')
      .select(['failed_logins', 'locked_until'])
      .where('id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('starts the count again after a successful sign-in (only consecutive failures lock)', async () => {
    const staff = await gridWorker();
    const publicClient = clientAt(app, uniqueIp());
    for (let attempt = 1; attempt <= 4; attempt++)
      await publicClient.login(staff.username, 'Wrong#Password1');
    expect((await publicClient.login(staff.username, staff.password)).reply.status).toBe(200);
    for (let attempt = 1; attempt <= 4; attempt++) {
      const { reply } = await publicClient.login(staff.username, 'Wrong#Password1');
      expect(reply.status).toBe(401);
    }
  });

  it('tells a deactivated account so only after the right password', async () => {
    const staff = await gridWorker();
    await app.db.updateTable('users').set({ is_active: false }).where('id', '=', staff.id).execute();
    const publicClient = clientAt(app, uniqueIp());
    const wrong = await publicClient.login(staff.username, 'Wrong#Password1');
    expect(wrong.reply.status).toBe(401);
    expect(wrong.reply.body.error.code).toBe('invalid_credentials');
    const right = await publicClient.login(staff.username, staff.password);
    expect(right.reply.status).toBe(403);
    expect(right.reply.body.error.code).toBe('account_disabled');
  });

  it('does not let a resident account sign in with a password', async () => {
    const community = await buildCommunity(app);
    const { reply } = await clientAt(app, uniqueIp()).login(community.people.resident.phone, TEST_PASSWORD);
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('invalid_credentials');
  });

  it('refuses unknown fields and wrong types with a bilingual 400, counting no failure', async () => {
    const staff = await gridWorker();
    const publicClient = clientAt(app, uniqueIp());
    const extra = await publicClient.post('/api/auth/login', {
      login: staff.username,
      password: 'Wrong#Password1',
      rememberMe: true,
    });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('validation_failed');
    expect(extra.body.error.messages.zh).toBeTruthy();
    expect(extra.body.error.details.issues.length).toBeGreaterThan(0);
    const wrongType = await publicClient.post('/api/auth/login', {
      login: staff.username,
      password: 12345678,
    });
    expect(wrongType.status).toBe(400);
    const badTotp = await publicClient.post('/api/auth/login', {
      login: staff.username,
      password: 'x',
      totp: '12ab',
    });
    expect(badTotp.status).toBe(400);
    const row = await app.db
      .selectFrom('users')
      .select('failed_logins')
      .where('id', '=', staff.id)
      .executeTakeFirstOrThrow();
    expect(row.failed_logins).toBe(0);
  });

  it('signs out: the same cookie stops working at once and is cleared', async () => {
    const staff = await gridWorker();
    const { client } = await clientAt(app, uniqueIp()).login(staff.username, staff.password);
    expect((await client!.get('/api/me')).status).toBe(200);
    const out = await client!.post('/api/auth/logout');
    expect(out.status).toBe(200);
    expect(sessionSetCookie(out)).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    const after = await client!.get('/api/me');
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('unauthenticated');
    const events = await securityEventsOf(app, staff.id);
    expect(events.map((e) => e.action)).toContain('logout');
  });

  it('ends a staff session after 30 idle minutes and keeps one used within them', async () => {
    const staff = await gridWorker();
    const publicClient = clientAt(app, uniqueIp());
    const idle = await publicClient.login(staff.username, staff.password);
    const recent = await publicClient.login(staff.username, staff.password);
    const tokenHash = (reply: typeof idle.reply) =>
      sha256Hex(sessionSetCookie(reply).split(';')[0]!.split('=')[1]!);
    await app.db
      .updateTable('sessions')
      .set({ last_seen_at: sql`now() - interval '31 minutes'` })
      .where('token_hash', '=', tokenHash(idle.reply))
      .execute();
    await app.db
      .updateTable('sessions')
      .set({ last_seen_at: sql`now() - interval '29 minutes'` })
      .where('token_hash', '=', tokenHash(recent.reply))
      .execute();
    expect((await idle.client!.get('/api/me')).status).toBe(401);
    expect((await recent.client!.get('/api/me')).status).toBe(200);
  });

  it('keeps a resident signed in on the phone through long idle spells', async () => {
    const community = await buildCommunity(app);
    const resident = community.people.resident;
    await app.db
      .updateTable('sessions')
      .set({ last_seen_at: sql`now() - interval '3 days'` })
      .where('user_id', '=', resident.id)
      .execute();
    app.sessions.forget(resident.id);
    expect((await resident.client.get('/api/me')).status).toBe(200);
  });

  it('rate-limits sign-in per client address, answering 429 with Retry-After', async () => {
    const publicClient = clientAt(app, uniqueIp());
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      statuses.push(
        (await publicClient.login(`flood${attempt}x${Date.now()}`, 'Wrong#Password1')).reply.status,
      );
    }
    expect(statuses.every((status) => status === 401)).toBe(true);
    const limited = await publicClient.login(`flood-last${Date.now()}`, 'Wrong#Password1');
    expect(limited.reply.status).toBe(429);
    expect(limited.reply.body.error.code).toBe('rate_limited');
    expect(Number(limited.reply.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.reply.body.error.details.retryAfterSeconds).toBe(
      Number(limited.reply.headers['retry-after']),
    );
    // Another address is not affected.
    const other = await clientAt(app, uniqueIp()).login(`someone${Date.now()}`, 'Wrong#Password1');
    expect(other.reply.status).toBe(401);
  });

  it('answers /api/me without a session with 401', async () => {
    const reply = await new Client(app).get('/api/me', { 'accept-language': 'en' });
    expect(reply.status).toBe(401);
    expect(reply.body.error.message).toBe('Please sign in first');
  });
});
