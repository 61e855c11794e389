import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { escapeLike } from './repository.ts';

/**
 * The security audit log (MLPS 2.0 level 3, 安全审计): who signed in or failed to, who changed which
 * account or permission, who read whose phone number. Append-only (a trigger refuses updates and
 * deletes); the auditor reads it. Details never hold a password, a code or a full phone number.
 */
export const SECURITY_ACTIONS = [
  'login',
  'login_locked',
  'logout',
  'sms_code_sent',
  'sms_login',
  'resident_created',
  'password_changed',
  'password_reset',
  'totp_enabled',
  'totp_disabled',
  'totp_reset',
  'account_created',
  'account_updated',
  'account_deactivated',
  'account_reactivated',
  'account_merged',
  'account_unlocked',
  'role_granted',
  'role_revoked',
  'community_chosen',
  'phone_revealed',
] as const;
export type SecurityAction = (typeof SECURITY_ACTIONS)[number];

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Where an event belongs: the unit whose auditors may read it. */
export interface EventPlace {
  unitPath: string | null;
  streetId: string | null;
}

export interface SecurityEventInput {
  action: SecurityAction;
  outcome: 'success' | 'failure';
  actorId: string | null;
  subjectId: string | null;
  place: EventPlace;
  details?: Record<string, unknown>;
  client: ClientInfo;
}

export async function recordSecurityEvent(db: Db, event: SecurityEventInput): Promise<void> {
  await db
    .insertInto('security_events')
    .values({
      action: event.action,
      outcome: event.outcome,
      actor_id: event.actorId,
      subject_id: event.subjectId,
      unit_path: event.place.unitPath,
      street_id: event.place.streetId,
      details: JSON.stringify(event.details ?? {}),
      ip: event.client.ip,
      user_agent: event.client.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
}

/**
 * The place of events about an account: its street, else the unit of its first role. Auditors of
 * that unit's subtree read them.
 */
export async function placeOfUser(
  db: Db,
  user: { id: string; street_id: string | null },
): Promise<EventPlace> {
  if (user.street_id) {
    const street = await db
      .selectFrom('units')
      .select('path')
      .where('id', '=', user.street_id)
      .executeTakeFirst();
    if (street) return { unitPath: street.path, streetId: user.street_id };
  }
  const grant = await db
    .selectFrom('role_assignments as ra')
    .innerJoin('units as u', 'u.id', 'ra.unit_id')
    .select(['u.path', 'u.street_id'])
    .where('ra.user_id', '=', user.id)
    .orderBy('ra.granted_at')
    .limit(1)
    .executeTakeFirst();
  return grant ? { unitPath: grant.path, streetId: grant.street_id } : { unitPath: null, streetId: null };
}

export interface SecurityEventSearch {
  scopePaths: readonly string[];
  /** Root-level readers also see events with no place (failed sign-ins under unknown names). */
  includeUnplaced: boolean;
  action?: string | undefined;
  subjectId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  beforeId?: number | undefined;
  limit: number;
}

export interface SecurityEventRow {
  id: number;
  at: Date;
  action: string;
  outcome: string;
  actor: { id: string; name: string } | null;
  subject: { id: string; name: string } | null;
  details: unknown;
  ip: string | null;
}

export async function searchSecurityEvents(db: Db, search: SecurityEventSearch): Promise<SecurityEventRow[]> {
  const placed = search.scopePaths.map((prefix) => sql`e.unit_path like ${`${escapeLike(prefix)}%`}`);
  if (search.includeUnplaced) placed.push(sql`e.unit_path is null`);
  if (placed.length === 0) return [];
  const rows = await db
    .selectFrom('security_events as e')
    .leftJoin('users as a', 'a.id', 'e.actor_id')
    .leftJoin('users as s', 's.id', 'e.subject_id')
    .select([
      'e.id',
      'e.at',
      'e.action',
      'e.outcome',
      'e.details',
      'e.ip',
      'a.id as actor_id',
      'a.display_name as actor_name',
      's.id as subject_id',
      's.display_name as subject_name',
    ])
    .where(sql<boolean>`(${sql.join(placed, sql` or `)})`)
    .$if(search.action !== undefined, (qb) => qb.where('e.action', '=', search.action!))
    .$if(search.subjectId !== undefined, (qb) => qb.where('e.subject_id', '=', search.subjectId!))
    .$if(search.from !== undefined, (qb) => qb.where('e.at', '>=', search.from!))
    .$if(search.to !== undefined, (qb) => qb.where('e.at', '<', search.to!))
    .$if(search.beforeId !== undefined, (qb) => qb.where('e.id', '<', search.beforeId!))
    .orderBy('e.id', 'desc')
    .limit(search.limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    action: row.action,
    outcome: row.outcome,
    actor: row.actor_id && row.actor_name ? { id: row.actor_id, name: row.actor_name } : null,
    subject: row.subject_id && row.subject_name ? { id: row.subject_id, name: row.subject_name } : null,
    details: row.details,
    ip: row.ip,
  }));
}
