import { z } from 'zod';
import { ZAllowedActions, ZId, ZInstant, ZLocalizedText } from './common.ts';
import { ZCaseSource, ZCaseState, ZListCasesQuery } from './cases.ts';
import { ZFiguresQuery } from './figures.ts';

/**
 * What the staff console (/console) needs beyond the capabilities' own routes: the workbench's queues
 * and their counts, saved filters, bulk actions with a per-case summary, the figures as an Excel
 * workbook, a journal verification run with progress, a journal browser and the grid coverage check.
 */

/**
 * The workbench queues: what needs doing now. Each is a filter of GET /api/cases, so a tab's count and
 * its list always agree:
 * to_accept state=reported · to_dispatch state=accepted · overdue overdue=true ·
 * near_deadline nearDeadline=true · to_verify state=handled · to_follow_up state=follow_up ·
 * escalated escalatedToMe=true.
 */
export const CONSOLE_QUEUES = [
  'to_accept',
  'to_dispatch',
  'overdue',
  'near_deadline',
  'to_verify',
  'to_follow_up',
  'escalated',
] as const;
export const ZConsoleQueue = z.enum(CONSOLE_QUEUES).describe('A workbench queue (待受理, 待派遣, 超期, …)');
export type ConsoleQueue = z.infer<typeof ZConsoleQueue>;

/** The GET /api/cases filters that define each queue. */
export const QUEUE_FILTERS: Record<
  ConsoleQueue,
  { state?: z.infer<typeof ZCaseState>; overdue?: true; nearDeadline?: true; escalatedToMe?: true }
> = {
  to_accept: { state: 'reported' },
  to_dispatch: { state: 'accepted' },
  overdue: { overdue: true },
  near_deadline: { nearDeadline: true },
  to_verify: { state: 'handled' },
  to_follow_up: { state: 'follow_up' },
  escalated: { escalatedToMe: true },
};

/** GET /api/console/queues — the filters every tab shares (the tab adds its own). */
export const ZQueueCountsQuery = ZListCasesQuery.pick({
  category: true,
  unitId: true,
  source: true,
  reportedFrom: true,
  reportedTo: true,
  q: true,
}).strict();
export type QueueCountsQuery = z.infer<typeof ZQueueCountsQuery>;

export const ZQueueCounts = z
  .object({
    counts: z.record(ZConsoleQueue, z.number().int()).describe('Cases in each queue the caller may see'),
    openTotal: z.number().int().describe('Open cases in the caller’s view with these filters'),
    generatedAt: ZInstant,
  })
  .describe('How many cases wait in each workbench queue');
export type QueueCounts = z.infer<typeof ZQueueCounts>;

// ---------------------------------------------------------------------------------------------
// Saved filters

/** The filters a saved filter may hold: those of the case list (no cursor, no page size). */
export const ZSavedFilterQuery = z
  .strictObject({
    queue: ZConsoleQueue.optional(),
    state: z.array(ZCaseState).max(9).optional(),
    category: z
      .string()
      .regex(/^[0-9]{2}([0-9]{2})?$/)
      .optional(),
    unitId: ZId.optional(),
    source: z.array(ZCaseSource).max(8).optional(),
    reportedFrom: ZInstant.optional(),
    reportedTo: ZInstant.optional(),
    q: z.string().trim().min(1).max(100).optional(),
  })
  .describe('Workbench filters: queue, states, category, unit, sources, period, search text');
export type SavedFilterQuery = z.infer<typeof ZSavedFilterQuery>;

const ZFilterName = z
  .string()
  .trim()
  .min(1, { error: '请填写名称 / give the filter a name' })
  .max(40, { error: '名称最多 40 个字 / at most 40 characters' });

export const ZCreateSavedFilter = z.strictObject({ name: ZFilterName, query: ZSavedFilterQuery });
export type CreateSavedFilter = z.infer<typeof ZCreateSavedFilter>;

export const ZSavedFilter = z.object({
  id: ZId,
  name: z.string(),
  query: ZSavedFilterQuery,
  createdAt: ZInstant,
  allowedActions: ZAllowedActions.describe('delete'),
});
export type SavedFilter = z.infer<typeof ZSavedFilter>;
export const ZSavedFilters = z.object({ items: z.array(ZSavedFilter) });
export const ZSavedFilterParams = z.strictObject({ id: ZId });

// ---------------------------------------------------------------------------------------------
// Bulk actions

