import { z } from 'zod';
import type { CASE_SOURCES } from './cases.ts';
import { ZCaseSource } from './cases.ts';
import { ZId, ZInstant, ZLat, ZLng, ZLocalizedText } from './common.ts';
import { ZLiveCaseEvent } from './live.ts';

/**
 * The 民情地图's data: the base map configuration, cases per viewport (clusters when zoomed out,
 * single cases when zoomed in), grid load for shading, and the big screen's figures.
 *
 * Public and staff see the same map in two forms. A case the viewer may open (`canReadCase`: staff
 * in scope, a resident for their own report) is shown exactly with its id; every other case is shown in
 * the public form: no id, position rounded to ~10 m, and disputes and personal help (sensitive
 * categories) only at their grid's centre — clusters are computed from the positions the viewer may see.
 *
 * The outlines for a map without tiles come from GET /api/units/:id/map (streets, communities and grids
 * for everyone; compounds and buildings for staff in scope).
 */

/** States a case can have on the map: open ones, and closed ones for a while after closing. */
export const MAP_CASE_STATES = [
  'reported',
  'accepted',
  'dispatched',
  'in_progress',
  'handled',
  'follow_up',
  'closed',
] as const;
export const ZMapCaseState = z.enum(MAP_CASE_STATES);
export type MapCaseState = z.infer<typeof ZMapCaseState>;

/** [west, south, east, north] in WGS-84 degrees. */
export const ZMapBBox = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .describe('[west, south, east, north], WGS-84 degrees');
export type MapBBox = z.infer<typeof ZMapBBox>;

const commaList = (max: number) =>
  z
    .string()
    .max(max)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    );

const BBOX_MESSAGE =
  'bbox 应为“西,南,东,北”四个经纬度数字，且西<东、南<北 / bbox must be four numbers west,south,east,north with west < east and south < north';

export const ZMapCasesQuery = z.strictObject({
  bbox: z
    .string()
    .max(200)
    .transform((value, ctx) => {
      const parts = value.split(',').map((part) => part.trim());
      const numbers = parts.map((part) => (part === '' ? Number.NaN : Number(part)));
      if (numbers.length !== 4 || numbers.some((n) => !Number.isFinite(n))) {
        ctx.addIssue({ code: 'custom', message: BBOX_MESSAGE });
        return z.NEVER;
      }
      const [west, south, east, north] = numbers as [number, number, number, number];
      if (!(west < east) || !(south < north) || south > 90 || north < -90) {
        ctx.addIssue({ code: 'custom', message: BBOX_MESSAGE });
        return z.NEVER;
      }
      return [west, south, east, north] as [number, number, number, number];
    })
    .describe(
      'The viewport: west,south,east,north in WGS-84 degrees. A viewport larger than the world is clamped to it',
    ),
  zoom: z.coerce
    .number({ error: 'zoom 应为 0–22 的数字 / zoom must be a number from 0 to 22' })
    .min(0, { error: 'zoom 应为 0–22 的数字 / zoom must be a number from 0 to 22' })
    .max(22, { error: 'zoom 应为 0–22 的数字 / zoom must be a number from 0 to 22' })
    .describe('The map zoom (Web Mercator levels, fractions allowed)'),
  states: commaList(200)
    .pipe(
      z
        .array(
          z.enum(MAP_CASE_STATES, {
            error:
              '未知的状态（可选 reported、accepted、dispatched、in_progress、handled、follow_up、closed）/ unknown state',
          }),
        )
        .min(1),
    )
    .optional()
    .describe('Comma-separated states to show (default: every state on the map)'),
  categories: commaList(400)
    .pipe(
      z
        .array(
          z.string().regex(/^[0-9]{2}([0-9]{2})?$/, {
            error: '分类应为 2 位大类或 4 位小类代码 / a category is a 2-digit major or 4-digit minor code',
          }),
        )
        .min(1)
        .max(50),
    )
    .optional()
    .describe('Comma-separated categories: 2-digit major or 4-digit minor codes'),
  overdue: z.stringbool().optional().describe('true: only cases past their deadline'),
  unitId: ZId.optional().describe('Only cases under this area unit (street, community, grid)'),
});
export type MapCasesQuery = z.infer<typeof ZMapCasesQuery>;

export const ZMapStateCounts = z
  .partialRecord(ZMapCaseState, z.number().int())
  .describe('How many cases are in each state (states with none are left out)');

