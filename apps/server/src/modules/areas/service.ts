import fp from 'fastify-plugin';
import type { Db } from '../../db/database.ts';
import { AREA_KINDS, GridIndex, type Resolution } from './grid-index.ts';
import { findUnit, findUnitsByIds, loadAreaUnits, loadAreaUnitsByIds, type UnitRow } from './repository.ts';
import { onUnitsChanged, UNITS_CHANNEL } from './unit-changes.ts';

export interface UnitInfo extends UnitRow {
  isActive: boolean;
}

/**
 * What other capabilities ask of the area tree: where a point lies (in memory, no query per call),
 * a unit, its ancestors, its community and street.
 */
export class AreasService {
  constructor(
    private readonly index: GridIndex,
    private readonly db: Db,
  ) {}

  /**
   * The grid containing the point; outside every grid, the community (gridId null: the case waits
   * in that community's queue), else the street; null outside every street.
   */
  resolvePoint(point: { lng: number; lat: number }): Promise<Resolution | null> {
    return this.index.resolvePoint(point);
  }

  async getUnit(id: string): Promise<UnitInfo | undefined> {
    const indexed = this.index.get(id);
    if (indexed) return strip(indexed);
    const unit = await findUnit(this.db, id);
    return unit ? strip(unit) : undefined;
  }

  /** The units above `id`, from the top of the tree down to its parent. */
  async ancestors(id: string): Promise<UnitInfo[]> {
    const unit = await this.getUnit(id);
    if (!unit) return [];
    const ids = unit.path.split('/').filter((part) => part && part !== id);
    const known = new Map<string, UnitInfo>();
    const missing: string[] = [];
    for (const ancestorId of ids) {
      const indexed = this.index.get(ancestorId);
      if (indexed) known.set(ancestorId, strip(indexed));
      else missing.push(ancestorId);
    }
    for (const row of await findUnitsByIds(this.db, missing)) known.set(row.id, strip(row));
    return ids.map((ancestorId) => known.get(ancestorId)).filter((u): u is UnitInfo => u !== undefined);
  }

  /** The community a unit lies in (itself for a community); undefined above community level. */
  async communityOf(id: string): Promise<UnitInfo | undefined> {
    const unit = await this.getUnit(id);
    if (!unit) return undefined;
    if (unit.kind === 'community') return unit;
    return (await this.ancestors(id)).find((ancestor) => ancestor.kind === 'community');
  }

  /** The street/township a unit lies in (itself for a street). */
  async streetOf(id: string): Promise<UnitInfo | undefined> {
    const unit = await this.getUnit(id);
    return unit?.streetId ? this.getUnit(unit.streetId) : undefined;
  }

  /** Waits until every change announced so far is in the index. */
  refresh(): Promise<void> {
    return this.index.refresh();
  }
}

function strip(unit: UnitInfo): UnitInfo {
  return {
    id: unit.id,
    parentId: unit.parentId,
    streetId: unit.streetId,
    kind: unit.kind,
    code: unit.code,
    name: unit.name,
    path: unit.path,
    depth: unit.depth,
    isActive: unit.isActive,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The area tree as other capabilities need it: point → grid, units, ancestors. */
    areas: AreasService;
  }
}

/**
 * Loads the grid index at start and keeps it current: changes made in this process are seen at once,
 * changes made by other processes arrive through NOTIFY minqing_units, and a lost LISTEN connection
 * means a full reload (notifications may have been missed).
 */
export const areasService = fp(
  async (app) => {
    const index = new GridIndex({
      loadAll: () => loadAreaUnits(app.db, AREA_KINDS),
      loadByIds: (ids) => loadAreaUnitsByIds(app.db, ids),
    });
    await index.refresh();
    let closed = false;
    const stopLocal = onUnitsChanged((ids) => index.markChanged(ids));
    const unlisten = await app.database.listen(UNITS_CHANNEL, (id) => index.markChanged([id]));
    app.database.onListenReconnect(() => {
      if (!closed) index.markAllChanged();
    });
    app.decorate('areas', new AreasService(index, app.db));
    app.addHook('onClose', async () => {
      closed = true;
      stopLocal();
      await unlisten();
    });
  },
  { name: 'areas', dependencies: ['core'] },
);
