import { ZOrgKind, type Category, type CategoryTimeLimits } from '@minqing/contract';
import { z } from 'zod';
import type { Actor } from '../../policy/index.ts';
import { categoryActions } from './policy.ts';
import type { CategoryRow } from './repository.ts';

/**
 * Time limits as case_categories.time_limits stores them (snake_case, as in the shipped reference
 * file and as the case module reads them) and as the API speaks them (camelCase).
 */
const ZStoredLimit = z.object({
  amount: z.number().positive(),
  unit: z.enum(['working_hours', 'working_days', 'calendar_hours', 'calendar_days']),
});
const ZStoredTimeLimits = z.object({
  accept: ZStoredLimit,
  handle: z.object({ normal: ZStoredLimit, urgent: ZStoredLimit }),
  verify: ZStoredLimit.optional(),
  follow_up: ZStoredLimit,
});
type StoredTimeLimits = z.infer<typeof ZStoredTimeLimits>;

export function storedTimeLimits(limits: CategoryTimeLimits): StoredTimeLimits {
  return {
    accept: limits.accept,
    handle: { normal: limits.handle.normal, urgent: limits.handle.urgent },
    ...(limits.verify ? { verify: limits.verify } : {}),
    follow_up: limits.followUp,
  };
}

export function apiTimeLimits(stored: unknown): CategoryTimeLimits {
  // A malformed limit in the database is an operator's mistake to see, not to paper over.
  const limits = ZStoredTimeLimits.parse(stored);
  return {
    accept: limits.accept,
    handle: limits.handle,
    ...(limits.verify ? { verify: limits.verify } : {}),
    followUp: limits.follow_up,
  };
}

export function presentCategory(row: CategoryRow, actor: Actor | null): Category {
  const orgKind = ZOrgKind.safeParse(row.default_org_kind);
  return {
    code: row.code,
    majorCode: row.major_code,
    name: { zh: row.name_zh, en: row.name_en },
    majorName: { zh: row.major_name_zh, en: row.major_name_en },
    acceptanceStandard: row.acceptance_standard,
    closureStandard: row.closure_standard,
    timeLimits: apiTimeLimits(row.time_limits),
    defaultOrgKind: orgKind.success ? orgKind.data : null,
    isSensitive: row.is_sensitive,
    icon: row.icon,
    sort: row.sort,
    isActive: row.is_active,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
    allowedActions: categoryActions(actor, row),
  };
}
