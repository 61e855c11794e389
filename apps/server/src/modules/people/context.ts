import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { FieldCipher } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import type { ClientInfo } from './security-events.ts';
import type { SessionStore } from './sessions.ts';
import type { SmsSender } from './sms-sender.ts';

/** What the people use-cases work with, taken from the app once per plugin. */
export interface PeopleContext {
  db: Db;
  cipher: FieldCipher;
  sessions: SessionStore;
  config: Config;
  sms: SmsSender;
  log: FastifyBaseLogger;
}

export function peopleContext(app: FastifyInstance): PeopleContext {
  return {
    db: app.db,
    cipher: app.fieldCipher,
    sessions: app.sessions,
    config: app.config,
    sms: app.smsSender,
    log: app.log,
  };
}

export function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null };
}

/** Sign-in rules (DESIGN.md "Privacy and security"; docs/decisions/0200 and 0203). */
export const SIGN_IN_RULES = {
  maxFailures: 5,
  lockMinutes: 30,
  codeLength: 6,
  codeTtlMinutes: 5,
  codeMaxAttempts: 5,
  codeResendSeconds: 60,
  codesPerHour: 5,
} as const;
