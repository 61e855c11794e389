import { z } from 'zod';
import { ZAllowedActions, ZId, ZLat, ZLng, ZLocalizedText } from './common.ts';

/**
 * The area tree (街道/乡镇 → 社区/村 → 网格 → 小区/自然村 → 楼栋 → 户), its geometry, the point → grid
 * resolution and the grid import. Codes follow the national schemes: 12-digit 统计用区划代码 for
 * streets and communities, the 15-digit 单元网格 code of GB/T 30428.1 for grids.
 */
export const UNIT_KINDS = [
  'province',
  'city',
  'county',
  'street',
  'community',
  'grid',
  'compound',
  'building',
  'household',
] as const;
export const ZUnitKind = z
  .enum(UNIT_KINDS)
  .describe('Level in the area tree: 省/市/区县/街道乡镇/社区村/网格/小区自然村/楼栋/户');
export type UnitKind = z.infer<typeof ZUnitKind>;

/** The levels the public map shows to everyone; below them a unit is visible to staff in scope only. */
export const PUBLIC_UNIT_KINDS: readonly UnitKind[] = [
  'province',
  'city',
  'county',
  'street',
  'community',
  'grid',
];

/** At most this many positions in one geometry: grid boundaries have hundreds, not hundreds of thousands. */
export const MAX_GEOMETRY_POSITIONS = 10_000;

const ZPosition = z
  .array(z.number())
  .min(2)
  .max(3)
  .superRefine((position, ctx) => {
    const [lng = 0, lat = 0] = position;
    if (!Number.isFinite(lng) || lng < -180 || lng > 180 || !Number.isFinite(lat) || lat < -90 || lat > 90) {
      ctx.addIssue({
        code: 'custom',
        message:
          '坐标超出范围（经度 -180～180，纬度 -90～90）/ coordinate out of range (lng -180..180, lat -90..90)',
      });
    }
  })
  .describe('[longitude, latitude] in WGS-84 / CGCS2000 degrees');

const ZLinearRing = z
  .array(ZPosition)
  .superRefine((ring, ctx) => {
    if (ring.length < 4) {
      ctx.addIssue({
        code: 'custom',
        message:
          '多边形的环至少需要 4 个坐标点（首尾相同）/ a ring needs at least 4 positions (first = last)',
      });
      return;
    }
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) {
      ctx.addIssue({
        code: 'custom',
        message:
          '多边形的环未闭合（首尾坐标应相同）/ a ring is not closed (first and last position must be equal)',
      });
    }
  })
  .describe('A closed ring: at least 4 positions, the first equal to the last');

const ZPolygonCoordinates = z.array(ZLinearRing).min(1).describe('Outer ring first, then holes');

export const ZPolygonGeometry = z.strictObject({
  type: z.literal('Polygon'),
  coordinates: ZPolygonCoordinates,
});
export const ZMultiPolygonGeometry = z.strictObject({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(ZPolygonCoordinates).min(1),
});
export const ZPointGeometry = z.strictObject({
  type: z.literal('Point'),
  coordinates: ZPosition,
});

function countPositions(geometry: { type: string; coordinates: unknown }): number {
  const count = (value: unknown): number =>
    Array.isArray(value) && typeof value[0] === 'number'
      ? 1
      : Array.isArray(value)
        ? value.reduce((sum: number, item) => sum + count(item), 0)
        : 0;
  return count(geometry.coordinates);
}

/** A unit's outline (Polygon, MultiPolygon) or location (Point), GeoJSON (RFC 7946), WGS-84 degrees. */
export const ZUnitGeometry = z
  .discriminatedUnion('type', [ZPolygonGeometry, ZMultiPolygonGeometry, ZPointGeometry])
  .superRefine((geometry, ctx) => {
    if (countPositions(geometry) > MAX_GEOMETRY_POSITIONS) {
      ctx.addIssue({
        code: 'custom',
        message: `图形的坐标点过多（最多 ${MAX_GEOMETRY_POSITIONS} 个）/ too many positions (at most ${MAX_GEOMETRY_POSITIONS})`,
      });
    }
  })
  .describe('GeoJSON geometry: Polygon or MultiPolygon for areas, Point for a building or compound location');
