import type { GridCoverage } from '@minqing/contract';
import { difference, union, type Geom } from 'polyclip-ts';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { areaOf, overlapArea, overlapTolerance, OVERLAP_TOLERANCE_M2 } from '../areas/geometry-checks.ts';
import { isAreal, polygonsOf, type MultiPolygonGeometry, type PolygonGeometry } from '../areas/geometry.ts';
import { getUnitMap } from '../areas/get-unit-map.ts';
import { canReadUnit } from '../areas/policy.ts';
import { findUnit } from '../areas/repository.ts';

type Areal = PolygonGeometry | MultiPolygonGeometry;

const toClip = (geometry: Areal): Geom =>
  polygonsOf(geometry).map((polygon) =>
    polygon.map((ring) => ring.map(([lng = 0, lat = 0]) => [lng, lat] as [number, number])),
  );

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Do a community's grids cover it without overlapping (docs/decisions/0101)? Pairs of grids that
 * overlap beyond the tolerance, the parts of the community outline no grid covers (gaps), and grids
 * reaching outside the outline. Writes already refuse overlaps; this check shows an administrator
 * what remains to draw, and what older or imported data got wrong.
 */
export async function checkGridCoverage(app: App, actor: Actor, communityId: string): Promise<GridCoverage> {
  const community = await findUnit(app.db, communityId);
  if (!community || community.kind !== 'community' || !canReadUnit(actor, community)) {
    throw errors.notFound({ zh: '社区/村', en: 'Community' });
  }
  const map = await getUnitMap(app.db, community, ['grid'], actor);
  const grids = map.features
    .filter((feature) => feature.properties.kind === 'grid' && feature.properties.parentId === community.id)
    .flatMap((feature) =>
      isAreal(feature.geometry)
        ? [
            {
              id: feature.id,
              code: feature.properties.code,
              name: feature.properties.name,
              geometry: feature.geometry,
            },
          ]
        : [],
    );

  const overlaps: GridCoverage['overlaps'] = [];
  for (let i = 0; i < grids.length; i++) {
    for (let j = i + 1; j < grids.length; j++) {
      const a = grids[i]!;
      const b = grids[j]!;
      const common = overlapArea(a.geometry, b.geometry);
      if (common > 0 && common > overlapTolerance(a.geometry, b.geometry)) {
        overlaps.push({
          a: { id: a.id, code: a.code, name: a.name },
          b: { id: b.id, code: b.code, name: b.name },
          areaM2: round(common),
        });
      }
    }
  }

  const gridsAreaM2 = grids.reduce((sum, grid) => sum + areaOf(grid.geometry), 0);
  const outline = community.geometry && isAreal(community.geometry) ? community.geometry : null;
  if (!outline) {
    return {
      communityId,
      communityAreaM2: null,
      gridsAreaM2: round(gridsAreaM2),
      coveredShare: null,
      overlaps,
      gaps: { type: 'FeatureCollection', features: [] },
      outside: [],
    };
  }
  const communityArea = areaOf(outline);
  const covered =
    grids.length > 0
      ? union(toClip(grids[0]!.geometry), ...grids.slice(1).map((g) => toClip(g.geometry)))
      : [];
  const uncovered = grids.length > 0 ? difference(toClip(outline), covered) : toClip(outline);
  const gaps = uncovered
    .map((polygon) => {
      const geometry = { type: 'Polygon' as const, coordinates: polygon as number[][][] };
      return { type: 'Feature' as const, geometry, properties: { areaM2: round(areaOf(geometry)) } };
    })
    .filter((feature) => feature.properties.areaM2 >= OVERLAP_TOLERANCE_M2)
    .sort((a, b) => b.properties.areaM2 - a.properties.areaM2);
  const gapArea = gaps.reduce((sum, gap) => sum + gap.properties.areaM2, 0);
  const outside = grids
    .map((grid) => {
      const beyond = difference(toClip(grid.geometry), toClip(outline));
      const areaM2 = beyond.length > 0 ? areaOf({ type: 'MultiPolygon', coordinates: beyond }) : 0;
      return { id: grid.id, code: grid.code, name: grid.name, areaM2: round(areaM2) };
    })
    .filter((grid) => grid.areaM2 >= OVERLAP_TOLERANCE_M2);
  return {
    communityId,
    communityAreaM2: round(communityArea),
    gridsAreaM2: round(gridsAreaM2),
    coveredShare: communityArea > 0 ? Math.max(0, Math.min(1, 1 - gapArea / communityArea)) : null,
    overlaps,
    gaps: { type: 'FeatureCollection', features: gaps },
    outside,
  };
}
