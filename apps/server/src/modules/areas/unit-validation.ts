import { errors, type LocalizedText } from '../../errors.ts';
import { geometryProblems } from './geometry-checks.ts';
import type { UnitGeometry } from './geometry.ts';
import type { UnitKind } from './repository.ts';
import { codeProblem, geometryTypeProblem, parentKindProblem } from './unit-rules.ts';

/** A 400 naming one field, shaped like the schema validation failures (details.issues). */
export function invalidField(path: string, text: LocalizedText) {
  return errors.validation({
    issues: [{ path, code: 'custom', message: text.zh, messageZh: text.zh, messageEn: text.en }],
  });
}

export function assertParentKind(kind: UnitKind, parent: { kind: UnitKind } | null): void {
  const problem = parentKindProblem(kind, parent?.kind ?? null);
  if (problem) throw invalidField('body.parentId', problem);
}

export function assertCode(
  kind: UnitKind,
  code: string,
  parent: { kind: UnitKind; code: string } | null,
): void {
  const problem = codeProblem(kind, code, parent);
  if (problem) throw invalidField('body.code', problem);
}

/** Checks the geometry type for the kind, then the outline's validity (crossings, holes, parts). */
export function assertGeometry(kind: UnitKind, geometry: UnitGeometry | null | undefined): void {
  if (!geometry) return;
  const typeProblem = geometryTypeProblem(kind, geometry.type);
  if (typeProblem) throw invalidField('body.geometry.type', typeProblem);
  const [problem] = geometryProblems(geometry);
  if (problem) throw invalidField('body.geometry.coordinates', problem.text);
}

export function duplicateCode(code: string) {
  return errors.conflict(
    'duplicate_code',
    { zh: `代码 ${code} 已被其他单元使用`, en: `The code ${code} is already used by another unit` },
    { code },
  );
}

export function gridOverlap(other: { id: string; code: string; name: string }, areaM2: number) {
  return errors.unprocessable(
    'grid_overlap',
    {
      zh: `与网格“${other.name}”（${other.code}）重叠约 ${areaM2} 平方米；相邻网格只能共用边界`,
      en: `Overlaps grid "${other.name}" (${other.code}) by about ${areaM2} m²; neighbouring grids may only share edges`,
    },
    { otherGrid: other, overlapAreaM2: areaM2 },
  );
}
