import type { App } from '../../app.ts';
import type { Client, Reply } from '../../../test/harness.ts';
import type { TestCommunity } from '../../../test/factories.ts';
import { verifyJournal } from '../journal/verify-journal.ts';

/** Test helpers for patrols: calls over HTTP, a walk of GPS fixes, and the street's journal check. */

/** Tests read JSON replies and assert on them; typing every body is not the point (as in *.test.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

export async function startPatrolAs(
  client: Client,
  body: { gridId?: string; startedAt?: string; id?: string } = {},
): Promise<Reply<Loose>> {
  return client.post('/api/patrols', { id: crypto.randomUUID(), ...body });
}

/** Fixes every 5 s walking north from a point (about 11 m per 0.0001°). */
export function walk(
  from: { lng: number; lat: number },
  startMs: number,
  count: number,
  everyMs = 5000,
): { at: string; lng: number; lat: number; accuracy: number }[] {
  return Array.from({ length: count }, (_, i) => ({
    at: new Date(startMs + i * everyMs).toISOString(),
    lng: from.lng,
    lat: Math.round((from.lat + i * 0.0001) * 1e7) / 1e7,
    accuracy: 8,
  }));
}

export function sendPoints(
  client: Client,
  patrolId: string,
  points: unknown[],
  key: string = crypto.randomUUID(),
): Promise<Reply<Loose>> {
  return client.post(`/api/patrols/${patrolId}/points`, { points }, { 'idempotency-key': key });
}

export async function okBody<T = Loose>(reply: Reply<T>, expected = [200, 201]): Promise<T> {
  if (!expected.includes(reply.status)) {
    throw new Error(`answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}

/** Runs the journal verifier over the community's street: chains, and the rows they project. */
export async function verifyStreet(app: App, community: TestCommunity) {
  const report = await verifyJournal(app.db, { streetId: community.street.id, threads: 0 });
  return { problems: report.problems.map((p) => p.message.en), projections: report.projections };
}

/** A plan of two windows a day for the community's first grid, from today. */
export async function planTwiceADay(client: Client, community: TestCommunity) {
  return client.post('/api/patrols/plans', {
    gridId: community.grid.id,
    shifts: [
      { start: '08:00', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ],
  });
}