export const BULK_CASE_ACTIONS = ['accept', 'dispatch', 'remind'] as const;
export const ZBulkCaseAction = z.enum(BULK_CASE_ACTIONS);

/** POST /api/console/cases/bulk — the same action on several cases, each on its own. */
export const ZBulkCaseRequest = z
  .strictObject({
    action: ZBulkCaseAction,
    cases: z
      .array(
        z.strictObject({
          id: ZId,
          expectedVersion: z
            .number()
            .int()
            .min(1)
            .optional()
            .describe('The version shown in the list; another answers stale_version for that case'),
        }),
      )
      .min(1, { error: '请至少选择一件事件 / select at least one case' })
      .max(100, { error: '一次最多处理 100 件 / at most 100 cases at once' }),
    orgId: ZId.optional().describe('dispatch: the organisation (default: the one routing proposed)'),
    assigneeId: ZId.optional().describe('dispatch: a handler of that organisation'),
    note: z.string().trim().min(1).max(1000).optional(),
  })
  .refine((body) => new Set(body.cases.map((c) => c.id)).size === body.cases.length, {
    error: '同一事件重复出现 / a case is listed twice',
    path: ['cases'],
  });
export type BulkCaseRequest = z.infer<typeof ZBulkCaseRequest>;

export const ZBulkCaseResult = z
  .object({
    action: ZBulkCaseAction,
    succeeded: z.array(z.object({ id: ZId, code: z.string(), state: ZCaseState, version: z.number().int() })),
    refused: z.array(
      z.object({
        id: ZId,
        code: z.string().nullable().describe('Null when the caller may not see the case'),
        status: z.number().int().describe('The HTTP status the single action would have answered'),
        error: z.string().describe('Its error code: illegal_transition, stale_version, forbidden, …'),
        message: ZLocalizedText,
      }),
    ),
  })
  .describe('What the bulk action did to each case: each case succeeds or is refused on its own');
export type BulkCaseResult = z.infer<typeof ZBulkCaseResult>;

// ---------------------------------------------------------------------------------------------
// Figures export

/** GET /api/console/figures/export — the same query as GET /api/figures, as an .xlsx workbook. */
export const ZFiguresExportQuery = ZFiguresQuery;

// ---------------------------------------------------------------------------------------------
// Journal: browse, verify with progress

