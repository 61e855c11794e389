import { z } from 'zod';
import { ZPhotoDescriptor } from './uploads.ts';
import { ZAllowedActions, ZId, ZInstant, ZLat, ZLng, ZLocalizedText, ZPage, ZPoint } from './common.ts';

/**
 * The closed-loop case workflow (发现-上报-处置-回访): states, the actions that move a case between
 * them, and the bodies of every call. The transition table itself lives in the server
 * (modules/cases/state-machine.ts); these are the words both sides share.
 */
export const CASE_STATES = [
  'reported',
  'accepted',
  'rejected',
  'dispatched',
  'in_progress',
  'handled',
  'follow_up',
  'closed',
  'merged',
] as const;
export const ZCaseState = z
  .enum(CASE_STATES)
  .describe('Workflow state (上报/受理/不予受理/派遣/处置中/已处置/回访/办结/已合并)');
export type CaseState = z.infer<typeof ZCaseState>;

/** Every action a person (or the scheduler) can take on a case; the URL of each is POST /api/cases/:id/<action>. */
export const CASE_ACTIONS = [
  'accept',
  'reject',
  'dispatch',
  'return',
  'start',
  'submit',
  'verify',
  'rate',
  'follow-up',
  'merge',
  'note',
  'remind',
  'escalate',
  'assign-grid',
] as const;
export const ZCaseAction = z.enum(CASE_ACTIONS);
export type CaseAction = z.infer<typeof ZCaseAction>;

export const CASE_SOURCES = [
  'patrol',
  'resident',
  'hotline',
  'staff',
  'diary',
  'council',
  'open311',
  'public',
] as const;
export const ZCaseSource = z
  .enum(CASE_SOURCES)
  .describe(
    'Where the report came from: grid-worker patrol, resident, hotline, staff, diary, council, Open311, the public',
  );
export type CaseSource = z.infer<typeof ZCaseSource>;

export const ZCasePriority = z.enum(['normal', 'urgent']).describe('Urgent cases get the shorter time limit');
export type CasePriority = z.infer<typeof ZCasePriority>;

export const ZRating = z
  .enum(['satisfied', 'basically_satisfied', 'unsatisfied'])
  .describe('Follow-up rating: 满意 / 基本满意 / 不满意 (unsatisfied sends the case back for rework)');
export type Rating = z.infer<typeof ZRating>;

export const ZCategoryCode = z
  .string()
  .regex(/^[0-9]{4}$/, { error: '分类代码应为 4 位数字 / category code must be 4 digits' })
  .describe('Minor class code, GB/T 30428.2 shape: 2-digit major + 2-digit minor, e.g. 0101');

const ZPhotoIds = z.array(ZId).max(9).describe('Upload ids from POST /api/uploads (at most 9)');

const ZContact = z.strictObject({
  name: z.string().trim().min(1).max(40).optional().describe("The caller's or reporter's name"),
  phone: z
    .string()
    .max(24)
    // Spaces, dashes and the +86 country code are how people write numbers, not part of them.
    .transform((value) => value.replace(/[\s-]/g, '').replace(/^\+?86(?=1)/, ''))
    .pipe(
      z.string().regex(/^(1[3-9]\d{9}|0\d{9,11})$/, {
        error: '请填写有效的手机号或固定电话 / enter a valid mobile or landline number',
      }),
    )
    .describe('Mobile (11 digits) or landline with area code; stored encrypted, shown masked'),
});

/** POST /api/cases — a report from a resident, a grid worker, staff (hotline) or the public. */
export const ZCreateCase = z
  .strictObject({
    categoryCode: ZCategoryCode,
    description: z.string().trim().min(2).max(2000).describe('What is wrong, in the reporter’s words'),
    location: ZPoint.optional().describe('Where the problem is (WGS-84); resolves the grid'),
    address: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Address or landmark as the reporter gives it'),
    unitId: ZId.optional().describe(
      'Staff entering a report without a map point: the grid or community it belongs to',
    ),
    photoIds: ZPhotoIds.optional(),
    priority: ZCasePriority.default('normal'),
    isPublicAnonymous: z
      .boolean()
      .default(false)
      .describe('Hide the reporter entirely from anything public (the map, disclosures)'),
    contact: ZContact.optional().describe(
      'Required for a report by the public; staff give it for a hotline call (the case source becomes hotline)',
    ),
  })
  .refine((body) => body.location !== undefined || body.address !== undefined || body.unitId !== undefined, {
    error: '请在地图上选点或填写地址 / give a map location or an address',
    path: ['location'],
  });
export type CreateCase = z.input<typeof ZCreateCase>;

/** The headers POST /api/cases reads (others pass through: this object is not strict). */
export const ZIdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,200}$/)
    .optional()
    .describe(
      'Repeat a report safely: the same key and body return the first answer (1–200 visible ASCII characters)',
    ),
});

export const ZCaseIdParams = z.strictObject({ id: ZId });

const expectedVersion = z
  .number()
  .int()
  .min(1)
  .optional()
  .describe('The version you last saw; a different current version answers 409 stale_version');
