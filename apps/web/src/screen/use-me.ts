import type { Me } from '@minqing/contract';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../shared/api.ts';

/**
 * Who is looking: null for the public (no session, the default on a wall screen), or the signed-in
 * staff member. Residents are not staff: the screen stays public for them.
 */
export function useMe(): {
  me: Me | null;
  checked: boolean;
  setMe: (me: Me | null) => void;
  signOut: () => Promise<void>;
} {
  const [me, setMe] = useState<Me | null>(null);
  const [checked, setChecked] = useState(false);
  useEffect(() => {
    let live = true;
    api
      .get<Me>('/api/me')
      .then((value) => live && setMe(value))
      .catch((caught: unknown) => {
        if (!(caught instanceof ApiError) || caught.status !== 401)
          console.warn('GET /api/me failed', caught);
      })
      .finally(() => live && setChecked(true));
    return () => {
      live = false;
    };
  }, []);
  const signOut = useCallback(async () => {
    await api.post('/api/auth/logout');
    setMe(null);
  }, []);
  return { me, checked, setMe, signOut };
}

export function isStaff(me: Me | null): boolean {
  return me !== null && me.kind === 'staff';
}
