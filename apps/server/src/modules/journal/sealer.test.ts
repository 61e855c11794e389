import { canonicalBatchHead } from '@minqing/contract';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { sha256Hex, verifySignature } from '../../crypto/index.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { entryMerkleRootHex } from './merkle.ts';
import { sealingDelay, sealOnce } from './sealer.ts';

const isPglite = (process.env.MINQING_TEST_BACKEND ?? 'pglite') === 'pglite';

async function streetEntries(app: App, streetId: string) {
  return app.db
    .selectFrom('journal_entries')
    .select(['id', 'hash', 'batch_id', 'leaf_index', 'record_id', 'seq'])
    .where('street_id', '=', streetId)
    .orderBy('id')
    .execute();
}

async function streetBatches(app: App, streetId: string) {
  return app.db
    .selectFrom('journal_batches')
    .selectAll()
    .where('street_id', '=', streetId)
    .orderBy('seq')
    .execute();
}

async function reportCases(community: TestCommunity, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const reply = await report(community.people.resident.client, community, {
      description: `第${i + 1}处路灯不亮，晚上看不清路`,
      categoryCode: '0201',
    });
    expect(reply.status).toBe(201);
    ids.push(reply.body.id);
  }
  return ids;
}

describe('the sealer', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it("seals a street's entries into signed batches, each linked to the previous head", async () => {
    const c = await buildCommunity(app);
    const [first] = await reportCases(c, 3);

    const sealed = await sealOnce(app, { streetId: c.street.id });
    expect(sealed.isLockedElsewhere).toBe(false);
    await act(c.people.communityAdmin.client, first!, 'accept', {});
    await act(c.people.communityAdmin.client, first!, 'dispatch', {});
    await sealOnce(app, { streetId: c.street.id });

    const entries = await streetEntries(app, c.street.id);
    expect(entries.length).toBeGreaterThanOrEqual(5);
    expect(entries.every((entry) => entry.batch_id !== null && entry.leaf_index !== null)).toBe(true);

    const batches = await streetBatches(app, c.street.id);
    expect(batches.length).toBeGreaterThanOrEqual(2);
    const keys = await app.db.selectFrom('signing_keys').selectAll().execute();
    let previousHead: string | null = null;
    batches.forEach((batch, index) => {
      expect(batch.seq).toBe(index + 1);
      expect(batch.prev_head_hash).toBe(previousHead);
      const members = entries
        .filter((entry) => entry.batch_id === batch.id)
        .sort((a, b) => a.leaf_index! - b.leaf_index!);
      expect(members.map((member) => member.leaf_index)).toEqual(members.map((_, i) => i));
      expect(members.length).toBe(batch.size);
      expect(batch.first_entry_id).toBe(members[0]!.id);
      expect(batch.last_entry_id).toBe(members[members.length - 1]!.id);
      expect(entryMerkleRootHex(members.map((member) => member.hash))).toBe(batch.merkle_root);
      const head = canonicalBatchHead({
        streetId: batch.street_id,
        seq: batch.seq,
        size: batch.size,
        merkleRoot: batch.merkle_root,
        prevHeadHash: batch.prev_head_hash,
        firstEntryId: batch.first_entry_id,
        lastEntryId: batch.last_entry_id,
        sealedAt: batch.sealed_at.toISOString(),
        keyId: batch.key_id,
      });
      expect(sha256Hex(head)).toBe(batch.head_hash);
      const key = keys.find((k) => k.key_id === batch.key_id);
      expect(key, 'the signing key is published in signing_keys').toBeDefined();
      expect(verifySignature(key!.public_key, head, batch.signature)).toBe(true);
      expect(
        verifySignature(key!.public_key, head.replace(batch.merkle_root, '0'.repeat(64)), batch.signature),
      ).toBe(false);
      previousHead = batch.head_hash;
    });
  });

  it('gives an entry its batch once: the journal refuses to move a sealed entry', async () => {
    const c = await buildCommunity(app);
    await reportCases(c, 2);
    await sealOnce(app, { streetId: c.street.id });
    const [entry] = await streetEntries(app, c.street.id);
    const before = await streetBatches(app, c.street.id);

    await expect(
      sql`UPDATE journal_entries SET leaf_index = leaf_index + 1 WHERE id = ${entry!.id}`.execute(app.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`UPDATE journal_entries SET batch_id = NULL WHERE id = ${entry!.id}`.execute(app.db),
    ).rejects.toThrow(/append-only/);

    const again = await sealOnce(app, { streetId: c.street.id });
    expect(again.batches).toEqual([]);
    expect(await streetBatches(app, c.street.id)).toEqual(before);
  });

  it('splits a backlog into batches of at most the maximum size, in id order', async () => {
    const c = await buildCommunity(app);
    await reportCases(c, 5);
    const result = await sealOnce(app, { streetId: c.street.id, maxBatchSize: 2 });
    const entries = await streetEntries(app, c.street.id);
    const batches = await streetBatches(app, c.street.id);
    expect(result.batches.map((batch) => batch.size)).toEqual([2, 2, 1]);
    expect(batches.map((batch) => batch.size)).toEqual([2, 2, 1]);
    // Leaves follow id order across the batches, so the street's history reads in commit order.
    const order = [...entries].sort((a, b) => a.batch_id! - b.batch_id! || a.leaf_index! - b.leaf_index!);
    expect(order.map((entry) => entry.id)).toEqual(entries.map((entry) => entry.id));
  });

  it('never seals an entry twice when two sealers run at once', async () => {
    const c = await buildCommunity(app);
    await reportCases(c, 6);
    const second = await buildTestApp();
    try {
      const results = await Promise.all([
        sealOnce(app, { streetId: c.street.id, maxBatchSize: 2 }),
        sealOnce(second, { streetId: c.street.id, maxBatchSize: 2 }),
        sealOnce(app, { streetId: c.street.id, maxBatchSize: 2 }),
      ]);
      const entries = await streetEntries(app, c.street.id);
      const batches = await streetBatches(app, c.street.id);
      const sealedBatchIds = results.flatMap((result) => result.batches.map((batch) => batch.id)).sort();
      expect(sealedBatchIds).toEqual(batches.map((batch) => batch.id).sort());
      expect(batches.map((batch) => batch.seq)).toEqual(batches.map((_, i) => i + 1));
      expect(batches.reduce((sum, batch) => sum + batch.size, 0)).toBe(entries.length);
      for (const batch of batches) {
        expect(entries.filter((entry) => entry.batch_id === batch.id)).toHaveLength(batch.size);
      }
      batches.slice(1).forEach((batch, i) => expect(batch.prev_head_hash).toBe(batches[i]!.head_hash));
    } finally {
      await second.close();
    }
  });

  it.skipIf(isPglite)('stands aside while another process holds the sealing lock', async () => {
    const c = await buildCommunity(app);
    await reportCases(c, 1);
    await app.db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(7404202)`.execute(trx);
      const result = await sealOnce(app, { streetId: c.street.id, lockTimeoutMs: 100 });
      expect(result).toEqual({ batches: [], isLockedElsewhere: true });
    });
    expect((await streetEntries(app, c.street.id)).every((entry) => entry.batch_id === null)).toBe(true);
    const after = await sealOnce(app, { streetId: c.street.id });
    expect(after.batches).toHaveLength(1);
  });

  it('measures the sealing delay and counts what still waits', async () => {
    const c = await buildCommunity(app);
    const since = new Date(Date.now() - 1000);
    await reportCases(c, 3);
    const waiting = await sealingDelay(app.db, { streetId: c.street.id, since });
    expect(waiting).toMatchObject({ sealedCount: 0, unsealedCount: 3, p50: null });
    expect(waiting.oldestUnsealedAgeMs).toBeGreaterThanOrEqual(0);

    await sealOnce(app, { streetId: c.street.id });
    const delay = await sealingDelay(app.db, { streetId: c.street.id, since });
    expect(delay).toMatchObject({ sealedCount: 3, unsealedCount: 0, oldestUnsealedAgeMs: 0 });
    const entries = await app.db
      .selectFrom('journal_entries as e')
      .innerJoin('journal_batches as b', 'b.id', 'e.batch_id')
      .select(['e.committed_at', 'b.sealed_at'])
      .where('e.street_id', '=', c.street.id)
      .execute();
    const delays = entries.map((row) => Math.max(0, row.sealed_at.getTime() - row.committed_at.getTime()));
    // The database keeps microseconds, JavaScript dates milliseconds: the two agree to within 1 ms.
    expect(Math.abs(delay.max! - Math.max(...delays))).toBeLessThanOrEqual(1);
    expect(delay.p50).toBeLessThanOrEqual(delay.p95!);
    expect(delay.p95).toBeLessThanOrEqual(delay.max!);
  });
});
