import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../../app.ts';
import { openDatabase, type Database } from '../../db/database.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { buildTestApp, testConfig } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { listen, SseReader } from './live-test-helpers.ts';

/**
 * Several server processes on one PostgreSQL database, each with its own LISTEN connection: an event
 * committed through either reaches the streams of both, and a listener whose connection is cut
 * reconnects and reads back what was committed meanwhile. PGlite is one process by construction.
 */
describe.skipIf(process.env.MINQING_TEST_BACKEND !== 'postgres')(
  'live events across server processes',
  () => {
    let first: App;
    let second: App;
    let secondDatabase: Database;
    let firstBase: string;
    let secondBase: string;
    const readers: SseReader[] = [];

    beforeAll(async () => {
      first = await buildTestApp();
      // A second process: its own pool and its own LISTEN connection on the same database.
      secondDatabase = await openDatabase({ databaseUrl: inject('postgresUrl'), poolSize: 4 });
      second = await buildApp({ config: testConfig(), database: secondDatabase });
      await second.ready();
      firstBase = await listen(first);
      secondBase = await listen(second);
    });
    afterAll(async () => {
      for (const reader of readers) reader.close();
      await second?.close();
      await secondDatabase?.close();
      await first?.close();
    });

    const open = async (base: string, path: string) => {
      const reader = await SseReader.open(`${base}${path}`);
      readers.push(reader);
      await reader.ready();
      return reader;
    };

    it('delivers an event committed through either process to the streams of both', async () => {
      const c = await buildCommunity(first);
      const onFirst = await open(firstBase, `/api/live?unitId=${c.street.id}`);
      const onSecond = await open(secondBase, `/api/live?unitId=${c.street.id}`);

      // reported through the first process (its inject), accepted through the second
      const created = await report(c.people.resident.client, c);
      expect(created.status).toBe(201);
      const admin = c.people.communityAdmin;
      const viaSecond = await second.inject({
        method: 'POST',
        url: `/api/cases/${created.body.id}/accept`,
        headers: { cookie: admin.client.cookie! },
        payload: {},
      });
      expect(viaSecond.statusCode).toBe(200);

      for (const stream of [onFirst, onSecond]) {
        await stream.waitFor(
          (m) => m.event === 'case' && m.data.code === created.body.code && m.data.action === 'accept',
        );
        expect(stream.cases(created.body.code).map((m) => m.data.action)).toEqual(['report', 'accept']);
      }
      expect(onFirst.cases(created.body.code).map((m) => m.id)).toEqual(
        onSecond.cases(created.body.code).map((m) => m.id),
      );
    });

    it('survives a dropped LISTEN connection: it reconnects and catches up on what was committed meanwhile', async () => {
      const c = await buildCommunity(first);
      const stream = await open(secondBase, `/api/live?unitId=${c.street.id}`);

      // Find the second process's listening backend: make it the last to LISTEN on a channel of its own.
      const tag = `mq_probe_${crypto.randomUUID().replaceAll('-', '')}`;
      const stopProbe = await secondDatabase.listen(tag, () => {});
      const backend = await sql<{ pid: number }>`
      SELECT pid FROM pg_stat_activity WHERE query = ${`LISTEN "${tag}"`}`.execute(first.db);
      expect(backend.rows).toHaveLength(1);
      const reconnected = new Promise<void>((resolve) => secondDatabase.onListenReconnect(resolve));

      const pid = backend.rows[0]!.pid;
      await sql`SELECT pg_terminate_backend(${pid})`.execute(first.db);
      // Gone for good before anything is committed, so no notification can still reach it.
      for (;;) {
        const alive = await sql`SELECT 1 FROM pg_stat_activity WHERE pid = ${pid}`.execute(first.db);
        if (alive.rows.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Committed while the second process cannot hear: only the catch-up can bring it.
      const whileAway = await report(c.people.resident.client, c);
      expect(whileAway.status).toBe(201);
      const heardBeforeReconnect = stream.cases(whileAway.body.code).length;
      await reconnected;
      expect(heardBeforeReconnect).toBe(0);
      await stream.waitFor((m) => m.event === 'case' && m.data.code === whileAway.body.code);

      // and it hears live events again
      await act(c.people.communityAdmin.client, whileAway.body.id, 'accept');
      await stream.waitFor(
        (m) => m.event === 'case' && m.data.code === whileAway.body.code && m.data.action === 'accept',
      );
      expect(stream.cases(whileAway.body.code).map((m) => m.data.action)).toEqual(['report', 'accept']);
      await stopProbe();
    });
  },
);