export type UnitGeometry = z.infer<typeof ZUnitGeometry>;

const ZUnitName = z.string().trim().min(1).max(100).describe('Name shown to people, e.g. 新山村第3网格');
const ZUnitCode = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^\S+$/, { error: '代码不能包含空格 / a code cannot contain spaces' })
  .describe(
    'Street and community: 12-digit 统计用区划代码; grid: 15 digits (community code + 3, GB/T 30428.1); compound, building, household: free but unique',
  );
const ZAttrs = z
  .record(z.string().max(64), z.unknown())
  .describe('Free attributes (floors, household members, notes)');

/** Optimistic concurrency: the version the editor saw; a different current version answers 409 stale_version. */
export const ZExpectedVersion = z.number().int().min(1).describe('The version the caller last read');

export const ZBBox = z
  .tuple([ZLng, ZLat, ZLng, ZLat])
  .describe('Bounding box [minLng, minLat, maxLng, maxLat]');

export const ZUnitSummary = z
  .object({
    id: ZId,
    parentId: ZId.nullable(),
    streetId: ZId.nullable().describe('The street/township the unit belongs to (itself for a street)'),
    kind: ZUnitKind,
    code: z.string(),
    name: z.string(),
    depth: z.number().int(),
    isActive: z.boolean(),
    version: z.number().int(),
    centroid: z.object({ lng: ZLng, lat: ZLat }).nullable().describe('Label point of the geometry'),
    bbox: ZBBox.nullable(),
    allowedActions: ZAllowedActions.describe(
      'update, deactivate, activate, create_child, import_grids, manage_organisations',
    ),
  })
  .describe('A unit of the area tree, without geometry');
export type UnitSummary = z.infer<typeof ZUnitSummary>;

export const ZUnitDetail = ZUnitSummary.extend({
  geometry: ZUnitGeometry.nullable(),
  attrs: z.record(z.string(), z.unknown()),
  ancestors: z
    .array(z.object({ id: ZId, kind: ZUnitKind, code: z.string(), name: z.string() }))
    .describe('From the root down to the parent (a breadcrumb)'),
  childCount: z.number().int().describe('Children the caller may see'),
  createdAt: z.string(),
  updatedAt: z.string(),
}).describe('A unit with its geometry, attributes and ancestors');
export type UnitDetail = z.infer<typeof ZUnitDetail>;

export const ZUnitList = z.object({ items: z.array(ZUnitSummary), nextCursor: z.string().nullable() });

export const ZUnitIdParams = z.strictObject({ id: ZId });