export const ZMapCluster = z
  .object({
    id: z.string().describe('Stable for the same cell at the same zoom'),
    lng: ZLng,
    lat: ZLat,
    count: z.number().int(),
    overdue: z.number().int().describe('How many of them are past their deadline'),
    states: ZMapStateCounts,
    expansionZoom: z.number().int().describe('Zoom in to at least this level to see the cluster split'),
    bbox: ZMapBBox.describe('The extent of the cases inside (as the viewer may see them)'),
  })
  .describe('Several cases that crowd together at this zoom');
export type MapCluster = z.infer<typeof ZMapCluster>;

export const ZMapCase = z
  .object({
    key: z.string().describe('Stable key for the marker (the case number)'),
    id: ZId.nullable().describe('The case to open; null in the public form'),
    code: z.string().describe('The case number'),
    lng: ZLng,
    lat: ZLat,
    isCoarse: z.boolean().describe('Shown at the grid (or community) centre rather than at the place'),
    state: ZMapCaseState,
    isOverdue: z.boolean(),
    category: z.string().describe('Minor class code; names in the answer’s `categories`'),
    gridId: ZId.nullable(),
    reportedAt: ZInstant,
    closedAt: ZInstant.nullable(),
  })
  .describe('One case on the map');
export type MapCase = z.infer<typeof ZMapCase>;

export const ZMapCategory = z.object({
  name: ZLocalizedText,
  majorName: ZLocalizedText,
  isSensitive: z.boolean(),
});

export const ZMapCases = z
  .object({
    bbox: ZMapBBox.describe('The viewport answered (clamped to the world)'),
    zoom: z.number().int().describe('The zoom level answered (whole level)'),
    mode: z
      .enum(['clusters', 'cases'])
      .describe('cases: every case in the viewport is listed; clusters: crowded ones are grouped'),
    clusters: z.array(ZMapCluster),
    cases: z
      .array(ZMapCase)
      .describe('Cases shown on their own (in cluster mode: those alone in their cell)'),
    categories: z
      .record(z.string(), ZMapCategory)
      .describe('Names of the categories that appear in `cases`, by code'),
    total: z.number().int().describe('Cases in the viewport that match: the sum of cluster counts and cases'),
    overdue: z.number().int().describe('Of which past their deadline'),
    states: ZMapStateCounts,
    truncated: z
      .boolean()
      .describe(
        'The viewport held more than one answer may carry, so cells were made larger; counts still add up',
      ),
    closedWithinDays: z
      .number()
      .int()
      .describe('Closed cases stay on the map this many days (MAP_CLOSED_DAYS)'),
    generatedAt: ZInstant,
  })
  .describe('Cases in a viewport: clusters when zoomed out, cases when zoomed in');
export type MapCases = z.infer<typeof ZMapCases>;

export const ZMapGridsQuery = z.strictObject({
  unitId: ZId.describe('A street, community or grid: its grids are listed'),
  geometry: z.stringbool().default(true).describe('Include each grid’s outline (false: load figures only)'),
});
export type MapGridsQuery = z.infer<typeof ZMapGridsQuery>;

const ZRing = z.array(z.array(z.number()));
export const ZMapGrid = z.object({
  id: ZId,
  code: z.string(),
  name: z.string(),
  communityId: ZId.nullable(),
  centroid: z.object({ lng: ZLng, lat: ZLat }).nullable(),
  geometry: z
    .union([
      z.object({ type: z.literal('Polygon'), coordinates: z.array(ZRing) }),
      z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ZRing)) }),
    ])
    .nullable(),
  open: z.number().int().describe('Open cases in the grid'),
  overdue: z.number().int().describe('Open cases past their deadline'),
  nearDeadline: z.number().int().describe('Open cases within 4 working hours of their deadline'),
  load: z
    .number()
    .min(0)
    .max(1)
    .describe('open / the largest open count among these grids (0 when none is open): for shading'),
});
export type MapGrid = z.infer<typeof ZMapGrid>;

export const ZMapGrids = z.object({
  unitId: ZId,
  items: z.array(ZMapGrid),
  maxOpen: z.number().int(),
  generatedAt: ZInstant,
});
export type MapGrids = z.infer<typeof ZMapGrids>;

export const MAP_TILE_PROVIDERS = ['none', 'tianditu', 'amap', 'url'] as const;
export const ZMapTileProvider = z.enum(MAP_TILE_PROVIDERS);
export type MapTileProvider = z.infer<typeof ZMapTileProvider>;

