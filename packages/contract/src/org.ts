import { z } from 'zod';
import { ZAllowedActions, ZId } from './common.ts';
import { ZExpectedVersion, ZUnitKind } from './areas.ts';

/**
 * The organisation network attached to the area tree: the five party levels of the seed
 * (街道党工委 → 社区党委 → 小区党支部 → 楼栋党小组 → 党员中心户) and the teams that handle cases
 * (调解服务队, 志愿者互助队, 物业公司, 环卫队, 职能部门, 居委会/村委会).
 */
export const PARTY_ORG_KINDS = [
  'party_working_committee',
  'party_committee',
  'party_branch',
  'building_group',
  'party_member_household',
] as const;
export const TEAM_KINDS = [
  'mediation_team',
  'volunteer_team',
  'property_company',
  'sanitation_team',
  'department',
  'committee',
  'other',
] as const;
export const ORG_KINDS = [...PARTY_ORG_KINDS, ...TEAM_KINDS] as const;
export const ZOrgKind = z
  .enum(ORG_KINDS)
  .describe(
    '党工委/党委/党支部/楼栋党小组/党员中心户, or a team: 调解服务队/志愿者队/物业公司/环卫队/职能部门/居委会村委会/其他',
  );
export type OrgKind = z.infer<typeof ZOrgKind>;

const ZOrgName = z.string().trim().min(1).max(100).describe('Name, e.g. 深田社区党委, 百事帮志愿队');
const ZOrgCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .describe('Optional code (统一社会信用代码, internal number); unique');
const ZMemberTitle = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .describe('Title in the organisation, e.g. 书记, 队长, 调解员');

export const ZOrgUnitRef = z.object({ id: ZId, kind: ZUnitKind, code: z.string(), name: z.string() });

export const ZOrganisation = z
  .object({
    id: ZId,
    parentId: ZId.nullable(),
    kind: ZOrgKind,
    name: z.string(),
    code: z.string().nullable(),
    unit: ZOrgUnitRef.describe('The area unit the organisation is attached to'),
    streetId: ZId.nullable(),
    isActive: z.boolean(),
    version: z.number().int(),
    attrs: z.record(z.string(), z.unknown()),
    allowedActions: ZAllowedActions.describe(
      'update, deactivate, activate, create_child, manage_members, link_households',
    ),
  })
  .describe('An organisation or team attached to an area unit');
export type Organisation = z.infer<typeof ZOrganisation>;

export const ZOrgMember = z.object({
  userId: ZId,
  displayName: z.string(),
  title: z.string().nullable(),
  joinedAt: z.string(),
});

export const ZOrganisationDetail = ZOrganisation.extend({
  members: z.array(ZOrgMember).describe('Staff in scope only; empty for others'),
  servedHouseholds: z
    .array(ZOrgUnitRef)
    .describe(
      'For a party-member household (党员中心户): the households it looks after; staff in scope only',
    ),
}).describe('An organisation with its members and served households');
export type OrganisationDetail = z.infer<typeof ZOrganisationDetail>;

export const ZOrgIdParams = z.strictObject({ id: ZId });
export const ZOrgMemberParams = z.strictObject({ id: ZId, userId: ZId });

export const ZOrgListQuery = z.strictObject({
  unitId: ZId.describe('The unit whose organisations to list'),
  subtree: z.stringbool().default(false).describe('Also organisations attached to units below it'),
  kind: ZOrgKind.optional(),
  includeInactive: z.stringbool().default(false).describe('Also deactivated organisations (staff in scope)'),
});
export type OrgListQuery = z.infer<typeof ZOrgListQuery>;

export interface OrgTreeNode {
  id: string;
  kind: OrgKind;
  name: string;
  unitId: string;
  unitName: string;
  isActive: boolean;
  children: OrgTreeNode[];
}
export const ZOrgTreeNode: z.ZodType<OrgTreeNode> = z.lazy(() =>
  z.object({
    id: ZId,
    kind: ZOrgKind,
    name: z.string(),
    unitId: ZId,
    unitName: z.string(),
    isActive: z.boolean(),
    children: z.array(ZOrgTreeNode),
  }),
);
export const ZOrgTree = z
  .object({ roots: z.array(ZOrgTreeNode) })
  .describe('The organisations of a unit and below, nested by parent organisation');

export const ZOrgTreeQuery = z.strictObject({ unitId: ZId });

export const ZCreateOrganisation = z.strictObject({
  unitId: ZId,
  parentId: ZId.nullable()
    .optional()
    .describe('The organisation above (a party branch under its party committee)'),
  kind: ZOrgKind,
  name: ZOrgName,
  code: ZOrgCode.nullable().optional(),
  attrs: z.record(z.string().max(64), z.unknown()).optional(),
});
export type CreateOrganisation = z.infer<typeof ZCreateOrganisation>;

export const ZUpdateOrganisation = z
  .strictObject({
    expectedVersion: ZExpectedVersion,
    name: ZOrgName.optional(),
    code: ZOrgCode.nullable().optional(),
    attrs: z.record(z.string().max(64), z.unknown()).optional().describe('Replaces the attributes'),
  })
  .refine((body) => Object.keys(body).length > 1, {
    message: '请至少修改一个字段 / change at least one field',
  });
export type UpdateOrganisation = z.infer<typeof ZUpdateOrganisation>;

export const ZOrgVersionBody = z.strictObject({ expectedVersion: ZExpectedVersion });

export const ZPutMember = z.strictObject({ title: ZMemberTitle.nullable().optional() });

export const ZSetServedHouseholds = z.strictObject({
  householdIds: z
    .array(ZId)
    .max(50)
    .describe('Every household the party-member household serves (replaces the list)'),
});
