import type { Patrol } from '@minqing/contract';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { dayStartMs } from './schedule.ts';
import { supervisedPaths } from './policy.ts';
import { presentPatrol } from './present.ts';
import { listPatrols as selectPatrols } from './repository.ts';

const DAY_MS = 86_400_000;

function encodeCursor(startedAt: Date, id: string): string {
  return Buffer.from(`${startedAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const startedAt = new Date(at ?? '');
  if (!id || Number.isNaN(startedAt.getTime()) || !/^[0-9a-f-]{36}$/i.test(id)) {
    throw errors.badRequest({ zh: '分页游标无效', en: 'The page cursor is not valid' });
  }
  return { startedAt, id };
}

/** The caller's own patrols and those of the grids they supervise, newest first. */
export async function listPatrols(
  app: App,
  actor: Actor,
  query: {
    mine?: 'true' | 'false' | undefined;
    unitId?: string | undefined;
    state?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ items: Patrol[]; nextCursor: string | null }> {
  let unitPath: string | undefined;
  if (query.unitId) {
    const unit = await app.areas.getUnit(query.unitId);
    if (!unit) throw errors.notFound({ zh: '区域', en: 'Unit' });
    unitPath = unit.path;
  }
  const rows = await selectPatrols(app.db, {
    paths: supervisedPaths(actor),
    workerId: actor.userId,
    onlyMine: query.mine === 'true',
    unitPath,
    state: query.state,
    from: query.from ? new Date(dayStartMs(query.from)) : undefined,
    to: query.to ? new Date(dayStartMs(query.to) + DAY_MS) : undefined,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const now = new Date();
  return {
    items: page.map((row) => presentPatrol(row, actor, now)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.started_at, last.id) : null,
  };
}
