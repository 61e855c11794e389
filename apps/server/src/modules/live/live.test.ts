import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { listen, SseReader } from './live-test-helpers.ts';
import { readEntriesAfter, replayStart } from './repository.ts';
import { MAX_REPLAY } from './stream-live-events.ts';

/** Reads the grid's label point, where sensitive cases are shown to the public. */
async function centreOf(app: App, unitId: string) {
  const row = await app.db
    .selectFrom('units')
    .select(['centroid_lng', 'centroid_lat'])
    .where('id', '=', unitId)
    .executeTakeFirstOrThrow();
  return { lng: row.centroid_lng!, lat: row.centroid_lat! };
}

async function entryIdsOf(app: App, caseId: string): Promise<number[]> {
  const rows = await app.db
    .selectFrom('journal_entries')
    .select('id')
    .where('record_type', '=', 'case')
    .where('record_id', '=', caseId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => row.id);
}

describe('GET /api/live over a real socket', () => {
  let app: App;
  let base: string;
  const readers: SseReader[] = [];
  const open = async (path: string, options: { cookie?: string; lastEventId?: string | number } = {}) => {
    const reader = await SseReader.open(`${base}${path}`, options);
    readers.push(reader);
    return reader;
  };

  beforeAll(async () => {
    app = await buildTestApp({ live: { heartbeatMs: 200 } });
    base = await listen(app);
  });
  afterAll(async () => {
    for (const reader of readers) reader.close();
    await app.close();
  });

  it('streams a street’s case events in commit order, each with its journal entry id, then a figures event', async () => {
    const c = await buildCommunity(app);
    const stream = await open(`/api/live?unitId=${c.street.id}`, {
      cookie: c.people.communityAdmin.client.cookie,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toContain('text/event-stream');
    const ready = await stream.ready();
    expect(ready.data).toMatchObject({ kind: 'ready', unitId: c.street.id, audience: 'staff', replayed: 0 });
    expect(ready.id).toBe(String(ready.data.lastEventId));

    const created = await report(c.people.resident.client, c);
    const id = created.body.id;
    await act(c.people.communityAdmin.client, id, 'accept');
    await act(c.people.communityAdmin.client, id, 'dispatch');

    await stream.waitFor((m) => m.event === 'case' && m.data.action === 'dispatch');
    const events = stream.cases(created.body.code);
    expect(events.map((m) => m.data.action)).toEqual(['report', 'accept', 'dispatch']);
    expect(events.map((m) => m.data.state)).toEqual(['reported', 'accepted', 'dispatched']);
    // the SSE id is the journal entry's id, and the order is the chain's
    const journalIds = await entryIdsOf(app, id);
    expect(events.map((m) => Number(m.id))).toEqual(journalIds);
    expect(events.map((m) => m.data.entryId)).toEqual(journalIds);
    expect(events[0]!.data).toMatchObject({
      audience: 'staff',
      caseId: id,
      code: created.body.code,
      category: { code: '0101', isSensitive: false },
      grid: { id: c.grid.id, name: c.grid.name },
      position: c.pointIn(0),
      isCoarse: false,
      isOnMap: true,
      summary: '小区门口垃圾堆了三天没人清运',
    });
    // after each burst the screen is told which counters changed
    const figures = await stream.waitFor((m) => m.event === 'figures' && m.data.entryId === journalIds[2]);
    expect(figures.data).toMatchObject({ kind: 'figures', streetIds: [c.street.id], gridIds: [c.grid.id] });
    expect(figures.id).toBe(String(journalIds[2]));
  });

  it('replays what a reconnecting client missed, from the Last-Event-ID header or the lastEventId parameter', async () => {
    const c = await buildCommunity(app);
    const first = await open(`/api/live?unitId=${c.community.id}`);
    const ready = await first.ready();
    const before = await report(c.people.resident.client, c);
    const seen = await first.waitFor((m) => m.event === 'case' && m.data.code === before.body.code);
    first.close();

    // while the client is away
    const missed = await report(c.people.gridWorker.client, c, { location: c.pointIn(1) });
    await act(c.people.communityAdmin.client, before.body.id, 'accept');

    const again = await open(`/api/live?unitId=${c.community.id}`, { lastEventId: seen.id! });
    const readyAgain = await again.ready();
    const replayed = again.messages.slice(0, again.messages.indexOf(readyAgain));
    // Other test files write to the same database: if more than a replay carries was written since,
    // the server must say so (reset, the client starts over) rather than replay part of it.
    if (replayed.some((m) => m.event === 'reset')) {
      const start = await replayStart(app.db, Number(seen.id), app.live.feed.overlapSeconds);
      expect((await readEntriesAfter(app.db, start, MAX_REPLAY + 1)).length).toBeGreaterThan(MAX_REPLAY);
      return;
    }
    const replayedCases = replayed.filter((m) => m.event === 'case');
    // the overlapping window may repeat what was seen; nothing missed is left out, in order
    expect(replayedCases.map((m) => `${String(m.data.code)}:${String(m.data.action)}`)).toEqual(
      expect.arrayContaining([`${missed.body.code}:report`, `${before.body.code}:accept`]),
    );
    const ids = replayedCases.map((m) => Number(m.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(readyAgain.data.replayed).toBe(replayedCases.length);
    expect(Number(readyAgain.id)).toBeGreaterThanOrEqual(Math.max(...ids));

    // a client reconnecting by hand passes the id as a parameter
    const byHand = await open(`/api/live?unitId=${c.community.id}&lastEventId=${ready.id}`);
    const readyByHand = await byHand.ready();
    if (byHand.messages.slice(0, byHand.messages.indexOf(readyByHand)).some((m) => m.event === 'reset')) {
      const start = await replayStart(app.db, Number(ready.id), app.live.feed.overlapSeconds);
      expect((await readEntriesAfter(app.db, start, MAX_REPLAY + 1)).length).toBeGreaterThan(MAX_REPLAY);
      return;
    }
    expect(byHand.cases().map((m) => `${String(m.data.code)}:${String(m.data.action)}`)).toEqual(
      expect.arrayContaining([
        `${before.body.code}:report`,
        `${missed.body.code}:report`,
        `${before.body.code}:accept`,
      ]),
    );
  });

  it('gives each viewer the form they may see: staff in scope in full, everyone else coarse and anonymous', async () => {
    const a = await buildCommunity(app);
    const b = await buildCommunity(app);
    const publicStream = await open(`/api/live?unitId=${a.street.id}`);
    const adminA = await open(`/api/live?unitId=${a.street.id}`, {
      cookie: a.people.communityAdmin.client.cookie,
    });
    const adminB = await open(`/api/live`, { cookie: b.people.communityAdmin.client.cookie });
    const handler = await open(`/api/live?unitId=${a.street.id}`, { cookie: a.people.handler.client.cookie });
    await Promise.all([publicStream.ready(), adminA.ready(), adminB.ready(), handler.ready()]);

    // a family dispute, reported with a name and a phone number in the text
    const dispute = await report(a.people.resident.client, a, {
      categoryCode: '0402',
      description: '王小明家夫妻吵架，邻居电话13812345678',
      location: a.pointIn(0),
    });
    expect(dispute.status).toBe(201);
    await act(a.people.communityAdmin.client, dispute.body.id, 'note', { text: '已联系调解员' });
    const marker = await report(a.people.resident.client, a, { location: a.pointIn(3) });

    for (const stream of [publicStream, adminA, adminB, handler]) {
      await stream.waitFor((m) => m.event === 'case' && m.data.code === marker.body.code);
    }

    const centre = await centreOf(app, a.grid.id);
    const [publicEvent] = publicStream.cases(dispute.body.code);
    expect(publicEvent!.data).toMatchObject({
      audience: 'public',
      caseId: null,
      summary: null,
      isCoarse: true,
      position: centre,
      category: { code: '0402', isSensitive: true },
    });
    // nothing personal anywhere in what the public received
    const publicText = publicStream.messages.map((m) => m.raw).join('\n');
    for (const secret of ['王小明', '13812345678', '夫妻吵架', dispute.body.id, '已联系调解员', '张三']) {
      expect(publicText).not.toContain(secret);
    }
    // internal notes are not news for the public
    expect(publicStream.cases(dispute.body.code).map((m) => m.data.action)).toEqual(['report']);

    // the community's admin sees the case in full, notes included
    expect(adminA.cases(dispute.body.code).map((m) => m.data.action)).toEqual(['report', 'note']);
    expect(adminA.cases(dispute.body.code)[0]!.data).toMatchObject({
      audience: 'staff',
      caseId: dispute.body.id,
      position: a.pointIn(0),
      isCoarse: false,
      summary: '王小明家夫妻吵架，邻居电话13812345678',
    });

    // another street's admin gets the public form, never the staff one
    const seenByB = adminB.cases(dispute.body.code);
    expect(seenByB.map((m) => m.data.audience)).toEqual(['public']);
    expect(seenByB[0]!.data.caseId).toBeNull();
    expect(JSON.stringify(seenByB)).not.toContain('13812345678');

    // a handler sees cases dispatched to their organisation in full, not the others
    expect(handler.cases(marker.body.code)[0]!.data.audience).toBe('public');
    await act(a.people.communityAdmin.client, marker.body.id, 'accept');
    await act(a.people.communityAdmin.client, marker.body.id, 'dispatch', { orgId: a.teams.sanitation });
    const dispatched = await handler.waitFor(
      (m) => m.event === 'case' && m.data.code === marker.body.code && m.data.action === 'dispatch',
    );
    expect(dispatched.data).toMatchObject({ audience: 'staff', caseId: marker.body.id });
  });

  it('follows only the unit asked for, and only the event kinds asked for', async () => {
    const c = await buildCommunity(app);
    const gridStream = await open(`/api/live?unitId=${c.grids[1]!.id}&types=case`);
    await gridStream.ready();
    const elsewhere = await report(c.people.resident.client, c, { location: c.pointIn(0) });
    const here = await report(c.people.resident.client, c, { location: c.pointIn(1) });
    await gridStream.waitFor((m) => m.event === 'case' && m.data.code === here.body.code);
    expect(gridStream.cases(elsewhere.body.code)).toEqual([]);
    expect(gridStream.messages.some((m) => m.event === 'figures')).toBe(false);
  });

  it('sends heartbeat comments and a retry hint', async () => {
    const stream = await open('/api/live');
    await stream.ready();
    expect(await stream.waitForComment('hb')).toMatch(/^hb \d+$/);
  });

  it('refuses malformed parameters with the reason, and units the viewer may not see', async () => {
    const c = await buildCommunity(app);
    const badId = await c.public.get('/api/live?unitId=not-a-uuid');
    expect(badId.status).toBe(400);
    expect(badId.body.error.details.issues[0].path).toBe('querystring.unitId');
    const badType = await c.public.get(`/api/live?types=case,gossip`);
    expect(badType.status).toBe(400);
    expect(badType.body.error.details.issues[0].messageZh).toContain('未知的事件类型');
    const badLast = await c.public.get('/api/live?lastEventId=abc');
    expect(badLast.status).toBe(400);
    const unknownField = await c.public.get('/api/live?since=1');
    expect(unknownField.status).toBe(400);
    // a household is not public: following it answers as if it did not exist
    const household = await c.public.get(`/api/live?unitId=${c.household.id}`);
    expect(household.status).toBe(404);
    const missing = await c.public.get(`/api/live?unitId=${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
  });
});
