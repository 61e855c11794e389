import type { UpdateUnit } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { ActingAs } from './create-unit.ts';
import { findOverlap } from './geometry-checks.ts';
import { sameGeometry } from './geometry.ts';
import {
  activeGridsOf,
  findUnit,
  findUnitByCode,
  listChildren,
  lockUnit,
  updateUnitRow,
  type UnitChanges,
  type UnitRecord,
} from './repository.ts';
import { announceUnitsChanged } from './unit-changes.ts';
import type { UNIT_PROJECTED_COLUMNS } from './unit-journal.ts';
import { journalUnitChange } from './unit-journal.ts';
import { PREFIX_CODE_KINDS } from './unit-rules.ts';
import { assertCode, assertGeometry, duplicateCode, gridOverlap } from './unit-validation.ts';

type ProjectedColumn = (typeof UNIT_PROJECTED_COLUMNS)[number];

/**
 * Changes a unit's code, name, outline or attributes, if the caller saw its current version
 * (409 stale_version otherwise). A grid's new outline must not overlap a sibling grid; a street's or
 * community's code cannot change once units below it carry it as their prefix.
 */
export async function updateUnit(
  db: Db,
  id: string,
  input: UpdateUnit,
  acting: ActingAs,
): Promise<UnitRecord> {
  const result = await inTransaction(db, async (trx) => {
    const current = await findUnit(trx, id);
    if (!current) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
    // Parent first, then the unit: the same order as creation, so the two never deadlock.
    const parent = current.parentId ? ((await lockUnit(trx, current.parentId)) ?? null) : null;
    const unit = (await lockUnit(trx, id))!;
    if (unit.version !== input.expectedVersion) throw errors.staleVersion(unit.version);

    const changes: UnitChanges = {};
    const changed: ProjectedColumn[] = [];
    if (input.code !== undefined && input.code !== unit.code) {
      assertCode(unit.kind, input.code, parent);
      if (
        PREFIX_CODE_KINDS.includes(unit.kind) &&
        (await listChildren(trx, unit.id, { includeInactive: true, limit: 1 })).length > 0
      ) {
        throw errors.unprocessable('code_in_use', {
          zh: '下级单元的代码以本单元代码开头，不能再修改本单元代码',
          en: 'Units below carry this code as their prefix; it can no longer change',
        });
      }
      if (await findUnitByCode(trx, input.code)) throw duplicateCode(input.code);
      changes.code = input.code;
      changed.push('code');
    }
    if (input.name !== undefined && input.name !== unit.name) {
      changes.name = input.name;
      changed.push('name');
    }
    if (input.geometry !== undefined && !sameGeometry(input.geometry, unit.geometry)) {
      assertGeometry(unit.kind, input.geometry);
      if (unit.kind === 'grid' && unit.isActive && input.geometry && parent) {
        const siblings = (await activeGridsOf(trx, [parent.id])).filter((grid) => grid.id !== unit.id);
        const overlap = findOverlap(input.geometry, siblings);
        if (overlap) throw gridOverlap(overlap.other, overlap.areaM2);
      }
      changes.geometry = input.geometry;
      changed.push('geometry');
    }
    if (input.attrs !== undefined && JSON.stringify(input.attrs) !== JSON.stringify(unit.attrs)) {
      changes.attrs = input.attrs;
      changed.push('attrs');
    }
    if (changed.length === 0) return { unit, changed: false };

    const at = new Date();
    try {
      await updateUnitRow(trx, unit.id, changes, at);
    } catch (error) {
      if (isUniqueViolation(error) && changes.code) throw duplicateCode(changes.code);
      throw error;
    }
    const updated = (await findUnit(trx, unit.id))!;
    await journalUnitChange(trx, {
      action: 'update',
      unit: updated,
      changed: [...changed, 'version'],
      ...acting,
      at,
    });
    return { unit: updated, changed: true };
  });
  if (result.changed) announceUnitsChanged([id]);
  return result.unit;
}
