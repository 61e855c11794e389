import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';

/**
 * The figures read the cases table; these tests place cases in known states directly, so every count
 * can be checked by hand against docs/kpis.md.
 */
async function insertCase(
  app: App,
  community: TestCommunity,
  fields: {
    gridIndex?: number;
    state: string;
    reportedAt: string;
    source?: string;
    acceptedAt?: string;
    acceptDueAt?: string;
    handledAt?: string;
    handleDueAt?: string;
    dueAt?: string;
    rating?: 'satisfied' | 'basically_satisfied' | 'unsatisfied';
    reworkCount?: number;
    category?: string;
  },
) {
  const grid = community.grids[fields.gridIndex ?? 0]!;
  const id = crypto.randomUUID();
  await app.db
    .insertInto('cases')
    .values({
      id,
      code: `T${id.slice(0, 12)}`,
      street_id: community.street.id,
      community_id: community.community.id,
      grid_id: grid.id,
      unit_path: grid.path,
      category_code: fields.category ?? '0101',
      source: fields.source ?? 'resident',
      state: fields.state,
      description: 'figures test',
      reported_at: new Date(fields.reportedAt),
      accepted_at: fields.acceptedAt ? new Date(fields.acceptedAt) : null,
      accept_due_at: fields.acceptDueAt ? new Date(fields.acceptDueAt) : null,
      handled_at: fields.handledAt ? new Date(fields.handledAt) : null,
      handle_due_at: fields.handleDueAt ? new Date(fields.handleDueAt) : null,
      due_at: fields.dueAt ? new Date(fields.dueAt) : null,
      rating: fields.rating ?? null,
      rework_count: fields.reworkCount ?? 0,
      org_id: community.teams.sanitation,
    })
    .execute();
}

describe('performance figures', () => {
  let app: App;
  let community: TestCommunity;

  beforeAll(async () => {
    app = await buildTestApp();
    community = await buildCommunity(app);
    const day = '2026-10-12T';
    // closed on time, satisfied, public report accepted on time
    await insertCase(app, community, {
      state: 'closed',
      reportedAt: `${day}01:00:00Z`,
      acceptedAt: `${day}01:30:00Z`,
      acceptDueAt: `${day}03:00:00Z`,
      handledAt: `${day}05:00:00Z`,
      handleDueAt: `${day}09:00:00Z`,
      rating: 'satisfied',
    });
    // closed late (handled after the deadline), basically satisfied, reworked once, patrol
    await insertCase(app, community, {
      state: 'closed',
      source: 'patrol',
      reportedAt: `${day}02:00:00Z`,
      acceptedAt: `${day}06:00:00Z`,
      acceptDueAt: `${day}04:00:00Z`,
      handledAt: '2026-10-14T02:00:00Z',
      handleDueAt: '2026-10-13T02:00:00Z',
      rating: 'basically_satisfied',
      reworkCount: 1,
    });
    // handled, awaiting follow-up, in grid 2
    await insertCase(app, community, {
      gridIndex: 1,
      state: 'follow_up',
      reportedAt: `${day}03:00:00Z`,
      acceptedAt: `${day}03:10:00Z`,
      acceptDueAt: `${day}05:00:00Z`,
      handledAt: `${day}07:00:00Z`,
      handleDueAt: `${day}09:00:00Z`,
    });
    // open and overdue
    await insertCase(app, community, {
      gridIndex: 1,
      state: 'dispatched',
      reportedAt: `${day}04:00:00Z`,
      acceptedAt: `${day}04:30:00Z`,
      acceptDueAt: `${day}06:00:00Z`,
      dueAt: '2026-10-13T04:00:00Z',
      handleDueAt: '2026-10-13T04:00:00Z',
    });
    // rejected: not in the cohort that is due
    await insertCase(app, community, { state: 'rejected', reportedAt: `${day}05:00:00Z` });
    // the previous week, for the comparison
    await insertCase(app, community, {
      state: 'closed',
      reportedAt: '2026-10-05T02:00:00Z',
      acceptedAt: '2026-10-05T02:10:00Z',
      acceptDueAt: '2026-10-05T04:00:00Z',
      handledAt: '2026-10-05T03:00:00Z',
      handleDueAt: '2026-10-05T09:00:00Z',
      rating: 'unsatisfied',
    });
  });
  afterAll(() => app.close());

  const url = (query: Record<string, string>) =>
    `/api/figures?${new URLSearchParams({ unitId: community.community.id, ...query }).toString()}`;

  it('counts the cohort of a period and derives every rate from it', async () => {
    const reply = await community.public.get(url({ from: '2026-10-12', to: '2026-10-18' }));
    expect(reply.status).toBe(200);
    const { counts, rates, score } = reply.body.total;
    expect(counts).toMatchObject({
      due: 4,
      accepted: 4,
      acceptedOnTime: 3,
      acceptedPublicReports: 3,
      handled: 3,
      handledOnTime: 2,
      closed: 2,
      closedOnTime: 1,
      reworked: 1,
      followUps: 2,
      satisfied: 1,
      basicallySatisfied: 1,
      unsatisfied: 0,
    });
    expect(counts.overdueOpen).toBe(1);
    expect(rates.closureRate).toBe(0.5);
    expect(rates.onTimeClosureRate).toBe(0.25);
    expect(rates.reworkRate).toBeCloseTo(1 / 3);
    expect(rates.publicReportRate).toBe(0.75);
    expect(rates.responseRate).toBe(0.75);
    expect(rates.satisfactionRate).toBeCloseTo(0.95);
    expect(typeof score).toBe('number');
  });

  it('splits by grid with names, and compares with the previous period', async () => {
    const reply = await community.public.get(
      url({ from: '2026-10-12', to: '2026-10-18', groupBy: 'grid', compare: 'previous' }),
    );
    expect(reply.status).toBe(200);
    const byGrid = new Map(reply.body.rows.map((row: any) => [row.key, row]));
    expect((byGrid.get(community.grids[0]!.id) as any).counts.due).toBe(2);
    expect((byGrid.get(community.grids[1]!.id) as any).counts.due).toBe(2);
    expect((byGrid.get(community.grids[0]!.id) as any).name.zh).toBe('第1网格');
    expect(reply.body.comparison.period).toEqual({ from: '2026-10-05', to: '2026-10-11' });
    expect(reply.body.comparison.total.counts.closed).toBe(1);
    expect(reply.body.comparison.total.rates.satisfactionRate).toBe(0);
  });

  it('filters by category and refuses a malformed query with a bilingual reason', async () => {
    const empty = await community.public.get(url({ from: '2026-10-12', to: '2026-10-18', category: '04' }));
    expect(empty.status).toBe(200);
    expect(empty.body.total.counts.due).toBe(0);
    expect(empty.body.total.rates.closureRate).toBeNull();
    const bad = await community.public.get(url({ from: '2026-13-40', groupBy: 'planet' }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details.issues.map((i: any) => i.path)).toEqual(
      expect.arrayContaining(['querystring.from', 'querystring.groupBy']),
    );
    const backwards = await community.public.get(url({ from: '2026-10-18', to: '2026-10-12' }));
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.messages.en).toMatch(/ends before it starts/);
  });

  it('answers 404 for an unknown unit', async () => {
    const reply = await community.public.get(`/api/figures?unitId=${crypto.randomUUID()}`);
    expect(reply.status).toBe(404);
  });
});
