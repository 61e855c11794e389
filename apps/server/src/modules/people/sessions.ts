import { sql } from 'kysely';
import { randomToken, sha256Hex } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import type { Actor, Role, RoleGrant } from '../../policy/index.ts';

export const SESSION_COOKIE = 'mq_session';

/** NOTIFY channel on which a user id announces that the user's cached sessions are stale. */
export const SESSIONS_CHANNEL = 'minqing_sessions';

export interface SessionRecord {
  tokenHash: string;
  actor: Actor;
  /** The password was set by an administrator: only changing it (and signing out) is allowed. */
  mustChangePassword: boolean;
  lastSeenAt: Date;
  idleTimeoutS: number;
  expiresAt: Date;
}

export interface SessionPolicy {
  staffIdleMinutes: number;
  residentSessionDays: number;
}

/** Staff sessions end after the idle timeout (MLPS: 30 minutes); a resident stays signed in on the phone. */
export function sessionLifetime(kind: 'staff' | 'resident', policy: SessionPolicy) {
  if (kind === 'staff') return { idleTimeoutS: policy.staffIdleMinutes * 60, absoluteS: 12 * 3600 };
  const days = policy.residentSessionDays * 86400;
  return { idleTimeoutS: days, absoluteS: days };
}

export async function createSession(
  db: Db,
  user: { id: string; kind: 'staff' | 'resident' },
  policy: SessionPolicy,
  client: { ip?: string | undefined; userAgent?: string | undefined } = {},
): Promise<{ token: string; expiresAt: Date; maxAgeS: number }> {
  const token = randomToken();
  const { idleTimeoutS, absoluteS } = sessionLifetime(user.kind, policy);
  const expiresAt = new Date(Date.now() + absoluteS * 1000);
  await db
    .insertInto('sessions')
    .values({
      token_hash: sha256Hex(token),
      user_id: user.id,
      idle_timeout_s: idleTimeoutS,
      expires_at: expiresAt,
      ip: client.ip ?? null,
      user_agent: client.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, expiresAt, maxAgeS: absoluteS };
}

export async function loadActor(db: Db, userId: string): Promise<Actor | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'kind', 'display_name', 'is_active'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || !user.is_active) return null;
  const grants = await db
    .selectFrom('role_assignments as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select(['r.role', 'r.unit_id', 'u.path', 'u.kind', 'u.street_id', 'r.org_id'])
    .where('r.user_id', '=', userId)
    .where('r.revoked_at', 'is', null)
    .execute();
  return {
    userId: user.id,
    kind: user.kind as Actor['kind'],
    displayName: user.display_name,
    roles: grants.map((grant): RoleGrant => ({
      role: grant.role as Role,
      unitId: grant.unit_id,
      unitPath: grant.path,
      unitKind: grant.kind,
      streetId: grant.street_id,
      orgId: grant.org_id,
    })),
  };
}

// A session is checked on every request; keeping it for a few seconds spares the database the
// same lookup dozens of times a second. Logout and revocation drop it at once (and across processes).
const CACHE_MS = 5_000;
// last_seen_at moves at most once a minute: an idle timeout of minutes does not need finer writes.
const TOUCH_MS = 60_000;

export class SessionStore {
  private readonly cache = new Map<string, { record: SessionRecord; cachedAt: number }>();

  constructor(private readonly db: Db) {}

  async resolve(token: string): Promise<SessionRecord | null> {
    const tokenHash = sha256Hex(token);
    const now = Date.now();
    let record: SessionRecord | null | undefined = this.cachedRecord(tokenHash, now);
    if (!record) {
      record = await this.fetch(tokenHash);
      if (!record) return null;
      this.cache.set(tokenHash, { record, cachedAt: now });
    }
    if (
      record.expiresAt.getTime() <= now ||
      record.lastSeenAt.getTime() + record.idleTimeoutS * 1000 <= now
    ) {
      this.cache.delete(tokenHash);
      return null;
    }
    if (now - record.lastSeenAt.getTime() > TOUCH_MS) {
      record.lastSeenAt = new Date(now);
      await this.db
        .updateTable('sessions')
        .set({ last_seen_at: record.lastSeenAt })
        .where('token_hash', '=', tokenHash)
        .execute();
    }
    return record;
  }

  private cachedRecord(tokenHash: string, now: number): SessionRecord | undefined {
    const hit = this.cache.get(tokenHash);
    if (!hit) return undefined;
    if (now - hit.cachedAt > CACHE_MS) {
      this.cache.delete(tokenHash);
      return undefined;
    }
    return hit.record;
  }

  private async fetch(tokenHash: string): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.user_id',
        'sessions.last_seen_at',
        'sessions.idle_timeout_s',
        'sessions.expires_at',
        'users.password_must_change',
      ])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    const actor = await loadActor(this.db, row.user_id);
    if (!actor) return null;
    return {
      tokenHash,
      actor,
      mustChangePassword: row.password_must_change,
      lastSeenAt: row.last_seen_at,
      idleTimeoutS: row.idle_timeout_s,
      expiresAt: row.expires_at,
    };
  }

  /** Signs one session out; other processes hear of it, so a copied cookie stops working everywhere. */
  async revoke(token: string): Promise<void> {
    const tokenHash = sha256Hex(token);
    this.cache.delete(tokenHash);
    const row = await this.db
      .updateTable('sessions')
      .set({ revoked_at: sql`now()` })
      .where('token_hash', '=', tokenHash)
      .where('revoked_at', 'is', null)
      .returning('user_id')
      .executeTakeFirst();
    if (row) await this.announceChange(this.db, row.user_id);
  }

  /**
   * Ends every session of a user at once (deactivation, password reset), except the one given (the
   * session that just changed its own password stays signed in).
   */
  async revokeAllOf(trx: Db, userId: string, exceptTokenHash?: string): Promise<number> {
    const result = await trx
      .updateTable('sessions')
      .set({ revoked_at: sql`now()` })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .$if(exceptTokenHash !== undefined, (qb) => qb.where('token_hash', '<>', exceptTokenHash!))
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Tells every server process (this one included) to drop its cached sessions of `userId` once the
   * transaction commits: NOTIFY is transactional, so a rolled-back change announces nothing.
   */
  async announceChange(trx: Db, userId: string): Promise<void> {
    await sql`select pg_notify(${SESSIONS_CHANNEL}, ${userId})`.execute(trx);
  }

  /** Forget cached sessions (of one user, or all) after roles or accounts change. */
  forget(userId?: string): void {
    if (!userId) {
      this.cache.clear();
      return;
    }
    for (const [key, value] of this.cache) if (value.record.actor.userId === userId) this.cache.delete(key);
  }
}
