import { z } from 'zod';
import { ZAllowedActions, ZId, ZInstant, ZLocalizedText } from './common.ts';
import { ZCategoryCode } from './cases.ts';

/**
 * Routing rules (分拨规则): which organisation handles which category of case in which part of the
 * area tree. The most specific category wins (minor class 0102, then major class 01, then '*'), then
 * the deepest unit; without a rule, an organisation of the category's default kind attached to the
 * nearest ancestor unit.
 */

export const ZRuleCategory = z
  .string()
  .regex(/^([0-9]{2}|[0-9]{4}|\*)$/, {
    error:
      '分类应为 4 位小类代码、2 位大类代码或 * / category must be a 4-digit minor code, a 2-digit major code or *',
  })
  .describe("A minor class '0102', a major class '01', or '*' for every category");

export const ZRoutingRule = z
  .object({
    id: ZId,
    category: ZRuleCategory,
    categoryName: ZLocalizedText.nullable().describe("The class's name; null for '*'"),
    unit: z
      .object({ id: ZId, kind: z.string(), code: z.string(), name: z.string() })
      .describe('The rule applies to cases inside this unit (a street, community or grid)'),
    org: z
      .object({ id: ZId, name: z.string(), kind: z.string(), isActive: z.boolean() })
      .describe('The responsible organisation'),
    note: z.string().nullable(),
    isActive: z.boolean(),
    version: z.number().int(),
    createdAt: ZInstant,
    updatedAt: ZInstant,
    allowedActions: ZAllowedActions.describe('update, deactivate, activate'),
  })
  .describe('A routing rule');
export type RoutingRule = z.infer<typeof ZRoutingRule>;

export const ZRoutingRulePage = z.object({ items: z.array(ZRoutingRule), nextCursor: z.string().nullable() });

export const ZListRoutingRulesQuery = z.strictObject({
  unitId: ZId.optional().describe("Rules at this unit's subtree"),
  category: ZRuleCategory.optional().describe('Rules with exactly this category'),
  includeInactive: z.stringbool().default(false).describe('Also list deactivated rules'),
  cursor: z.string().max(400).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type ListRoutingRulesQuery = z.infer<typeof ZListRoutingRulesQuery>;

const ZRuleNote = z.string().trim().min(1).max(500).describe('Why the rule exists (e.g. 物业合同 2026-2028)');

export const ZCreateRoutingRule = z.strictObject({
  category: ZRuleCategory,
  unitId: ZId.describe('A street, community or grid'),
  orgId: ZId.describe('An active organisation attached to that unit, one above it, or one below it'),
  note: ZRuleNote.optional(),
});
export type CreateRoutingRule = z.infer<typeof ZCreateRoutingRule>;

export const ZRuleVersion = z
  .number()
  .int()
  .min(1)
  .describe('The version you last read; another answers 409');

export const ZUpdateRoutingRule = z
  .strictObject({
    expectedVersion: ZRuleVersion,
    category: ZRuleCategory.optional(),
    orgId: ZId.optional(),
    note: ZRuleNote.nullable().optional().describe('null removes the note'),
  })
  .refine((body) => Object.keys(body).length > 1, {
    error: '请至少修改一个字段 / change at least one field',
  });
export type UpdateRoutingRule = z.infer<typeof ZUpdateRoutingRule>;

export const ZRoutingRuleParams = z.strictObject({ id: ZId });
export const ZRoutingRuleVersionBody = z.strictObject({ expectedVersion: ZRuleVersion });

/** GET /api/routing/resolve — the "test this location and category" tool. */
export const ZRouteTestQuery = z.strictObject({
  lng: z.coerce.number().min(-180).max(180).describe('Longitude, WGS-84 degrees'),
  lat: z.coerce.number().min(-90).max(90).describe('Latitude, WGS-84 degrees'),
  category: ZCategoryCode,
});

export const ZRouteTestResult = z
  .object({
    location: z
      .object({
        level: z.enum(['grid', 'community', 'street']),
        street: z.object({ id: ZId, name: z.string() }),
        community: z.object({ id: ZId, name: z.string() }).nullable(),
        grid: z.object({ id: ZId, code: z.string(), name: z.string() }).nullable(),
        unitPath: z.string(),
      })
      .nullable()
      .describe('Where the point lies; null outside every street'),
    category: z.object({ code: z.string(), name: ZLocalizedText }),
    org: z
      .object({ id: ZId, name: z.string(), kind: z.string(), unitId: ZId })
      .nullable()
      .describe('The responsible organisation; null when neither a rule nor a default organisation answers'),
    matchedBy: z
      .enum(['rule', 'default_org_kind'])
      .nullable()
      .describe('rule: a routing rule chose it; default_org_kind: the category’s default organisation kind'),
    rule: ZRoutingRule.nullable().describe('The rule that matched'),
  })
  .describe('Which organisation a report of this category at this point would go to, and why');
export type RouteTestResult = z.infer<typeof ZRouteTestResult>;
