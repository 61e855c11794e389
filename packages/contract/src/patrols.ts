import { z } from 'zod';
import { ZCase, ZCasePriority, ZCategoryCode } from './cases.ts';
import { ZAllowedActions, ZId, ZInstant, ZLat, ZLng, ZLocalizedText, ZPoint } from './common.ts';

/**
 * Patrols (巡查): a grid worker's rounds of their grid on a schedule (定时巡查). A plan says how often a
 * grid is patrolled; a patrol is started and ended on the phone, its GPS track arrives in batches
 * (each idempotent), check-ins mark points visited, findings become cases. 巡查率 = patrols done / due.
 *
 * Tracks are sensitive location data (PIPL art. 28): only the worker and the supervisors covering the
 * grid see them, every supervisor's read is logged, and they are kept for a configurable period.
 */

const ZClock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, { error: '时间格式应为 HH:MM / time must be HH:MM' })
  .describe('China time of day, HH:MM (24:00 for the end of the day)');

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export const ZPatrolShift = z
  .strictObject({ start: ZClock, end: ZClock })
  .refine((shift) => minutesOf(shift.end) > minutesOf(shift.start), {
    error: '巡查时段的结束时间须晚于开始时间 / a shift must end after it starts',
    path: ['end'],
  })
  .describe('A window in which one patrol must start, e.g. 08:00–12:00');
export type PatrolShift = z.infer<typeof ZPatrolShift>;

export const ZPlanDays = z
  .enum(['daily', 'workdays'])
  .describe('Every day, or working days of the official calendar (holidays and 调休 included)');

const ZShifts = z
  .array(ZPatrolShift)
  .min(1)
  .max(6)
  .refine(
    (shifts) => {
      const sorted = [...shifts].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
      return sorted.every((shift, i) => i === 0 || minutesOf(shift.start) >= minutesOf(sorted[i - 1]!.end));
    },
    { error: '巡查时段不能重叠 / shifts must not overlap' },
  )
  .describe('One window per required patrol: two windows = twice a day (at most 6)');

/** POST /api/patrols/plans — the patrol plan of a grid from a day on (it replaces the plan in force). */
export const ZCreatePatrolPlan = z.strictObject({
  gridId: ZId.describe('The grid the plan is for'),
  shifts: ZShifts,
  days: ZPlanDays.default('daily'),
  minMinutes: z
    .number()
    .int()
    .min(5)
    .max(480)
    .default(20)
    .describe('A patrol counts for its window only when it lasted at least this many minutes'),
  validFrom: z.iso
    .date()
    .optional()
    .describe(
      'First day the plan applies (China time); default today. The plan in force ends the day before',
    ),
  note: z.string().trim().min(1).max(500).optional(),
});
export type CreatePatrolPlan = z.input<typeof ZCreatePatrolPlan>;

export const ZEndPatrolPlan = z.strictObject({
  lastDay: z.iso.date().optional().describe('Last day the plan applies (default today)'),
  expectedVersion: z.number().int().min(1).optional(),
});

export const ZPatrolPlan = z.object({
  id: ZId,
  grid: z.object({ id: ZId, name: z.string(), code: z.string() }),
  shifts: z.array(z.object({ start: z.string(), end: z.string() })),
  days: ZPlanDays,
  minMinutes: z.number().int(),
  validFrom: z.iso.date(),
  validTo: z.iso.date().nullable().describe('Last day, inclusive; null while the plan is open-ended'),
  note: z.string().nullable(),
  createdAt: ZInstant,
  version: z.number().int(),
  allowedActions: ZAllowedActions.describe('end'),
});
export type PatrolPlan = z.infer<typeof ZPatrolPlan>;

export const ZPatrolPlanList = z.object({ items: z.array(ZPatrolPlan) });

export const ZListPatrolPlansQuery = z.strictObject({
  unitId: ZId.optional().describe('A street, community or grid (default: every unit the caller covers)'),
  current: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true')
    .describe('Only plans in force today or later (default), or every plan'),
});

export const ZPatrolPlanIdParams = z.strictObject({ id: ZId });

// ---- patrols -------------------------------------------------------------------------------------

export const PATROL_STATES = ['active', 'ended'] as const;
export const ZPatrolState = z.enum(PATROL_STATES).describe('active: under way; ended');

/** When an event happened on the phone (a patrol recorded offline arrives later). */
const ZClientInstant = ZInstant.describe(
  'When it happened on the phone (ISO-8601); the server refuses times in the future or more than 24 h ago',
);

