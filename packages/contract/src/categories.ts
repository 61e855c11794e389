import { z } from 'zod';
import { ZAllowedActions, ZInstant, ZLocalizedText } from './common.ts';
import { ZOrgKind } from './org.ts';

/**
 * The case category dictionary in the GB/T 30428.2 shape: a 2-digit major class (大类) and a 2-digit
 * minor class (小类), each minor class with its acceptance standard (立案标准), closure standard
 * (结案标准), time limits (处置时限) per stage and priority, and the kind of organisation that
 * handles it by default.
 */

export const ZTimeLimitUnit = z
  .enum(['working_hours', 'working_days', 'calendar_hours', 'calendar_days'])
  .describe('工作时 / 工作日 count office hours on the holiday calendar; 自然时 / 自然日 count the clock');

export const ZTimeLimit = z
  .strictObject({
    amount: z
      .number()
      .positive({ error: '时限必须大于 0 / a time limit must be greater than 0' })
      .max(1000)
      .describe('How many units; fractions allowed (0.5 working days)'),
    unit: ZTimeLimitUnit,
  })
  .describe('A time limit, e.g. { amount: 2, unit: "working_hours" }');
export type TimeLimitInput = z.infer<typeof ZTimeLimit>;

export const ZCategoryTimeLimits = z
  .strictObject({
    accept: ZTimeLimit.describe('Accepting and dispatching a report (受理派遣)'),
    handle: z
      .strictObject({ normal: ZTimeLimit, urgent: ZTimeLimit })
      .describe('Handling (处置), by the priority of the case'),
    verify: ZTimeLimit.optional().describe('The on-site check (核查); 1 working day when not set'),
    followUp: ZTimeLimit.describe('The follow-up window (回访), after which the case closes by itself'),
  })
  .describe('Time limits of a minor class per stage (and per priority for handling)');
export type CategoryTimeLimits = z.infer<typeof ZCategoryTimeLimits>;

export const ZMinorCategoryCode = z
  .string()
  .regex(/^(0[1-9]|[1-9][0-9])(0[1-9]|[1-9][0-9])$/, {
    error:
      '分类代码应为 4 位数字：2 位大类 + 2 位小类，均从 01 起 / 4 digits: a 2-digit major and a 2-digit minor class, each from 01',
  })
  .describe('Minor class code: 2-digit major + 2-digit minor, e.g. 0102 (GB/T 30428.2)');

export const ZCategoryCodeParams = z.strictObject({ code: ZMinorCategoryCode });

const ZName = (max: number) => z.string().trim().min(1).max(max);
const ZStandard = z.string().trim().max(1000);
const ZIcon = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, {
    error: '图标名只能包含小写字母、数字和连字符 / lower-case letters, digits and dashes',
  })
  .describe('Icon name the web apps know, e.g. trash, lamp, handshake');

export const ZCategory = z
  .object({
    code: z.string(),
    majorCode: z.string(),
    name: ZLocalizedText,
    majorName: ZLocalizedText,
    acceptanceStandard: z.string().describe('When a report is accepted as a case (立案标准)'),
    closureStandard: z.string().describe('What “done” means (结案标准)'),
    timeLimits: ZCategoryTimeLimits,
    defaultOrgKind: ZOrgKind.nullable().describe('Who handles it where no routing rule says otherwise'),
    isSensitive: z
      .boolean()
      .describe(
        'Disputes and personal help: shown on the public map only at the grid centre, without details',
      ),
    icon: z.string().nullable(),
    sort: z.number().int(),
    isActive: z.boolean().describe('Inactive classes take no new reports; old cases keep them'),
    version: z.number().int(),
    updatedAt: ZInstant,
    allowedActions: ZAllowedActions.describe('update, deactivate, activate'),
  })
  .describe('A minor class of the category dictionary');
export type Category = z.infer<typeof ZCategory>;

export const ZCategoryGroup = z.object({
  majorCode: z.string(),
  name: ZLocalizedText,
  categories: z.array(ZCategory),
});

export const ZCategoryDictionary = z
  .object({
    groups: z.array(ZCategoryGroup).describe('Major classes in code order, each with its minor classes'),
    allowedActions: ZAllowedActions.describe('create'),
  })
  .describe('The category dictionary');
export type CategoryDictionary = z.infer<typeof ZCategoryDictionary>;

export const ZListCategoriesQuery = z.strictObject({
  includeInactive: z.stringbool().default(false).describe('Also list deactivated classes (administrators)'),
});

export const ZCreateCategory = z.strictObject({
  code: ZMinorCategoryCode,
  nameZh: ZName(40),
  nameEn: ZName(100),
  majorNameZh: ZName(40)
    .optional()
    .describe('Required for a new major class; must be left out (or equal) for an existing one'),
  majorNameEn: ZName(100).optional(),
  acceptanceStandard: ZStandard.default(''),
  closureStandard: ZStandard.default(''),
  timeLimits: ZCategoryTimeLimits,
  defaultOrgKind: ZOrgKind.nullable().default(null),
  isSensitive: z.boolean().default(false),
  icon: ZIcon.nullable().default(null),
  sort: z.number().int().min(0).max(100_000).default(0),
});
export type CreateCategory = z.infer<typeof ZCreateCategory>;

export const ZCategoryVersion = z
  .number()
  .int()
  .min(1)
  .describe('The version you last read; another answers 409');

export const ZUpdateCategory = z
  .strictObject({
    expectedVersion: ZCategoryVersion,
    nameZh: ZName(40).optional(),
    nameEn: ZName(100).optional(),
    majorNameZh: ZName(40).optional().describe('Renames the major class for all its minor classes'),
    majorNameEn: ZName(100).optional(),
    acceptanceStandard: ZStandard.optional(),
    closureStandard: ZStandard.optional(),
    timeLimits: ZCategoryTimeLimits.optional().describe('Applies to stages that start after the change'),
    defaultOrgKind: ZOrgKind.nullable().optional(),
    isSensitive: z.boolean().optional(),
    icon: ZIcon.nullable().optional(),
    sort: z.number().int().min(0).max(100_000).optional(),
  })
  .refine((body) => Object.keys(body).length > 1, {
    error: '请至少修改一个字段 / change at least one field',
  });
export type UpdateCategory = z.infer<typeof ZUpdateCategory>;

export const ZCategoryVersionBody = z.strictObject({ expectedVersion: ZCategoryVersion });
