import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { ImportGridsReport } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { importGrids } from './import-grids.ts';

const USAGE = 'usage: minqing import-grids FILE.geojson [--dry-run]';

/**
 * `minqing import-grids FILE.geojson [--dry-run]`: imports grid outlines with full rights (the
 * operator of the server), prints what was imported, updated and refused, and answers 0 when
 * nothing was refused, 1 otherwise (2 for a wrong command line).
 */
export async function runImportGridsCommand(
  args: string[],
  { db, print }: { db: Db; print: (line: string) => void },
): Promise<number> {
  let file: string | undefined;
  let dryRun = false;
  try {
    const parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean', default: false } },
    });
    file = parsed.positionals[0];
    dryRun = parsed.values['dry-run'];
  } catch (error) {
    print(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!file) {
    print(USAGE);
    return 2;
  }
  let collection: unknown;
  try {
    collection = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    print(`无法读取 GeoJSON 文件 / cannot read the GeoJSON file ${file}: ${(error as Error).message}`);
    return 1;
  }
  const features = (collection as { type?: unknown; features?: unknown } | null)?.features;
  if ((collection as { type?: unknown } | null)?.type !== 'FeatureCollection' || !Array.isArray(features)) {
    print('文件不是 GeoJSON FeatureCollection / the file is not a GeoJSON FeatureCollection');
    return 1;
  }
  const report = await importGrids(
    db,
    { features, dryRun, mayManage: () => true },
    { actorId: null, actorRole: 'system' },
  );
  for (const line of formatReport(report)) print(line);
  return report.refused.length === 0 ? 0 : 1;
}

export function formatReport(report: ImportGridsReport): string[] {
  const lines = [
    `${report.dryRun ? '试运行，未写入 / dry run, nothing written: ' : ''}` +
      `新增 imported ${report.imported.length}，更新 updated ${report.updated.length}，` +
      `未变 unchanged ${report.unchanged.length}，拒绝 refused ${report.refused.length}（共 of ${report.total}）`,
  ];
  for (const grid of report.imported) lines.push(`  + #${grid.index + 1} ${grid.code} ${grid.name}`);
  for (const grid of report.updated) lines.push(`  ~ #${grid.index + 1} ${grid.code} ${grid.name}`);
  for (const refusal of report.refused) {
    lines.push(
      `  ✗ #${refusal.index + 1} ${refusal.code ?? '-'} [${refusal.reason}] ${refusal.message.zh} / ${refusal.message.en}`,
    );
  }
  return lines;
}
