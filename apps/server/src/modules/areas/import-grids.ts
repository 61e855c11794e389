import {
  ZMultiPolygonGeometry,
  ZPolygonGeometry,
  type ImportGridsReport,
  type LocalizedText,
} from '@minqing/contract';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { ActingAs } from './create-unit.ts';
import { findOverlap, geometryProblems, type OverlapCandidate } from './geometry-checks.ts';
import { sameGeometry, type UnitGeometry } from './geometry.ts';
import {
  activeGridsOf,
  findUnit,
  findUnitsByCodes,
  insertUnit,
  lockUnit,
  updateUnitRow,
  type UnitRecord,
} from './repository.ts';
import { announceUnitsChanged } from './unit-changes.ts';
import { journalUnitChange, UNIT_PROJECTED_COLUMNS } from './unit-journal.ts';
import { codeProblem } from './unit-rules.ts';

type Refusal = ImportGridsReport['refused'][number];
type Imported = ImportGridsReport['imported'][number];

interface GridFeature {
  index: number;
  code: string;
  name: string;
  geometry: UnitGeometry;
  workers: string[] | undefined;
}

const ZGridGeometry = z.discriminatedUnion('type', [ZPolygonGeometry, ZMultiPolygonGeometry]);
const ZWorkers = z.array(z.string().trim().min(1).max(50)).max(20);

/** Schema messages are written 'zh / en'; a refusal carries the two apart. */
function splitMessage(message: string): LocalizedText {
  const [zh, en] = message.split(' / ');
  return { zh: zh ?? message, en: en ?? zh ?? message };
}

