import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import type { PeopleContext } from './context.ts';
import { securityLogScope } from './policy.ts';
import { decodeCursor, encodeCursor } from './present.ts';
import { searchSecurityEvents, type SecurityEventRow } from './security-events.ts';

/**
 * The security audit log for auditors and security officers, inside their subtree, newest first
 * (三权分立: the auditor reviews what administrators and security officers did).
 */
export async function listSecurityEvents(
  ctx: PeopleContext,
  actor: Actor,
  query: {
    action?: string | undefined;
    subjectId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    cursor?: string | undefined;
    limit: number;
  },
): Promise<{ rows: SecurityEventRow[]; nextCursor: string | null }> {
  const scope = securityLogScope(actor);
  if (scope.paths.length === 0) throw errors.forbidden();
  const before = decodeCursor(query.cursor);
  if (before !== undefined && !/^\d{1,15}$/.test(before)) {
    throw errors.badRequest({ zh: '分页参数无效', en: 'The cursor is not valid' });
  }
  const rows = await searchSecurityEvents(ctx.db, {
    scopePaths: scope.paths,
    includeUnplaced: scope.includeUnplaced,
    action: query.action,
    subjectId: query.subjectId,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
    beforeId: before !== undefined ? Number(before) : undefined,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return {
    rows: page,
    nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null,
  };
}