/** POST /api/patrols — start a patrol; the phone chooses the id so that it can work offline. */
export const ZStartPatrol = z.strictObject({
  id: ZId.describe('Chosen by the phone (UUID): a repeat with the same id returns the same patrol'),
  gridId: ZId.optional().describe('The grid to patrol; default: the only grid the worker serves'),
  startedAt: ZClientInstant.optional(),
});
export type StartPatrol = z.input<typeof ZStartPatrol>;

export const ZEndPatrol = z.strictObject({
  endedAt: ZClientInstant.optional(),
  note: z.string().trim().min(1).max(1000).optional().describe('Anything worth noting about the round'),
});

export const ZPatrolIdParams = z.strictObject({ id: ZId });

/** A fix as the phone's Geolocation API gave it. */
export const ZTrackPoint = z.strictObject({
  at: ZClientInstant,
  lng: ZLng,
  lat: ZLat,
  accuracy: z.number().min(0).max(100_000).optional().describe('Metres (95% radius), as the phone reports'),
});
export type TrackPoint = z.infer<typeof ZTrackPoint>;

/** POST /api/patrols/:id/points — a batch of fixes; the Idempotency-Key header is required. */
export const ZPointBatch = z.strictObject({
  points: z.array(ZTrackPoint).min(1).max(500).describe('Fixes in any order; at most 500 per batch'),
});
export type PointBatch = z.infer<typeof ZPointBatch>;

export const ZRequiredIdempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: '缺少 Idempotency-Key 请求头 / the Idempotency-Key header is required' })
    .regex(/^[\x21-\x7e]{1,200}$/)
    .describe(
      'Send the same batch again safely: the same key and body return the first answer (1–200 visible ASCII characters)',
    ),
});

export const ZPointBatchResult = z.object({
  patrolId: ZId,
  accepted: z.number().int().describe('Points stored from this batch'),
  ignored: z
    .number()
    .int()
    .describe('Points outside the patrol’s time span (before its start, after its end): not stored'),
  repeated: z.boolean().describe('This batch had been received before; nothing was stored again'),
  pointCount: z.number().int(),
  distanceM: z.number().int(),
});