/** Checks one feature on its own: shape, geometry, code and name. */
function readFeature(value: unknown, index: number): GridFeature | Refusal {
  const refuse = (code: string | null, reason: string, message: LocalizedText): Refusal => ({
    index,
    code,
    reason,
    message,
  });
  if (typeof value !== 'object' || value === null || (value as { type?: unknown }).type !== 'Feature') {
    return refuse(null, 'not_a_feature', { zh: '不是 GeoJSON 要素（Feature）', en: 'not a GeoJSON Feature' });
  }
  const feature = value as { geometry?: unknown; properties?: unknown };
  const properties = (
    typeof feature.properties === 'object' && feature.properties !== null ? feature.properties : {}
  ) as Record<string, unknown>;
  const rawCode = properties.code;
  const code =
    typeof rawCode === 'string' ? rawCode.trim() : typeof rawCode === 'number' ? String(rawCode) : null;
  if (!code) {
    return refuse(null, 'invalid_code', {
      zh: '缺少网格代码（properties.code）',
      en: 'no grid code (properties.code)',
    });
  }
  const codeIssue = codeProblem('grid', code, null);
  if (codeIssue) return refuse(code, 'invalid_code', codeIssue);
  const name = typeof properties.name === 'string' ? properties.name.trim() : '';
  if (!name || name.length > 100) {
    return refuse(code, 'invalid_name', {
      zh: '网格名称（properties.name）应为 1～100 个字符',
      en: 'the grid name (properties.name) must have 1 to 100 characters',
    });
  }
  const workers = ZWorkers.optional().safeParse(properties.workers);
  if (!workers.success) {
    return refuse(code, 'invalid_workers', {
      zh: '网格员（properties.workers）应为最多 20 个姓名的列表',
      en: 'grid workers (properties.workers) must be a list of at most 20 names',
    });
  }
  const geometryType = (feature.geometry as { type?: unknown } | null | undefined)?.type;
  if (geometryType !== 'Polygon' && geometryType !== 'MultiPolygon') {
    return refuse(code, 'geometry_type', {
      zh: `网格的几何类型应为 Polygon 或 MultiPolygon，而不是 ${String(geometryType)}`,
      en: `a grid geometry must be a Polygon or MultiPolygon, not ${String(geometryType)}`,
    });
  }
  // GeoJSON allows foreign members (bbox, crs…) on a geometry; only the outline is kept.
  const parsed = ZGridGeometry.safeParse({
    type: geometryType,
    coordinates: (feature.geometry as { coordinates?: unknown }).coordinates,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return refuse(
      code,
      'invalid_geometry',
      issue.code === 'custom'
        ? splitMessage(issue.message)
        : {
            zh: `坐标格式有误（${issue.path.join('.')}）`,
            en: `malformed coordinates (${issue.path.join('.')})`,
          },
    );
  }
  const [problem] = geometryProblems(parsed.data);
  if (problem) return refuse(code, problem.reason, problem.text);
  return { index, code, name, geometry: parsed.data, workers: workers.data };
}

function isRefusal(value: GridFeature | Refusal): value is Refusal {
  return 'reason' in value;
}

export interface ImportGridsInput {
  features: readonly unknown[];
  dryRun: boolean;
  /** May the importer change the grids of this community? (Always, on the command line.) */
  mayManage: (community: UnitRecord) => boolean;
}

/**
 * Imports grid outlines from a GeoJSON FeatureCollection (a surveying office's or a GIS export):
 * each feature is checked on its own (geometry type, closed rings, coordinate ranges, crossings,
 * 15-digit GB/T 30428.1 code, name), against its community (found from the first 12 digits, in the
 * importer's scope) and against the grids already there and earlier features of the file (no
 * overlaps). The valid ones are inserted, or update the grid of the same code, in one transaction;
 * the report lists every feature's fate. A dry run reports the same and writes nothing.
 */
export async function importGrids(
  db: Db,
  input: ImportGridsInput,
  acting: ActingAs,
): Promise<ImportGridsReport> {
  const report: ImportGridsReport = {
    dryRun: input.dryRun,
    total: input.features.length,
    imported: [],
    updated: [],
    unchanged: [],
    refused: [],
  };
  const candidates: GridFeature[] = [];
  const firstIndexOfCode = new Map<string, number>();
  input.features.forEach((value, index) => {
    const feature = readFeature(value, index);
    if (isRefusal(feature)) return void report.refused.push(feature);
    const earlier = firstIndexOfCode.get(feature.code);
    if (earlier !== undefined) {
      return void report.refused.push({
        index,
        code: feature.code,
        reason: 'duplicate_in_file',
        message: {
          zh: `与文件中第 ${earlier + 1} 个要素的代码重复`,
          en: `the same code as feature ${earlier + 1} of the file`,
        },
      });
    }
    firstIndexOfCode.set(feature.code, index);
    candidates.push(feature);
  });

  const changedIds = await inTransaction(db, async (trx) => {
    const communityCodes = [...new Set(candidates.map((feature) => feature.code.slice(0, 12)))];
    const communities = new Map(
      (await findUnitsByCodes(trx, communityCodes))
        .filter((unit) => unit.kind === 'community')
        .map((unit) => [unit.code, unit]),
    );
    // Lock every community touched, in one order, so concurrent imports and edits serialise per community.
    for (const community of [...communities.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      await lockUnit(trx, community.id);
    }
    const existing = new Map(
      (
        await findUnitsByCodes(
          trx,
          candidates.map((feature) => feature.code),
        )
      ).map((unit) => [unit.code, unit]),
    );
    // What each community's grids will be once the file is in: existing ones, replaced feature by feature.
    const future = new Map<string, Map<string, OverlapCandidate & { index?: number }>>();
    for (const grid of await activeGridsOf(
      trx,
      [...communities.values()].map((c) => c.id),
    )) {
      const siblings = future.get(grid.parentId!) ?? new Map<string, OverlapCandidate & { index?: number }>();
      siblings.set(grid.code, grid);
      future.set(grid.parentId!, siblings);
    }

    const accepted: { feature: GridFeature; community: UnitRecord; current: UnitRecord | undefined }[] = [];
    for (const feature of candidates) {
      const refuse = (reason: string, message: LocalizedText) =>
        void report.refused.push({ index: feature.index, code: feature.code, reason, message });
      const communityCode = feature.code.slice(0, 12);
      const community = communities.get(communityCode);
      if (!community) {
        refuse('parent_not_found', {
          zh: `找不到代码为 ${communityCode} 的社区/村`,
          en: `no community/village with the code ${communityCode}`,
        });
        continue;
      }
      if (!community.isActive) {
        refuse('parent_inactive', {
          zh: `社区/村“${community.name}”已停用`,
          en: `the community/village "${community.name}" is deactivated`,
        });
        continue;
      }
      if (!input.mayManage(community)) {
        refuse('forbidden', {
          zh: `您无权管理“${community.name}”的网格`,
          en: `you may not manage the grids of "${community.name}"`,
        });
        continue;
      }
      const current = existing.get(feature.code);
      if (current && (current.kind !== 'grid' || current.parentId !== community.id)) {
        refuse('code_taken', {
          zh: `代码 ${feature.code} 已被“${current.name}”使用`,
          en: `the code ${feature.code} is used by "${current.name}"`,
        });
        continue;
      }
      if (current && !current.isActive) {
        refuse('grid_inactive', {
          zh: `网格“${current.name}”已停用，请先启用再导入`,
          en: `the grid "${current.name}" is deactivated; activate it before importing`,
        });
        continue;
      }
      const siblings = future.get(community.id) ?? new Map<string, OverlapCandidate & { index?: number }>();
      const others = [...siblings.values()].filter((grid) => grid.code !== feature.code);
      const overlap = findOverlap(feature.geometry, others);
      if (overlap) {
        const fromFile = siblings.get(overlap.other.code)?.index;
        refuse(
          'overlap',
          fromFile !== undefined
            ? {
                zh: `与文件中第 ${fromFile + 1} 个要素“${overlap.other.name}”（${overlap.other.code}）重叠约 ${overlap.areaM2} 平方米`,
                en: `overlaps feature ${fromFile + 1} "${overlap.other.name}" (${overlap.other.code}) by about ${overlap.areaM2} m²`,
              }
            : {
                zh: `与已有网格“${overlap.other.name}”（${overlap.other.code}）重叠约 ${overlap.areaM2} 平方米`,
                en: `overlaps the grid "${overlap.other.name}" (${overlap.other.code}) by about ${overlap.areaM2} m²`,
              },
        );
        continue;
      }
      siblings.set(feature.code, {
        id: current?.id ?? `feature-${feature.index}`,
        code: feature.code,
        name: feature.name,
        geometry: feature.geometry,
        index: feature.index,
      });
      future.set(community.id, siblings);
      accepted.push({ feature, community, current });
    }

    const changed: string[] = [];
    for (const { feature, community, current } of accepted) {
      const entry = (unitId: string | null): Imported => ({
        index: feature.index,
        code: feature.code,
        name: feature.name,
        unitId,
      });
      if (!current) {
        if (input.dryRun) {
          report.imported.push(entry(null));
          continue;
        }
        const row = await insertUnit(trx, {
          parentId: community.id,
          kind: 'grid',
          code: feature.code,
          name: feature.name,
          geometry: feature.geometry,
          attrs: feature.workers ? { workers: feature.workers } : {},
        });
        const unit = (await findUnit(trx, row.id))!;
        await journalUnitChange(trx, {
          action: 'create',
          unit,
          changed: UNIT_PROJECTED_COLUMNS,
          ...acting,
          at: unit.createdAt,
          note: { via: 'import-grids' },
        });
        changed.push(unit.id);
        report.imported.push(entry(unit.id));
        continue;
      }
      const attrs = feature.workers ? { ...current.attrs, workers: feature.workers } : current.attrs;
      const columns: ('name' | 'geometry' | 'attrs')[] = [];
      if (current.name !== feature.name) columns.push('name');
      if (!sameGeometry(current.geometry, feature.geometry)) columns.push('geometry');
      if (JSON.stringify(attrs) !== JSON.stringify(current.attrs)) columns.push('attrs');
      if (columns.length === 0) {
        report.unchanged.push(entry(current.id));
        continue;
      }
      if (!input.dryRun) {
        const at = new Date();
        await lockUnit(trx, current.id);
        await updateUnitRow(trx, current.id, { name: feature.name, geometry: feature.geometry, attrs }, at);
        const unit = (await findUnit(trx, current.id))!;
        await journalUnitChange(trx, {
          action: 'update',
          unit,
          changed: [...columns, 'version'],
          ...acting,
          at,
          note: { via: 'import-grids' },
        });
        changed.push(unit.id);
      }
      report.updated.push(entry(current.id));
    }
    return changed;
  });
  announceUnitsChanged(changedIds);
  report.refused.sort((a, b) => a.index - b.index);
  return report;
}