export const ZUnitChildrenQuery = z.strictObject({
  kind: ZUnitKind.optional(),
  includeInactive: z.stringbool().default(false).describe('Also list deactivated units (admins only)'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type UnitChildrenQuery = z.infer<typeof ZUnitChildrenQuery>;

export const ZUnitSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(50).describe('Part of a name, or the start of a code'),
  kind: ZUnitKind.optional(),
  under: ZId.optional().describe('Search only below this unit'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type UnitSearchQuery = z.infer<typeof ZUnitSearchQuery>;

export const ZUnitTreeQuery = z.strictObject({
  depth: z.coerce.number().int().min(1).max(6).default(2).describe('Levels below the unit to include'),
});

export interface UnitTreeNode {
  id: string;
  kind: UnitKind;
  code: string;
  name: string;
  isActive: boolean;
  children: UnitTreeNode[];
}
export const ZUnitTreeNode: z.ZodType<UnitTreeNode> = z.lazy(() =>
  z.object({
    id: ZId,
    kind: ZUnitKind,
    code: z.string(),
    name: z.string(),
    isActive: z.boolean(),
    children: z.array(ZUnitTreeNode),
  }),
);
export const ZUnitTree = z.object({
  root: ZUnitTreeNode,
  truncated: z.boolean().describe('True when the tree had more nodes than one answer carries'),
});

export const ZUnitMapQuery = z.strictObject({
  kinds: z
    .string()
    .default('street,community,grid')
    .transform((value) => value.split(',').map((part) => part.trim()))
    .pipe(z.array(ZUnitKind).min(1))
    .describe('Comma-separated unit kinds to include, e.g. community,grid'),
});

export const ZUnitFeature = z.object({
  type: z.literal('Feature'),
  id: ZId,
  geometry: ZUnitGeometry,
  properties: z.object({
    kind: ZUnitKind,
    code: z.string(),
    name: z.string(),
    parentId: ZId.nullable(),
  }),
});
export const ZUnitFeatureCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(ZUnitFeature),
    truncated: z.boolean(),
  })
  .describe('A light subtree for maps: outlines with id, kind, code and name only');

export const ZCreateUnit = z.strictObject({
  parentId: ZId.nullable().describe('The unit above; null only for a top-level unit (system administrators)'),
  kind: ZUnitKind,
  code: ZUnitCode,
  name: ZUnitName,
  geometry: ZUnitGeometry.nullable().optional(),
  attrs: ZAttrs.optional(),
});
export type CreateUnit = z.infer<typeof ZCreateUnit>;

export const ZUpdateUnit = z
  .strictObject({
    expectedVersion: ZExpectedVersion,
    code: ZUnitCode.optional(),
    name: ZUnitName.optional(),
    geometry: ZUnitGeometry.nullable().optional().describe('New outline; null removes it'),
    attrs: ZAttrs.optional().describe('Replaces the attributes'),
  })
  .refine((body) => Object.keys(body).length > 1, {
    message: '请至少修改一个字段 / change at least one field',
  });
export type UpdateUnit = z.infer<typeof ZUpdateUnit>;

export const ZUnitVersionBody = z.strictObject({ expectedVersion: ZExpectedVersion });

export const ZResolveQuery = z.strictObject({
  lng: z.coerce.number().min(-180).max(180).describe('Longitude, WGS-84 degrees'),
  lat: z.coerce.number().min(-90).max(90).describe('Latitude, WGS-84 degrees'),
});

export const ZPointResolution = z
  .object({
    level: z
      .enum(['grid', 'community', 'street'])
      .describe(
        'grid: inside a grid; community/street: outside every grid, waiting there for manual assignment',
      ),
    streetId: ZId,
    streetName: z.string(),
    communityId: ZId.nullable(),
    communityName: z.string().nullable(),
    gridId: ZId.nullable(),
    gridCode: z.string().nullable(),
    gridName: z.string().nullable(),
    unitPath: z.string().describe('Materialised path of the most specific unit found'),
  })
  .describe('Where a point lies in the area tree');
export type PointResolution = z.infer<typeof ZPointResolution>;

export const ZResolveResponse = z.object({
  lng: ZLng,
  lat: ZLat,
  resolution: ZPointResolution.nullable().describe('null: outside every street minqing knows'),
});

export const ZImportGrids = z.strictObject({
  dryRun: z.boolean().default(false).describe('Validate and report without writing anything'),
  featureCollection: z
    .object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()).max(5000) })
    .describe(
      'GeoJSON FeatureCollection of Polygon/MultiPolygon features with properties code (15 digits), name, optional workers',
    ),
});
export type ImportGrids = z.infer<typeof ZImportGrids>;

const ZImportedGrid = z.object({
  index: z.number().int().describe('Position of the feature in the file, from 0'),
  code: z.string(),
  name: z.string(),
  unitId: ZId.nullable().describe('The grid; null for a new grid on a dry run'),
});
export const ZImportGridsReport = z
  .object({
    dryRun: z.boolean(),
    total: z.number().int(),
    imported: z.array(ZImportedGrid).describe('New grids'),
    updated: z.array(ZImportedGrid).describe('Existing codes whose geometry or name changed'),
    unchanged: z.array(ZImportedGrid).describe('Existing codes already identical'),
    refused: z.array(
      z.object({
        index: z.number().int(),
        code: z.string().nullable(),
        reason: z.string().describe('Machine-readable reason, e.g. overlap, parent_not_found'),
        message: ZLocalizedText,
      }),
    ),
  })
  .describe('What an import did (or would do, on a dry run)');
export type ImportGridsReport = z.infer<typeof ZImportGridsReport>;
