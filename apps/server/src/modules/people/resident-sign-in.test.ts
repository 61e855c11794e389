import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildCommunity, testPhone } from '../../../test/factories.ts';
import { clientAt, lastSmsCode, staffMember, uniqueIp } from './people-test-helpers.ts';

describe('resident sign-in by mobile and one-time code', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ trustProxy: true });
  });
  afterAll(() => app.close());

  const codeRowsOf = async (phone: string) =>
    app.db
      .selectFrom('login_codes')
      .selectAll()
      .where('phone_index', '=', app.fieldCipher.blindIndex(phone))
      .orderBy('created_at')
      .execute();

  it('sends a 6-digit code and creates the account at the first sign-in, phone encrypted and masked', async () => {
    const phone = testPhone();
    const publicClient = clientAt(app, uniqueIp());
    const sent = await publicClient.post('/api/auth/sms-code', { phone });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({
      phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      expiresInSeconds: 300,
      resendAfterSeconds: 60,
    });
    const code = lastSmsCode(app, phone);
    expect(code).toMatch(/^\d{6}$/);
    const [stored] = await codeRowsOf(phone);
    expect(stored!.code_hash).not.toContain(code);
    expect(stored!.expires_at.getTime() - stored!.created_at.getTime()).toBe(5 * 60_000);

    const { reply, client } = await publicClient.smsLogin(phone, code);
    expect(reply.status).toBe(200);
    expect(reply.body.isNewAccount).toBe(true);
    expect(reply.body.me).toMatchObject({
      kind: 'resident',
      phone: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
      needsCommunity: true,
      roles: [],
    });
    expect(reply.body.me.allowedActions).toContain('choose-community');

    const user = await app.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', reply.body.me.id)
      .executeTakeFirstOrThrow();
    expect(user.phone_enc).not.toContain(phone);
    expect(app.fieldCipher.decrypt(user.phone_enc!)).toBe(phone);
    expect(user.phone_index).toBe(app.fieldCipher.blindIndex(phone));
    expect(user.password_hash).toBeNull();
    expect((await client!.get('/api/me')).body.id).toBe(user.id);
  });

  it('signs an existing resident in to the same account, and a code works only once', async () => {
    const community = await buildCommunity(app);
    const resident = community.people.resident;
    const publicClient = clientAt(app, uniqueIp());
    await publicClient.post('/api/auth/sms-code', { phone: resident.phone });
    const code = lastSmsCode(app, resident.phone);
    const first = await publicClient.smsLogin(resident.phone, code);
    expect(first.reply.status).toBe(200);
    expect(first.reply.body.isNewAccount).toBe(false);
    expect(first.reply.body.me.id).toBe(resident.id);
    expect(first.reply.body.me.needsCommunity).toBe(false);
    const again = await publicClient.smsLogin(resident.phone, code);
    expect(again.reply.status).toBe(401);
    expect(again.reply.body.error.code).toBe('code_expired');
  });

  it('counts wrong guesses and spends the code after five', async () => {
    const phone = testPhone();
    const publicClient = clientAt(app, uniqueIp());
    await publicClient.post('/api/auth/sms-code', { phone });
    const code = lastSmsCode(app, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 4; attempt++) {
      const { reply } = await publicClient.smsLogin(phone, wrong);
      expect(reply.status).toBe(401);
      expect(reply.body.error.code).toBe('invalid_code');
      expect(reply.body.error.details.attemptsLeft).toBe(5 - attempt);
    }
    const fifth = await publicClient.smsLogin(phone, wrong);
    expect(fifth.reply.body.error.code).toBe('code_expired');
    const right = await publicClient.smsLogin(phone, code);
    expect(right.reply.status).toBe(401);
    expect(right.reply.body.error.code).toBe('code_expired');
    const [stored] = await codeRowsOf(phone);
    expect(stored!.attempts).toBe(5);
    const account = await app.db
      .selectFrom('users')
      .select('id')
      .where('phone_index', '=', app.fieldCipher.blindIndex(phone))
      .executeTakeFirst();
    expect(account).toBeUndefined();
  });

  it('refuses a code after its 5 minutes', async () => {
    const phone = testPhone();
    const publicClient = clientAt(app, uniqueIp());
    await publicClient.post('/api/auth/sms-code', { phone });
    const code = lastSmsCode(app, phone);
    await app.db
      .updateTable('login_codes')
      .set({ expires_at: sql`now() - interval '1 second'` })
      .where('phone_index', '=', app.fieldCipher.blindIndex(phone))
      .execute();
    const { reply } = await publicClient.smsLogin(phone, code);
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('code_expired');
    expect(reply.body.error.messages.zh).toContain('验证码已失效');
  });

  it('sends at most one code a minute per phone, and a new code replaces the old one', async () => {
    const phone = testPhone();
    const publicClient = clientAt(app, uniqueIp());
    expect((await publicClient.post('/api/auth/sms-code', { phone })).status).toBe(200);
    const firstCode = lastSmsCode(app, phone);
    const tooSoon = await clientAt(app, uniqueIp()).post('/api/auth/sms-code', { phone });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.body.error.code).toBe('rate_limited');
    const retry = Number(tooSoon.headers['retry-after']);
    expect(retry).toBeGreaterThan(50);
    expect(retry).toBeLessThanOrEqual(60);

    // A minute later a new code may be sent, and only it works.
    await app.db
      .updateTable('login_codes')
      .set({ created_at: sql`created_at - interval '61 seconds'` })
      .where('phone_index', '=', app.fieldCipher.blindIndex(phone))
      .execute();
    expect((await publicClient.post('/api/auth/sms-code', { phone })).status).toBe(200);
    const secondCode = lastSmsCode(app, phone);
    if (secondCode !== firstCode) {
      const old = await publicClient.smsLogin(phone, firstCode);
      expect(old.reply.status).toBe(401);
    }
    expect((await publicClient.smsLogin(phone, secondCode)).reply.status).toBe(200);
  });

  it('sends at most five codes an hour per phone', async () => {
    const phone = testPhone();
    const index = app.fieldCipher.blindIndex(phone);
    for (let sent = 1; sent <= 5; sent++) {
      const reply = await clientAt(app, uniqueIp()).post('/api/auth/sms-code', { phone });
      expect(reply.status).toBe(200);
      // Age every code by two minutes, so only the hourly rule can stop the next one.
      await app.db
        .updateTable('login_codes')
        .set({ created_at: sql`created_at - interval '2 minutes'` })
        .where('phone_index', '=', index)
        .execute();
    }
    const sixth = await clientAt(app, uniqueIp()).post('/api/auth/sms-code', { phone });
    expect(sixth.status).toBe(429);
    // The oldest of the five is ten minutes old: the next code may go in about fifty minutes.
    const retry = Number(sixth.headers['retry-after']);
    expect(retry).toBeGreaterThan(49 * 60);
    expect(retry).toBeLessThanOrEqual(50 * 60);
    expect(await codeRowsOf(phone)).toHaveLength(5);
  });

  it('limits code requests per client address too', async () => {
    const publicClient = clientAt(app, uniqueIp());
    for (let sent = 1; sent <= 10; sent++) {
      expect((await publicClient.post('/api/auth/sms-code', { phone: testPhone() })).status).toBe(200);
    }
    const eleventh = await publicClient.post('/api/auth/sms-code', { phone: testPhone() });
    expect(eleventh.status).toBe(429);
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses numbers that are not mainland mobiles, in both languages', async () => {
    const publicClient = clientAt(app, uniqueIp());
    for (const phone of ['12345678901', '1380013800', '0755-12345678', '+1 415 555 0100']) {
      const reply = await publicClient.post('/api/auth/sms-code', { phone });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('validation_failed');
      expect(reply.body.error.details.issues[0].path).toBe('body.phone');
      expect(reply.body.error.details.issues[0].messageZh).toMatch(/\p{Script=Han}/u);
      expect(reply.body.error.details.issues[0].messageEn).toMatch(/[a-z]/);
    }
    expect(
      (await publicClient.post('/api/auth/sms-login', { phone: testPhone(), code: '12345' })).status,
    ).toBe(400);
  });

  it('never sends a code to a staff number: the form cannot bypass the password', async () => {
    const community = await buildCommunity(app);
    const staff = await staffMember(app, '社区干部', [
      { role: 'community_admin', unitId: community.community.id },
    ]);
    const publicClient = clientAt(app, uniqueIp());
    const reply = await publicClient.post('/api/auth/sms-code', { phone: staff.phone });
    // The same answer as for anyone, so staff numbers cannot be discovered here.
    expect(reply.status).toBe(200);
    expect(reply.body.phone).toBe(`${staff.phone.slice(0, 3)}****${staff.phone.slice(-4)}`);
    expect(() => lastSmsCode(app, staff.phone)).toThrow();
    for (const guess of ['000000', '123456']) {
      const attempt = await publicClient.smsLogin(staff.phone, guess);
      expect(attempt.reply.status).toBe(401);
    }
  });

  it('lets a new resident choose a community, which grants the resident role there', async () => {
    const community = await buildCommunity(app);
    const other = await buildCommunity(app);
    const phone = testPhone();
    const publicClient = clientAt(app, uniqueIp());
    await publicClient.post('/api/auth/sms-code', { phone });
    const { client } = await publicClient.smsLogin(phone, lastSmsCode(app, phone));

    const chosen = await client!.post('/api/me/community', { communityId: community.community.id });
    expect(chosen.status).toBe(200);
    expect(chosen.body.needsCommunity).toBe(false);
    expect(chosen.body.homeUnit).toMatchObject({ id: community.community.id, kind: 'community' });
    expect(chosen.body.roles).toEqual([
      expect.objectContaining({
        role: 'resident',
        unit: expect.objectContaining({ id: community.community.id }),
      }),
    ]);
    // The session acts with the new role at once.
    const me = await client!.get('/api/me');
    expect(me.body.roles).toHaveLength(1);
    expect(me.body.capabilities).toContain('case.report');

    const moved = await client!.post('/api/me/community', { communityId: other.community.id });
    expect(moved.status).toBe(200);
    expect(moved.body.roles.map((r: { unit: { id: string } }) => r.unit.id)).toEqual([other.community.id]);
    const grants = await app.db
      .selectFrom('role_assignments')
      .select(['unit_id', 'revoked_at'])
      .where('user_id', '=', me.body.id)
      .orderBy('granted_at')
      .execute();
    expect(grants).toHaveLength(2);
    expect(grants[0]!.revoked_at).not.toBeNull();
    expect(grants[1]!.revoked_at).toBeNull();
    const user = await app.db
      .selectFrom('users')
      .select(['home_unit_id', 'street_id'])
      .where('id', '=', me.body.id)
      .executeTakeFirstOrThrow();
    expect(user).toEqual({ home_unit_id: other.community.id, street_id: other.street.id });
  });

  it('refuses a unit that is not a community, and a staff account choosing one', async () => {
    const community = await buildCommunity(app);
    const resident = community.people.resident;
    const grid = await resident.client.post('/api/me/community', { communityId: community.grid.id });
    expect(grid.status).toBe(422);
    expect(grid.body.error.code).toBe('not_a_community');
    const missing = await resident.client.post('/api/me/community', { communityId: crypto.randomUUID() });
    expect(missing.status).toBe(404);
    const staff = await community.people.gridWorker.client.post('/api/me/community', {
      communityId: community.community.id,
    });
    expect(staff.status).toBe(422);
    expect(staff.body.error.code).toBe('not_a_resident_account');
  });
});

