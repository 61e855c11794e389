import { randomInt } from 'node:crypto';
import type { Role } from '../../policy/index.ts';
import type { App } from '../../app.ts';
import { Client, type Reply } from '../../../test/harness.ts';
import { createTestUser, TEST_PASSWORD } from '../../../test/factories.ts';
import type { LogSmsSender } from './sms-sender.ts';
import { SESSION_COOKIE } from './sessions.ts';

/**
 * Test helpers for sign-in and account administration. Apps for these tests trust X-Forwarded-For,
 * so each test can speak from its own client address and per-address rate limits never leak
 * between tests.
 */

/** A fresh client address in 10.0.0.0/8 for one test. */
export function uniqueIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** The public, speaking from `ip`. */
export function clientAt(app: App, ip: string): PublicClient {
  return new PublicClient(app, ip);
}

export class PublicClient {
  constructor(
    readonly app: App,
    readonly ip: string,
  ) {}

  // Tests read JSON replies loosely, as the harness Client does.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  post<T = any>(url: string, body?: unknown): Promise<Reply<T>> {
    return new Client(this.app).post<T>(url, body, { 'x-forwarded-for': this.ip });
  }

  /** POST /api/auth/login; on success also returns a client carrying the new session cookie. */
  async login(login: string, password: string, totp?: string) {
    const reply = await this.post('/api/auth/login', { login, password, ...(totp ? { totp } : {}) });
    return { reply, client: reply.status === 200 ? sessionClient(this.app, reply) : undefined };
  }

  async smsLogin(phone: string, code: string) {
    const reply = await this.post('/api/auth/sms-login', { phone, code });
    return { reply, client: reply.status === 200 ? sessionClient(this.app, reply) : undefined };
  }
}

/** The Set-Cookie header of the session, as one string. */
export function sessionSetCookie(reply: Reply): string {
  const header = reply.headers['set-cookie'];
  const all = Array.isArray(header) ? header : header ? [String(header)] : [];
  const found = all.find((line) => line.startsWith(`${SESSION_COOKIE}=`));
  if (!found) throw new Error(`no session cookie in ${JSON.stringify(all)}`);
  return found;
}

export function sessionClient(app: App, reply: Reply): Client {
  return new Client(app, sessionSetCookie(reply).split(';')[0]);
}

export async function usernameOf(app: App, userId: string): Promise<string> {
  const row = await app.db
    .selectFrom('users')
    .select('username')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.username!;
}

/** A staff member with roles, their username and password, ready to sign in. */
export async function staffMember(
  app: App,
  name: string,
  roles: { role: Role; unitId: string; orgId?: string }[],
) {
  const user = await createTestUser(app, { name, roles });
  return { ...user, username: await usernameOf(app, user.id), password: TEST_PASSWORD };
}

/** The code the default (log) sender last sent to `phone`. */
export function lastSmsCode(app: App, phone: string): string {
  const code = (app.smsSender as LogSmsSender).lastCodeFor(phone);
  if (!code) throw new Error(`no code was sent to ${phone}`);
  return code;
}

export async function securityEventsOf(app: App, subjectId: string) {
  return app.db
    .selectFrom('security_events')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('id')
    .execute();
}
