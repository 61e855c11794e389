import { z } from 'zod';
import { ZId } from './common.ts';

export const FIGURE_GROUPS = ['none', 'street', 'community', 'grid', 'category', 'major', 'org'] as const;

export const ZFiguresQuery = z.strictObject({
  unitId: ZId.optional().describe(
    'Area unit whose subtree is counted (default: every street the caller may see)',
  ),
  from: z.iso.date().optional().describe('First day of the period (China time), default 30 days ago'),
  to: z.iso.date().optional().describe('Last day of the period, inclusive, default today'),
  groupBy: z
    .enum(FIGURE_GROUPS)
    .default('none')
    .describe(
      'Split the figures by street, community, grid, category, major class or responsible organisation',
    ),
  category: z
    .string()
    .regex(/^[0-9]{2}([0-9]{2})?$/)
    .optional()
    .describe('Only this major (2 digits) or minor (4 digits) category'),
  compare: z
    .enum(['none', 'previous', 'year'])
    .default('none')
    .describe('Also give the previous period (环比) or the same period a year earlier (同比)'),
});
export type FiguresQuery = z.infer<typeof ZFiguresQuery>;

export const ZCaseCounts = z.object({
  due: z.number().int().describe('应结案数: cases reported in the period, less rejected and merged'),
  accepted: z.number().int(),
  acceptedOnTime: z.number().int(),
  acceptedPublicReports: z.number().int(),
  handled: z.number().int(),
  handledOnTime: z.number().int(),
  closed: z.number().int(),
  closedOnTime: z.number().int(),
  reworked: z.number().int(),
  overdueOpen: z.number().int(),
  followUps: z.number().int(),
  satisfied: z.number().int(),
  basicallySatisfied: z.number().int(),
  unsatisfied: z.number().int(),
  handlingMinutesSum: z.number(),
  handlingMinutesCount: z.number().int(),
});

const rate = z.number().nullable();
export const ZRates = z.object({
  closureRate: rate.describe('结案率 = closed / due'),
  onTimeClosureRate: rate.describe('按期结案率 = closed and handled by the deadline / due'),
  handlingRate: rate.describe('处置率 = handled / due'),
  onTimeHandlingRate: rate.describe('按期处置率 = handled by the deadline / due'),
  reworkRate: rate.describe('返工率 = reworked / handled'),
  publicReportRate: rate.describe('监督举报率 = accepted public reports / accepted'),
  responseRate: rate.describe('响应率 = accepted within the acceptance limit / accepted'),
  resolutionRate: rate.describe('解决率 = (satisfied + basically satisfied) / valid follow-ups'),
  satisfactionRate: rate.describe('满意率 = (satisfied + 0.9 × basically satisfied) / valid follow-ups'),
  meanHandlingHours: rate.describe('mean hours from report to handled (calendar hours)'),
});

export const ZFigureRow = z.object({
  key: z
    .string()
    .nullable()
    .describe('Id or code of the group (null for cases not in any, e.g. waiting for a grid)'),
  name: z.object({ zh: z.string(), en: z.string() }),
  counts: ZCaseCounts,
  rates: ZRates,
  score: z.number().nullable().describe('Weighted composite score, 0–100 (weights: KPI_WEIGHTS)'),
});
export type FigureRow = z.infer<typeof ZFigureRow>;

export const ZPeriod = z.object({ from: z.iso.date(), to: z.iso.date() });

export const ZFigures = z.object({
  unitId: ZId.nullable(),
  period: ZPeriod,
  groupBy: z.enum(FIGURE_GROUPS),
  total: ZFigureRow,
  rows: z.array(ZFigureRow),
  comparison: z
    .object({
      kind: z.enum(['previous', 'year']),
      period: ZPeriod,
      total: ZFigureRow,
      rows: z.array(ZFigureRow),
    })
    .nullable(),
  weights: z.record(z.string(), z.number()),
  generatedAt: z.string(),
});
export type Figures = z.infer<typeof ZFigures>;
