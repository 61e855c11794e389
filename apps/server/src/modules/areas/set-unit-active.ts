import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { ActingAs } from './create-unit.ts';
import { findOverlap } from './geometry-checks.ts';
import {
  activeGridsOf,
  countActiveChildren,
  findUnit,
  lockUnit,
  updateUnitRow,
  type UnitRecord,
} from './repository.ts';
import { announceUnitsChanged } from './unit-changes.ts';
import { journalUnitChange } from './unit-journal.ts';
import { gridOverlap } from './unit-validation.ts';

/**
 * Deactivates a unit (never deletes: cases, people and the journal refer to it) or brings it back.
 * A unit with active units below it stays: deactivate those first, so nothing is orphaned silently.
 * A grid that comes back must not overlap the grids drawn since.
 */
export async function setUnitActive(
  db: Db,
  id: string,
  input: { expectedVersion: number; isActive: boolean },
  acting: ActingAs,
): Promise<UnitRecord> {
  const result = await inTransaction(db, async (trx) => {
    const current = await findUnit(trx, id);
    if (!current) throw errors.notFound({ zh: '区域单元', en: 'Unit' });
    const parent = current.parentId ? ((await lockUnit(trx, current.parentId)) ?? null) : null;
    const unit = (await lockUnit(trx, id))!;
    if (unit.version !== input.expectedVersion) throw errors.staleVersion(unit.version);
    if (unit.isActive === input.isActive) return { unit, changed: false };
    if (!input.isActive) {
      const activeChildren = await countActiveChildren(trx, unit.id);
      if (activeChildren > 0) {
        throw errors.unprocessable(
          'unit_has_active_children',
          {
            zh: `其下还有 ${activeChildren} 个启用的单元，请先停用它们`,
            en: `${activeChildren} active units lie below it; deactivate them first`,
          },
          { activeChildren },
        );
      }
    } else {
      if (parent && !parent.isActive) {
        throw errors.unprocessable('parent_inactive', {
          zh: '上级单元已停用，请先启用上级单元',
          en: 'The parent unit is deactivated; activate it first',
        });
      }
      if (unit.kind === 'grid' && unit.geometry && parent) {
        const overlap = findOverlap(unit.geometry, await activeGridsOf(trx, [parent.id]));
        if (overlap) throw gridOverlap(overlap.other, overlap.areaM2);
      }
    }
    const at = new Date();
    await updateUnitRow(trx, unit.id, { isActive: input.isActive }, at);
    const updated = (await findUnit(trx, unit.id))!;
    await journalUnitChange(trx, {
      action: input.isActive ? 'activate' : 'deactivate',
      unit: updated,
      changed: ['is_active', 'version'],
      ...acting,
      at,
    });
    return { unit: updated, changed: true };
  });
  if (result.changed) announceUnitsChanged([id]);
  return result.unit;
}