export const ZJournalBrowseQuery = z.strictObject({
  streetId: ZId.describe('The street whose journal to browse'),
  recordType: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/)
    .optional(),
  recordId: ZId.optional(),
  before: z.coerce.number().int().min(1).optional().describe('Entries with a smaller id (next page)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type JournalBrowseQuery = z.infer<typeof ZJournalBrowseQuery>;

export const ZJournalBrowseEntry = z.object({
  id: z.number().int(),
  recordType: z.string(),
  recordId: ZId,
  seq: z.number().int(),
  action: z.string(),
  actorRole: z.string().nullable(),
  at: ZInstant,
  prevHash: z.string().nullable(),
  hash: z.string(),
  batchId: z.number().int().nullable(),
});
export const ZJournalBrowsePage = z.object({
  items: z.array(ZJournalBrowseEntry),
  nextBefore: z.number().int().nullable(),
});
export type JournalBrowsePage = z.infer<typeof ZJournalBrowsePage>;

export const ZStartVerification = z.strictObject({
  streetId: ZId.describe('The street whose journal, batches and records to verify'),
});

export const ZVerificationParams = z.strictObject({ id: ZId });

export const ZVerificationRun = z
  .object({
    id: ZId,
    streetId: ZId,
    status: z.enum(['running', 'passed', 'failed', 'error']),
    phase: z.enum(['starting', 'entries', 'projections', 'done']),
    checked: z.number().int(),
    total: z.number().int(),
    startedAt: ZInstant,
    finishedAt: ZInstant.nullable(),
    report: z
      .object({
        entries: z.number().int(),
        records: z.number().int(),
        batches: z.number().int(),
        unsealedEntries: z.number().int(),
        signaturesChecked: z.number().int(),
        problemCount: z.number().int(),
        problems: z.array(z.record(z.string(), z.unknown())).describe('The first problems, first one first'),
        durationMs: z.number(),
      })
      .nullable(),
    error: z.string().nullable(),
  })
  .describe('A journal verification run and its progress');
export type VerificationRun = z.infer<typeof ZVerificationRun>;

// ---------------------------------------------------------------------------------------------
// Grid coverage

export const ZCoverageParams = z.strictObject({ id: ZId.describe('A community (or village)') });

export const ZGridCoverage = z
  .object({
    communityId: ZId,
    communityAreaM2: z.number().nullable().describe('Null when the community has no outline'),
    gridsAreaM2: z.number(),
    coveredShare: z.number().nullable().describe('Share of the community outline covered by its grids'),
    overlaps: z.array(
      z.object({
        a: z.object({ id: ZId, code: z.string(), name: z.string() }),
        b: z.object({ id: ZId, code: z.string(), name: z.string() }),
        areaM2: z.number(),
      }),
    ),
    gaps: z
      .object({
        type: z.literal('FeatureCollection'),
        features: z.array(
          z.object({
            type: z.literal('Feature'),
            geometry: z.object({
              type: z.literal('Polygon'),
              coordinates: z.array(z.array(z.array(z.number()))),
            }),
            properties: z.object({ areaM2: z.number() }),
          }),
        ),
      })
      .describe('Parts of the community outline no grid covers (slivers under 10 m² left out)'),
    outside: z
      .array(z.object({ id: ZId, code: z.string(), name: z.string(), areaM2: z.number() }))
      .describe('Grids reaching outside the community outline, and by how much'),
  })
  .describe('Do the grids cover their community without overlapping?');
export type GridCoverage = z.infer<typeof ZGridCoverage>;

// ---------------------------------------------------------------------------------------------
// Names of the figures, for the console's tables, charts and the Excel export (docs/kpis.md)

export const RATE_LABELS = {
  closureRate: { zh: '结案率', en: 'Closure rate' },
  onTimeClosureRate: { zh: '按期结案率', en: 'On-time closure rate' },
  handlingRate: { zh: '处置率', en: 'Handling rate' },
  onTimeHandlingRate: { zh: '按期处置率', en: 'On-time handling rate' },
  reworkRate: { zh: '返工率', en: 'Rework rate' },
  publicReportRate: { zh: '监督举报率', en: 'Public report rate' },
  responseRate: { zh: '响应率', en: 'Response rate' },
  resolutionRate: { zh: '解决率', en: 'Resolution rate' },
  satisfactionRate: { zh: '满意率', en: 'Satisfaction rate' },
  meanHandlingHours: { zh: '平均处置时长（小时）', en: 'Mean handling time (hours)' },
} as const;
export type RateName = keyof typeof RATE_LABELS;

/** Rates where a lower value is better (their 同比/环比 arrows point the other way). */
export const LOWER_IS_BETTER: readonly RateName[] = ['reworkRate', 'publicReportRate', 'meanHandlingHours'];

export const COUNT_LABELS = {
  due: { zh: '应结案数', en: 'Due' },
  accepted: { zh: '受理数', en: 'Accepted' },
  handled: { zh: '处置数', en: 'Handled' },
  closed: { zh: '结案数', en: 'Closed' },
  closedOnTime: { zh: '按期结案数', en: 'Closed on time' },
  reworked: { zh: '返工数', en: 'Reworked' },
  overdueOpen: { zh: '超期未结数', en: 'Overdue, open' },
  followUps: { zh: '有效回访数', en: 'Follow-ups' },
  satisfied: { zh: '满意', en: 'Satisfied' },
  basicallySatisfied: { zh: '基本满意', en: 'Basically satisfied' },
  unsatisfied: { zh: '不满意', en: 'Unsatisfied' },
} as const;
export type CountName = keyof typeof COUNT_LABELS;

// ---------------------------------------------------------------------------------------------
// Public-report settings (read-only: deployment configuration)

export const ZPublicReportSettings = z
  .object({
    publicReports: z.boolean().describe('May people who are not signed in report (PUBLIC_REPORTS)'),
    contactRequired: z.boolean().describe('A report without signing in must give a phone number'),
    publicWriteLimit: z
      .object({ max: z.number().int(), windowSeconds: z.number().int() })
      .describe('Reports, ratings and other public writes per client address'),
    smsCodeLimit: z
      .object({ max: z.number().int(), windowSeconds: z.number().int() })
      .describe('One-time sign-in codes per client address'),
    residentSessionDays: z.number().int().describe('How long a resident stays signed in on a phone'),
    configuredBy: z
      .array(z.string())
      .describe('The environment variables that set these values (changed by the operator, then restart)'),
  })
  .describe('公众上报设置: how the public and residents may report, as this instance is configured');
export type PublicReportSettings = z.infer<typeof ZPublicReportSettings>;