export const ZMapConfig = z
  .object({
    provider: ZMapTileProvider.describe(
      'none: the area’s own outlines (works offline); tianditu: 天地图 (key); amap: 高德 (GCJ-02); url: an OSM-style template',
    ),
    layers: z
      .array(
        z.object({
          url: z.string().describe('Leaflet URL template ({s}, {z}, {x}, {y})'),
          subdomains: z.array(z.string()),
        }),
      )
      .describe('Tile layers drawn one over the other (Tianditu: the map, then its labels); empty for none'),
    attribution: z.string().nullable(),
    crs: z
      .enum(['wgs84', 'gcj02'])
      .describe('gcj02: tiles are in GCJ-02, convert every WGS-84 coordinate before drawing it (gcoord)'),
    needsGcj02: z.boolean().describe('Same as crs = gcj02'),
    minZoom: z.number().int(),
    maxZoom: z.number().int(),
    closedWithinDays: z.number().int().describe('Closed cases stay on the map this many days'),
  })
  .describe('The base map, as configured (MAP_TILES, MAP_TILE_URL, TIANDITU_KEY)');
export type MapConfig = z.infer<typeof ZMapConfig>;

export const ZScreenSummaryQuery = z.strictObject({
  unitId: ZId.describe('The street, community or grid the screen shows'),
});
export type ScreenSummaryQuery = z.infer<typeof ZScreenSummaryQuery>;

export const ZPeriodCounters = z.object({
  received: z.number().int().describe('Cases reported in the period'),
  closed: z.number().int().describe('Cases closed in the period'),
  overdue: z
    .number()
    .int()
    .describe('Open cases now past a deadline that fell in the period (went overdue then, still open)'),
});

export const ZScreenSummary = z
  .object({
    unit: z.object({ id: ZId, name: z.string(), kind: z.string(), code: z.string() }),
    base: z.object({
      grids: z.number().int(),
      gridWorkers: z.number().int(),
      households: z.number().int(),
      residents: z.number().int().describe('Sum of household members'),
      partyMembers: z.number().int(),
    }),
    today: ZPeriodCounters.describe('Since midnight, China time'),
    month: ZPeriodCounters.describe('Since the first of the month, China time'),
    rates: z
      .object({
        onTimeClosureRate: z.number().nullable().describe('按期结案率'),
        reworkRate: z.number().nullable().describe('返工率'),
        satisfactionRate: z.number().nullable().describe('满意率'),
      })
      .describe('Over the cohort of the last 30 days (docs/kpis.md); null when nothing is due'),
    ratesPeriod: z.object({ from: z.iso.date(), to: z.iso.date() }),
    sources: z
      .array(z.object({ key: ZCaseSource, name: ZLocalizedText, count: z.number().int() }))
      .describe('Cases reported this month, by source (patrol, resident, hotline …), every source listed'),
    topCategories: z
      .array(z.object({ code: z.string(), name: ZLocalizedText, count: z.number().int() }))
      .describe('The most reported categories this month (at most 8)'),
    busiestGrids: z
      .array(z.object({ id: ZId, name: z.string(), open: z.number().int(), overdue: z.number().int() }))
      .describe('Grids with the most open cases (at most 8)'),
    deadlines: z
      .object({
        overdue: z.number().int().describe('Red: open and past the deadline'),
        nearDeadline: z.number().int().describe('Amber: within 4 working hours of the deadline'),
        onTime: z.number().int().describe('Green: the rest of the open cases'),
      })
      .describe('Open cases by deadline warning'),
    open: z.number().int().describe('Open cases now'),
    sealingDelay: z
      .object({
        p50Ms: z.number().nullable(),
        p95Ms: z.number().nullable(),
        unsealedCount: z.number().int(),
        oldestUnsealedAgeMs: z.number(),
      })
      .describe('How long journal entries wait before they are sealed (last 24 hours, the street)'),
    feed: z.array(ZLiveCaseEvent).describe('The latest case events, newest first (at most 20)'),
    generatedAt: ZInstant,
  })
  .describe('The big screen’s figures for one area');
export type ScreenSummary = z.infer<typeof ZScreenSummary>;

/** Display names of the case sources, for charts. */
export const CASE_SOURCE_NAMES: Readonly<Record<(typeof CASE_SOURCES)[number], { zh: string; en: string }>> =
  {
    patrol: { zh: '网格员巡查', en: 'Patrol' },
    resident: { zh: '居民上报', en: 'Resident' },
    hotline: { zh: '热线', en: 'Hotline' },
    staff: { zh: '工作人员', en: 'Staff' },
    diary: { zh: '民情日记', en: 'Diary' },
    council: { zh: '议事会', en: 'Council' },
    open311: { zh: 'Open311', en: 'Open311' },
    public: { zh: '群众举报', en: 'Public' },
  };
