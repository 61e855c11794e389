import type { Capability, Me } from '@minqing/contract';
import { createContext, useContext } from 'react';

export interface Session {
  me: Me;
  /** Reads /api/me again (after a password change, a role change). */
  refresh: () => Promise<void>;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in console');
  return session;
}

export function hasCapability(me: Me, capability: Capability | readonly Capability[] | undefined): boolean {
  if (!capability) return true;
  const wanted = typeof capability === 'string' ? [capability] : capability;
  return wanted.some((c) => me.capabilities.includes(c));
}

/** The units where the person holds a role, highest first (a street before its communities). */
export function roleUnits(me: Me, roles?: readonly string[]) {
  const seen = new Map<string, Me['roles'][number]['unit']>();
  for (const held of me.roles) {
    if (roles && !roles.includes(held.role)) continue;
    seen.set(held.unit.id, held.unit);
  }
  const order = ['province', 'city', 'county', 'street', 'community', 'grid'];
  return [...seen.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
}
