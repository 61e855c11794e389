import type { CreateUnit } from '@minqing/contract';
import { errors } from '../../errors.ts';
import { inTransaction, isUniqueViolation } from '../../db/transaction.ts';
import type { Db } from '../../db/database.ts';
import { findOverlap } from './geometry-checks.ts';
import {
  activeGridsOf,
  findUnit,
  findUnitByCode,
  insertUnit,
  lockUnit,
  type UnitRecord,
} from './repository.ts';
import { announceUnitsChanged } from './unit-changes.ts';
import { journalUnitChange, UNIT_PROJECTED_COLUMNS } from './unit-journal.ts';
import {
  assertCode,
  assertGeometry,
  assertParentKind,
  duplicateCode,
  gridOverlap,
} from './unit-validation.ts';

export interface ActingAs {
  actorId: string | null;
  actorRole: string | null;
}

/**
 * Adds a unit under its parent: the level must fit (a grid in a community, a building in a compound…),
 * the code must follow its scheme and be unique, the outline must be valid, and a grid must not
 * overlap a sibling grid. Journaled as 'create' when the unit lies in a street.
 */
export async function createUnit(db: Db, input: CreateUnit, acting: ActingAs): Promise<UnitRecord> {
  const created = await inTransaction(db, async (trx) => {
    // The parent's row lock serialises sibling creation, so two overlapping grids cannot both pass.
    const parent = input.parentId ? ((await lockUnit(trx, input.parentId)) ?? null) : null;
    if (input.parentId && !parent) throw errors.notFound({ zh: '上级单元', en: 'Parent unit' });
    if (parent && !parent.isActive) {
      throw errors.unprocessable('parent_inactive', {
        zh: '上级单元已停用，不能在其下新增',
        en: 'The parent unit is deactivated; nothing can be added under it',
      });
    }
    assertParentKind(input.kind, parent);
    assertCode(input.kind, input.code, parent);
    assertGeometry(input.kind, input.geometry);
    if (await findUnitByCode(trx, input.code)) throw duplicateCode(input.code);
    if (input.kind === 'grid' && input.geometry && parent) {
      const overlap = findOverlap(input.geometry, await activeGridsOf(trx, [parent.id]));
      if (overlap) throw gridOverlap(overlap.other, overlap.areaM2);
    }
    let row;
    try {
      row = await insertUnit(trx, {
        parentId: input.parentId,
        kind: input.kind,
        code: input.code,
        name: input.name,
        geometry: input.geometry ?? null,
        attrs: input.attrs ?? {},
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateCode(input.code);
      throw error;
    }
    const unit = (await findUnit(trx, row.id))!;
    await journalUnitChange(trx, {
      action: 'create',
      unit,
      changed: UNIT_PROJECTED_COLUMNS,
      ...acting,
      at: unit.createdAt,
    });
    return unit;
  });
  announceUnitsChanged([created.id]);
  return created;
}