describe('the HTTP SMS sender', () => {
  it('posts the code as JSON with the token to SMS_HTTP_URL, and the code signs the resident in', async () => {
    const received: { headers: IncomingMessage['headers']; body: any }[] = [];
    const gateway = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => {
        received.push({ headers: request.headers, body: JSON.parse(text) });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
    const app = await buildTestApp({
      trustProxy: true,
      sms: { provider: 'http', httpUrl: url, httpToken: 'gateway-secret' },
    });
    try {
      expect(app.smsSender.provider).toBe('http');
      const phone = testPhone();
      const publicClient = clientAt(app, uniqueIp());
      const sent = await publicClient.post('/api/auth/sms-code', { phone: `+86 ${phone}` });
      expect(sent.status).toBe(200);
      expect(received).toHaveLength(1);
      expect(received[0]!.headers.authorization).toBe('Bearer gateway-secret');
      expect(received[0]!.headers['content-type']).toContain('application/json');
      expect(received[0]!.body).toMatchObject({ phone, template: 'login_code', expiresInMinutes: 5 });
      expect(received[0]!.body.text).toContain(received[0]!.body.code);
      const login = await publicClient.smsLogin(phone, received[0]!.body.code);
      expect(login.reply.status).toBe(200);
    } finally {
      await app.close();
      await new Promise((resolve) => gateway.close(resolve));
    }
  });

  it('answers 503 when the gateway refuses, and the unsent code is useless', async () => {
    const gateway = createServer((_request, response) => response.writeHead(500).end());
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
    const app = await buildTestApp({
      trustProxy: true,
      sms: { provider: 'http', httpUrl: url, httpToken: undefined },
    });
    try {
      const phone = testPhone();
      const reply = await clientAt(app, uniqueIp()).post('/api/auth/sms-code', { phone });
      expect(reply.status).toBe(503);
      expect(reply.body.error.code).toBe('sms_unavailable');
      const rows = await app.db
        .selectFrom('login_codes')
        .select('consumed_at')
        .where('phone_index', '=', app.fieldCipher.blindIndex(phone))
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.consumed_at).not.toBeNull();
    } finally {
      await app.close();
      await new Promise((resolve) => gateway.close(resolve));
    }
  });
});
