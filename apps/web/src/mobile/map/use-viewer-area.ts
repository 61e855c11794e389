import type { Me, UnitDetail } from '@minqing/contract';
import { useEffect, useState } from 'react';
import { fetchTopUnits, fetchUnit } from '../../features/map/units-api.ts';
import { api, ApiError } from '../../shared/api.ts';

const AREA_KINDS = new Set(['street', 'community', 'grid']);

/**
 * Which area the phone map opens on: the one in the link (`/m/map?unit=…`), else the resident's own
 * community, else the area of the staff member's first role, else the first street — so a villager who
 * opens the map from WeChat sees their own village without choosing anything.
 */
export function useViewerArea(requested: string | null): {
  me: Me | null;
  unit: UnitDetail | null;
  error: ApiError | null;
  loading: boolean;
} {
  const [me, setMe] = useState<Me | null>(null);
  const [unit, setUnit] = useState<UnitDetail | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setError(null);
    (async () => {
      const viewer = await api.get<Me>('/api/me').catch(() => null);
      if (!live) return;
      setMe(viewer);
      let unitId = requested;
      if (!unitId && viewer?.homeUnit) unitId = viewer.homeUnit.id;
      if (!unitId && viewer) {
        const held = viewer.roles.find((role) => AREA_KINDS.has(role.unit.kind));
        unitId = held?.unit.id ?? null;
      }
      if (!unitId) unitId = (await fetchTopUnits())[0]?.id ?? null;
      if (!unitId) {
        if (live) setUnit(null);
        return;
      }
      const detail = await fetchUnit(unitId);
      if (live) setUnit(detail);
    })()
      .catch((caught: unknown) => {
        if (!live) return;
        setError(
          caught instanceof ApiError
            ? caught
            : new ApiError(0, 'unknown', { zh: '无法读取区域', en: 'Could not load the area' }, {}),
        );
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [requested]);

  return { me, unit, error, loading };
}