const ZReason = z.string().trim().min(2).max(1000);
const ZOptionalNote = z.string().trim().min(1).max(1000).optional().describe('A remark kept in the timeline');

export const ZAcceptCase = z.strictObject({ expectedVersion, note: ZOptionalNote });
export const ZRejectCase = z.strictObject({
  expectedVersion,
  reason: ZReason.describe('Why the report is not accepted; sent to the reporter'),
});
export const ZDispatchCase = z.strictObject({
  expectedVersion,
  orgId: ZId.optional().describe('The responsible organisation; defaults to the one routing chose at intake'),
  assigneeId: ZId.optional().describe(
    'A handler of that organisation, or a grid worker of the case’s grid (即报即办)',
  ),
  note: ZOptionalNote,
});
export const ZReturnCase = z.strictObject({
  expectedVersion,
  reason: ZReason.describe('Why the case does not belong to this organisation (wrongly dispatched)'),
});
export const ZStartCase = z.strictObject({
  expectedVersion,
  note: ZOptionalNote,
  photoIds: ZPhotoIds.optional().describe('Photos before the work'),
});
export const ZSubmitCase = z.strictObject({
  expectedVersion,
  result: z.string().trim().min(2).max(2000).describe('What was done (处置结果)'),
  photoIds: ZPhotoIds.optional().describe('Photos of the result'),
});
export const ZVerifyCase = z.strictObject({
  expectedVersion,
  passed: z.boolean().describe('Does the result meet the category’s closure standard on site?'),
  note: ZOptionalNote,
  photoIds: ZPhotoIds.optional().describe('Photos taken during the on-site check'),
});
export const ZRateCase = z.strictObject({
  expectedVersion,
  rating: ZRating,
  comment: z.string().trim().min(1).max(1000).optional(),
});
export const ZFollowUpCase = z.strictObject({
  expectedVersion,
  method: z.enum(['phone', 'visit']).describe('回访方式: by telephone or in person'),
  rating: ZRating.describe('The rating the reporter or residents gave during the call or visit'),
  comment: z.string().trim().min(1).max(1000).optional(),
});
export const ZMergeCase = z.strictObject({
  expectedVersion,
  intoCaseId: ZId.describe('The case this one duplicates; it stays open and this one ends as merged'),
  note: ZOptionalNote,
});
export const ZNoteCase = z.strictObject({
  text: z.string().trim().min(1).max(2000).describe('Internal note for staff, kept in the timeline'),
});
export const ZRemindCase = z.strictObject({ note: ZOptionalNote });
export const ZEscalateCase = z.strictObject({
  reason: ZReason.describe('Why the case is escalated (督办) to the level above'),
});
export const ZAssignGrid = z.strictObject({
  expectedVersion,
  gridId: ZId.describe('The grid that takes the case (for a report outside every grid)'),
});

/** The body schema of each action route. */
export const caseActionBodies = {
  accept: ZAcceptCase,
  reject: ZRejectCase,
  dispatch: ZDispatchCase,
  return: ZReturnCase,
  start: ZStartCase,
  submit: ZSubmitCase,
  verify: ZVerifyCase,
  rate: ZRateCase,
  'follow-up': ZFollowUpCase,
  merge: ZMergeCase,
  note: ZNoteCase,
  remind: ZRemindCase,
  escalate: ZEscalateCase,
  'assign-grid': ZAssignGrid,
} as const satisfies Record<CaseAction, z.ZodType>;
export type CaseActionInput<A extends CaseAction> = z.infer<(typeof caseActionBodies)[A]>;

export const ZCaseCategoryRef = z.object({
  code: z.string(),
  name: ZLocalizedText,
  majorName: ZLocalizedText,
  isSensitive: z.boolean(),
});

export const ZCaseReporter = z
  .object({
    userId: ZId.nullable(),
    name: z.string().nullable().describe('Masked (张*) unless the viewer may contact the reporter'),
    phone: z.string().nullable().describe('Always masked here (138****1234); staff reveal it separately'),
    isPublicAnonymous: z.boolean(),
  })
  .describe('Who reported; personal data masked unless the viewer has the right');

/** A case as a list row or the head of its detail page. */
export const ZCase = z.object({
  id: ZId,
  code: z.string().describe('Human-readable number: reporting date + sequence, e.g. 20260315-000042'),
  state: ZCaseState,
  stateName: ZLocalizedText,
  category: ZCaseCategoryRef,
  priority: ZCasePriority,
  source: ZCaseSource,
  description: z.string(),
  address: z.string().nullable(),
  location: z.object({ lng: ZLng, lat: ZLat }).nullable(),
  streetId: ZId,
  communityId: ZId.nullable(),
  gridId: ZId.nullable().describe('Null: outside every grid, waiting in the community queue'),
  gridName: z.string().nullable(),
  reporter: ZCaseReporter,
  org: z.object({ id: ZId, name: z.string() }).nullable().describe('The responsible organisation'),
  assignee: z.object({ id: ZId, name: z.string() }).nullable(),
  reportedAt: ZInstant,
  acceptedAt: ZInstant.nullable(),
  dispatchedAt: ZInstant.nullable(),
  startedAt: ZInstant.nullable(),
  handledAt: ZInstant.nullable(),
  verifiedAt: ZInstant.nullable(),
  closedAt: ZInstant.nullable(),
  dueAt: ZInstant.nullable().describe("The current stage's deadline"),
  handleDueAt: ZInstant.nullable().describe('The handling deadline set at dispatch'),
  timeLeftMinutes: z
    .number()
    .nullable()
    .describe('Working minutes until dueAt (negative when overdue); null without a deadline'),
  isOverdue: z.boolean(),
  wasOverdue: z.boolean().describe('Some stage of this case went past its deadline'),
  escalationLevel: z.number().int(),
  escalatedToUnitId: ZId.nullable(),
  reworkCount: z.number().int(),
  rating: ZRating.nullable(),
  mergedIntoId: ZId.nullable(),
  resultSummary: z.string().nullable(),
  rejectReason: z.string().nullable(),
  version: z.number().int(),
  allowedActions: ZAllowedActions,
});
export type Case = z.infer<typeof ZCase>;