/** POST /api/patrols/:id/checkins — 打卡 at a point of the round; the phone chooses the id. */
export const ZCheckIn = z
  .strictObject({
    id: ZId.describe('Chosen by the phone: a repeat returns the first answer'),
    at: ZClientInstant,
    location: ZPoint.optional(),
    unitId: ZId.optional().describe('The building or compound checked, when picked from the list'),
    label: z.string().trim().min(1).max(100).optional().describe('What the point is, e.g. 东门垃圾站'),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .refine((body) => body.location !== undefined || body.unitId !== undefined, {
    error: '打卡需要位置或所在楼栋 / a check-in needs a location or a building',
    path: ['location'],
  });

export const ZPatrolCheckIn = z.object({
  id: ZId,
  at: ZInstant,
  unit: z.object({ id: ZId, name: z.string() }).nullable(),
  label: z.string().nullable(),
  note: z.string().nullable(),
  location: z
    .object({ lng: ZLng, lat: ZLat })
    .nullable()
    .describe('Only for the worker and supervisors; null once the track was purged'),
});

/** 即报即办: the worker fixed it on the spot — the case is handled at once with the after photos. */
export const ZOnTheSpot = z.strictObject({
  result: z.string().trim().min(2).max(2000).describe('What was done (处置结果)'),
  afterPhotoIds: z
    .array(ZId)
    .min(1, { error: '请上传处置后的照片 / add at least one photo after the work' })
    .max(9)
    .describe('Photos after the work (the report photos are the before photos)'),
});

/** POST /api/patrols/:id/findings — a problem found on the round; it becomes a case (source patrol). */
export const ZPatrolFinding = z
  .strictObject({
    categoryCode: ZCategoryCode,
    description: z.string().trim().min(2).max(2000),
    location: ZPoint.optional().describe('Where the problem is (the phone sends the worker’s position)'),
    address: z.string().trim().min(1).max(200).optional(),
    unitId: ZId.optional().describe('The building or compound, when GPS gives no fix'),
    photoIds: z.array(ZId).max(9).optional().describe('Photos of the problem (before any work)'),
    priority: ZCasePriority.default('normal'),
    onTheSpot: ZOnTheSpot.optional(),
  })
  .refine((body) => body.location !== undefined || body.address !== undefined || body.unitId !== undefined, {
    error: '请给出位置、地址或楼栋 / give a location, an address or a building',
    path: ['location'],
  });
export type PatrolFindingInput = z.input<typeof ZPatrolFinding>;

export const ZFindingOutcome = z
  .enum(['reported', 'handled', 'pending'])
  .describe(
    'reported: the case waits for the community; handled: handled on the spot, waiting for the check; ' +
      'pending: on-the-spot handling could not be completed (see reason) and the community takes over',
  );

export const ZPatrolFindingResult = z.object({
  patrolId: ZId,
  outcome: ZFindingOutcome,
  reason: ZLocalizedText.nullable().describe('Why on-the-spot handling stopped short, when it did'),
  repeated: z.boolean().describe('This finding had been received before (same Idempotency-Key)'),
  case: ZCase,
});
export type PatrolFindingResult = z.infer<typeof ZPatrolFindingResult>;

export const ZPatrolFindingRef = z.object({
  caseId: ZId,
  code: z.string(),
  category: z.string(),
  state: z.string(),
  stateName: ZLocalizedText,
  handledOnTheSpot: z.boolean(),
  at: ZInstant,
});

export const ZPatrolSummary = z
  .object({
    durationMinutes: z.number().int(),
    distanceM: z.number().int().describe('Along the recorded track only; nothing is counted across gaps'),
    pointCount: z.number().int(),
    segmentCount: z.number().int().describe('Pieces of track between gaps (no fix for over 2 minutes)'),
    checkinCount: z.number().int(),
    findingCount: z.number().int(),
    handledOnTheSpotCount: z.number().int(),
  })
  .describe('The end-of-patrol summary');

export const ZPatrol = z.object({
  id: ZId,
  state: ZPatrolState,
  grid: z.object({ id: ZId, name: z.string() }),
  communityId: ZId.nullable(),
  streetId: ZId,
  worker: z.object({ id: ZId, name: z.string() }),
  startedAt: ZInstant,
  endedAt: ZInstant.nullable(),
  lastPointAt: ZInstant.nullable(),
  endReason: z.enum(['worker', 'superseded', 'idle']).nullable(),
  note: z.string().nullable(),
  summary: ZPatrolSummary,
  isTrackPurged: z.boolean().describe('The track passed its retention period and was deleted'),
  allowedActions: ZAllowedActions.describe('points, checkin, finding, end, track'),
});
export type Patrol = z.infer<typeof ZPatrol>;

export const ZPatrolDetail = ZPatrol.extend({
  checkins: z.array(ZPatrolCheckIn),
  findings: z.array(ZPatrolFindingRef),
});
export type PatrolDetail = z.infer<typeof ZPatrolDetail>;

export const ZListPatrolsQuery = z.strictObject({
  mine: z.enum(['true', 'false']).optional().describe('Only my own patrols'),
  unitId: ZId.optional().describe('Patrols of grids inside this unit'),
  state: ZPatrolState.optional(),
  from: z.iso.date().optional().describe('Started on or after this day (China time)'),
  to: z.iso.date().optional().describe('Started on or before this day'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const ZPatrolPage = z.object({ items: z.array(ZPatrol), nextCursor: z.string().nullable() });

/** GET /api/patrols/:id/track — supervisors state why they look (kept in the access log). */
export const ZTrackQuery = z.strictObject({
  purpose: z
    .string()
    .trim()
    .min(2)
    .max(200)
    .optional()
    .describe('Why a supervisor reads the track (required for anyone but the worker); logged'),
});

export const ZTrack = z.object({
  patrolId: ZId,
  segments: z
    .array(z.array(z.tuple([ZLng, ZLat, z.number().describe('epoch ms')])))
    .describe('Pieces of track in time order; a gap (no fix for over 2 minutes) starts a new piece'),
  pointCount: z.number().int(),
  isPurged: z.boolean(),
});
export type Track = z.infer<typeof ZTrack>;

// ---- schedule, 巡查率 and missed patrols -----------------------------------------------------------------

export const ZShiftStatus = z
  .enum(['done', 'in_progress', 'open', 'upcoming', 'missed'])
  .describe(
    'done: a patrol started in the window and lasted long enough; in_progress: under way; ' +
      'open: the window is open and nobody has started; upcoming; missed: the window closed without a patrol',
  );

export const ZScheduledShift = z.object({
  planId: ZId,
  day: z.iso.date(),
  start: ZInstant,
  end: ZInstant,
  status: ZShiftStatus,
  patrolId: ZId.nullable().describe('The patrol that counts for this window'),
});

export const ZScheduleQuery = z.strictObject({
  date: z.iso.date().optional().describe('The day (China time), default today'),
  unitId: ZId.optional().describe('Grids inside this unit (admins); default: the grids I patrol'),
});

export const ZGridSchedule = z.object({
  grid: z.object({ id: ZId, name: z.string() }),
  shifts: z.array(ZScheduledShift),
  activePatrolId: ZId.nullable().describe("The caller's own patrol under way in this grid"),
});
export const ZSchedule = z.object({ date: z.iso.date(), grids: z.array(ZGridSchedule) });
export type Schedule = z.infer<typeof ZSchedule>;

export const ZPatrolFiguresQuery = z.strictObject({
  unitId: ZId.optional().describe('A street, community or grid; default every street'),
  from: z.iso.date().optional().describe('First day (China time), default 30 days ago'),
  to: z.iso.date().optional().describe('Last day, inclusive, default today'),
  groupBy: z.enum(['none', 'street', 'community', 'grid']).default('none'),
});

export const ZPatrolCounts = z.object({
  due: z.number().int().describe('应巡查次数: planned windows that have closed'),
  done: z
    .number()
    .int()
    .describe('已巡查次数: windows with a patrol that started in them and lasted long enough'),
  missed: z.number().int(),
  patrols: z.number().int().describe('Patrols started in the period (planned or not)'),
  distanceM: z.number().int(),
  findings: z.number().int(),
});

export const ZPatrolFigureRow = z.object({
  key: z.string().nullable(),
  name: ZLocalizedText,
  counts: ZPatrolCounts,
  patrolRate: z.number().nullable().describe('巡查率 = done / due (null when nothing was due)'),
});

export const ZPatrolFigures = z.object({
  unitId: ZId.nullable(),
  period: z.object({ from: z.iso.date(), to: z.iso.date() }),
  groupBy: z.enum(['none', 'street', 'community', 'grid']),
  total: ZPatrolFigureRow,
  rows: z.array(ZPatrolFigureRow),
  generatedAt: ZInstant,
});
export type PatrolFigures = z.infer<typeof ZPatrolFigures>;

export const ZMissedPatrolsQuery = z.strictObject({
  unitId: ZId.optional().describe('A community or grid (default: every unit the caller supervises)'),
  from: z.iso.date().optional().describe('default 7 days ago'),
  to: z.iso.date().optional().describe('default today'),
});

export const ZMissedPatrol = z.object({
  planId: ZId,
  grid: z.object({ id: ZId, name: z.string() }),
  day: z.iso.date(),
  start: ZInstant,
  end: ZInstant,
  workers: z.array(z.object({ id: ZId, name: z.string() })).describe('The grid workers of the grid'),
});
export const ZMissedPatrols = z.object({
  period: z.object({ from: z.iso.date(), to: z.iso.date() }),
  items: z.array(ZMissedPatrol),
});

// ---- the map layer -------------------------------------------------------------------------------

export const ZMapPatrolsQuery = z.strictObject({
  bbox: z
    .string()
    .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, {
      error: 'bbox 应为 西,南,东,北 四个数 / bbox is west,south,east,north',
    })
    .optional()
    .describe('west,south,east,north in WGS-84 degrees'),
  unitId: ZId.optional().describe('Only patrols of grids inside this unit'),
  tracks: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .describe('Include the tracks the caller may see (supervisors; each read is logged)'),
});

export const ZMapPatrol = z.object({
  id: ZId,
  grid: z.object({ id: ZId, name: z.string() }),
  startedAt: ZInstant,
  lastPointAt: ZInstant.nullable(),
  worker: z.object({ id: ZId, name: z.string() }).nullable().describe('Only for supervisors'),
  position: z
    .object({ lng: ZLng, lat: ZLat })
    .nullable()
    .describe('Latest fix for supervisors; the grid’s centre for everyone else'),
  isPositionExact: z.boolean(),
  findingCount: z.number().int(),
  track: ZTrack.shape.segments.nullable().describe('Only with tracks=true, for supervisors'),
});
export const ZMapPatrols = z.object({ items: z.array(ZMapPatrol), generatedAt: ZInstant });
export type MapPatrols = z.infer<typeof ZMapPatrols>;
