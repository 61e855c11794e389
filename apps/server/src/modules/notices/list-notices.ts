import type { Notice, NoticeList, PublicNotice, PublicNoticeList } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { scopePaths, type Actor } from '../../policy/index.ts';
import { authorizeNotice, NOTICE_UNIT_KINDS, PUBLISH_ROLES } from './policy.ts';
import { presentNotice, presentPublicNotice } from './present.ts';
import { findNotice, findUnit, listPublicNotices, listStaffNotices, unitsUnder } from './repository.ts';

const READ_ROLES = [...PUBLISH_ROLES, 'auditor'] as const;
const PUBLIC_LIMIT = 100;
const STAFF_LIMIT = 300;

const NOT_FOUND = { zh: '公告', en: 'Notice' };

/**
 * The published notices the people of a unit read: the unit's own and those of every unit above it
 * (a villager sees the street's and the village's). Public; expired and withdrawn ones are left out.
 */
export async function listPublicNoticesOf(db: Db, unitId: string): Promise<PublicNoticeList> {
  const unit = await findUnit(db, unitId);
  // Compounds, buildings and households are personal: the public asks by street, community or grid.
  if (!unit || !unit.is_active || !NOTICE_UNIT_KINDS.includes(unit.kind))
    throw errors.notFound({ zh: '区域', en: 'Area' });
  const now = new Date();
  const rows = await listPublicNotices(db, unit.path, now, PUBLIC_LIMIT);
  return {
    unit: { id: unit.id, name: unit.name, kind: unit.kind },
    items: rows.map((row) => presentPublicNotice(row, now)),
  };
}

/** One published notice (also after its expiry, marked so); drafts and withdrawn ones are not found. */
export async function getPublicNotice(db: Db, id: string): Promise<PublicNotice> {
  const row = await findNotice(db, id);
  if (!row || row.state !== 'published') throw errors.notFound(NOT_FOUND);
  return presentPublicNotice(row, new Date());
}

/** The console's list: every notice under the caller's area (or under `unitId`), drafts too. */
export async function listNotices(
  db: Db,
  actor: Actor | null,
  query: { unitId?: string | undefined; state?: string | undefined },
): Promise<NoticeList> {
  if (!actor) throw errors.unauthenticated();
  let paths = scopePaths(actor, [...READ_ROLES]);
  if (paths.length === 0) throw errors.forbidden({ requiredRoles: READ_ROLES });
  if (query.unitId) {
    const unit = await findUnit(db, query.unitId);
    authorizeNotice(actor, unit, 'read');
    paths = [unit!.path];
  }
  const now = new Date();
  const rows = await listStaffNotices(db, paths, { state: query.state, limit: STAFF_LIMIT });
  const units = await unitsUnder(db, scopePaths(actor, PUBLISH_ROLES), NOTICE_UNIT_KINDS);
  return {
    items: rows.map((row) => presentNotice(actor, row, now)),
    units: units.map((unit) => ({ id: unit.id, name: unit.name, kind: unit.kind, path: unit.path })),
  };
}

export async function getNotice(db: Db, actor: Actor | null, id: string): Promise<Notice> {
  const row = await findNotice(db, id);
  authorizeNotice(actor, row && { path: row.unit_path }, 'read');
  return presentNotice(actor, row!, new Date());
}