export const ZCaseTimelineEntry = z.object({
  seq: z.number().int(),
  action: z.string().describe('Journal action: report, accept, dispatch, … (see CASE_ACTIONS)'),
  label: ZLocalizedText.describe('What happened, for people'),
  at: ZInstant,
  actor: z
    .object({ id: ZId.nullable(), name: z.string().nullable(), role: z.string().nullable() })
    .describe('Who acted; the scheduler appears with role system'),
  fromState: ZCaseState.nullable(),
  toState: ZCaseState.nullable(),
  details: z
    .record(z.string(), z.unknown())
    .describe('The event’s own fields: reason, result, rating, note text, target case …'),
  hash: z.string().describe('The journal entry hash (verify it at /api/journal)'),
});
export type CaseTimelineEntry = z.infer<typeof ZCaseTimelineEntry>;

export const ZCasePhoto = ZPhotoDescriptor.extend({ addedAt: ZInstant });

export const ZCaseDetail = ZCase.extend({
  timeline: z.array(ZCaseTimelineEntry),
  photos: z.array(ZCasePhoto),
  closureStandard: z.string().describe('What “done” means for this category'),
});
export type CaseDetail = z.infer<typeof ZCaseDetail>;

const csv = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value),
    z.array(item).min(1).max(20),
  );
const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

/** GET /api/cases — filters combine with AND; each list is scoped to what the caller may see. */
export const ZListCasesQuery = z.strictObject({
  state: csv(ZCaseState).optional().describe('Comma-separated states'),
  category: z
    .string()
    .regex(/^[0-9]{2}([0-9]{2})?$/)
    .optional()
    .describe('A minor code (0101) or a major code (01)'),
  unitId: ZId.optional().describe('A street, community or grid: cases inside it'),
  source: csv(ZCaseSource).optional(),
  overdue: flag.optional().describe('Open cases past their current deadline'),
  nearDeadline: flag.optional().describe('Open cases whose current deadline falls within the next 24 hours'),
  reportedFrom: ZInstant.optional(),
  reportedTo: ZInstant.optional(),
  escalatedToMe: flag
    .optional()
    .describe('Open cases escalated (督办) to a unit where the caller is an administrator'),
  mine: z
    .enum(['assigned', 'org', 'reported'])
    .optional()
    .describe('assigned to me, dispatched to my organisation, or reported by me'),
  q: z.string().trim().min(1).max(100).optional().describe('Text in the code, address or description'),
  cursor: z.string().max(200).optional().describe('Opaque cursor from the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListCasesQuery = z.infer<typeof ZListCasesQuery>;

export const ZCasePage = ZPage(ZCase);
export type CasePage = z.infer<typeof ZCasePage>;

/** GET /api/cases/nearby — open cases of one category around a point, to avoid duplicate reports. */
export const ZNearbyCasesQuery = z.strictObject({
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
  category: ZCategoryCode,
  radius: z.coerce.number().int().min(10).max(2000).default(200).describe('Metres'),
});

export const ZNearbyCase = z
  .object({
    code: z.string(),
    category: z.string(),
    state: ZCaseState,
    stateName: ZLocalizedText,
    distanceM: z.number().int(),
    reportedAt: ZInstant,
    id: ZId.nullable().describe('Only for staff who may open the case'),
    description: z.string().nullable().describe('Only for staff who may open the case'),
  })
  .describe('A nearby open case in coarse form: no personal data');
export const ZNearbyCases = z.object({ items: z.array(ZNearbyCase) });

/** GET /api/cases/:id/reporter-contact — the full phone, for staff who must call back; every read is logged. */
export const ZRevealContactQuery = z.strictObject({
  purpose: z.string().trim().min(2).max(200).describe('Why the number is needed (kept in the access log)'),
});
export const ZReporterContact = z.object({ name: z.string().nullable(), phone: z.string().nullable() });

export const ZCaseCategory = ZCaseCategoryRef.extend({
  acceptanceStandard: z.string(),
  closureStandard: z.string(),
  timeLimits: z.unknown(),
});
export const ZCaseCategories = z.object({ items: z.array(ZCaseCategory) });
