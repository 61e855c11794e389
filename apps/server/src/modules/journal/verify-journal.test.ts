import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { join } from 'node:path';
import { loadOrCreateSigningKey, sha256Hex } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp, testDataDir } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { appendEntry } from './append-entry.ts';
import { registerJournalRecordType, unregisterJournalRecordType } from './record-types.ts';
import { sealOnce } from './sealer.ts';
import { verifyJournal } from './verify-journal.ts';

/**
 * Tampers as an attacker with database access would: with the append-only triggers switched off.
 * Inside one transaction, so no other test (sharing this database) ever sees them off.
 */
async function tamper(db: Db, work: (trx: Db) => Promise<unknown>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE journal_entries DISABLE TRIGGER journal_entries_append_only`.execute(trx);
    await sql`ALTER TABLE journal_batches DISABLE TRIGGER journal_batches_append_only`.execute(trx);
    await work(trx);
    await sql`ALTER TABLE journal_entries ENABLE TRIGGER journal_entries_append_only`.execute(trx);
    await sql`ALTER TABLE journal_batches ENABLE TRIGGER journal_batches_append_only`.execute(trx);
  });
}

const run = (trx: Db, query: RawBuilder<unknown>) => query.execute(trx);

async function entryOf(app: App, caseId: string, seq: number) {
  return app.db
    .selectFrom('journal_entries')
    .selectAll()
    .where('record_type', '=', 'case')
    .where('record_id', '=', caseId)
    .where('seq', '=', seq)
    .executeTakeFirstOrThrow();
}

/**
 * A street with two cases: one reported, accepted and dispatched (three entries, sealed) and then
 * started (a fourth, unsealed), one only reported (sealed).
 */
async function streetWithCases(app: App): Promise<{ c: TestCommunity; worked: string; reported: string }> {
  const c = await buildCommunity(app);
  const worked = await report(c.people.resident.client, c, { description: '楼道里堆满了杂物，影响通行' });
  const reported = await report(c.people.otherResident.client, c, { description: '小区路灯坏了两盏' });
  expect([worked.status, reported.status]).toEqual([201, 201]);
  await act(c.people.communityAdmin.client, worked.body.id, 'accept', {});
  await act(c.people.communityAdmin.client, worked.body.id, 'dispatch', {});
  await sealOnce(app, { streetId: c.street.id });
  await act(c.people.handler.client, worked.body.id, 'start', {});
  return { c, worked: worked.body.id, reported: reported.body.id };
}

describe('journal verification', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('passes an untouched journal, sealed and unsealed, with its case rows', async () => {
    const { c } = await streetWithCases(app);
    const result = await verifyJournal(app.db, { streetId: c.street.id });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({
      isValid: true,
      streetId: c.street.id,
      entries: 5,
      records: 2,
      unsealedEntries: 1,
      problemCount: 0,
    });
    expect(result.batches).toBeGreaterThanOrEqual(1);
    expect(result.projections).toContainEqual({ recordType: 'case', rows: 2 });
  });

  it('gives the same verdict with the hashing in a worker thread', async () => {
    const { c, worked } = await streetWithCases(app);
    const clean = await verifyJournal(app.db, { streetId: c.street.id, threads: 1 });
    expect(clean).toMatchObject({ isValid: true, entries: 5, records: 2, threads: 1 });

    const target = await entryOf(app, worked, 2);
    await tamper(app.db, (trx) =>
      run(trx, sql`UPDATE journal_entries SET action = 'reject' WHERE id = ${target.id}`),
    );
    const broken = await verifyJournal(app.db, { streetId: c.street.id, threads: 1 });
    expect(broken.isValid).toBe(false);
    expect(broken.problems[0]).toMatchObject({ code: 'entry_hash_mismatch', entryId: target.id, seq: 2 });
  });

  it('names the entry whose payload was altered in SQL', async () => {
    const { c, worked } = await streetWithCases(app);
    const target = await entryOf(app, worked, 1);
    await tamper(app.db, (trx) =>
      run(
        trx,
        sql`UPDATE journal_entries SET payload = jsonb_set(payload, '{set,description}', '"一切正常"')
             WHERE id = ${target.id}`,
      ),
    );
    const result = await verifyJournal(app.db, { streetId: c.street.id });
    expect(result.isValid).toBe(false);
    expect(result.problems[0]).toMatchObject({
      code: 'entry_hash_mismatch',
      recordType: 'case',
      recordId: worked,
      seq: 1,
      entryId: target.id,
      expected: target.hash,
    });
    expect(result.problems[0]!.message.zh).toContain(worked);
    expect(result.problems[0]!.message.en).toMatch(/content does not match its hash/);
  });

  it('names the missing seq when an entry is deleted', async () => {
    const { c, worked } = await streetWithCases(app);
    const deleted = await entryOf(app, worked, 2);
    const next = await entryOf(app, worked, 3);
    await tamper(app.db, (trx) => run(trx, sql`DELETE FROM journal_entries WHERE id = ${deleted.id}`));
    const result = await verifyJournal(app.db, { streetId: c.street.id });
    expect(result.isValid).toBe(false);
    expect(result.problems[0]).toMatchObject({
      code: 'chain_seq_gap',
      recordType: 'case',
      recordId: worked,
      seq: 3,
      entryId: next.id,
      expected: 2,
      actual: 3,
    });
    expect(result.problems[0]!.message.en).toMatch(/seq 2 missing/);
    // The signed batch it was sealed in no longer adds up either.
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'batch_member_missing', batchId: deleted.batch_id }),
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'batch_root_mismatch', batchId: deleted.batch_id }),
    );
  });

  it('names two entries that were put in each other’s place', async () => {
    const { c, worked } = await streetWithCases(app);
    const second = await entryOf(app, worked, 2);
    const third = await entryOf(app, worked, 3);
    const content = (row: typeof second, seq: number) =>
      sql`action = ${row.action}, actor_id = ${row.actor_id}, actor_role = ${row.actor_role}, at = ${row.at},
          payload = ${JSON.stringify(row.payload)}::jsonb, prev_hash = ${row.prev_hash}, hash = ${row.hash},
          seq = ${seq}`;
    await tamper(app.db, async (trx) => {
      // (record, seq) is unique, so the swap goes through a free seq.
      await run(trx, sql`UPDATE journal_entries SET ${content(third, -3)} WHERE id = ${second.id}`);
      await run(trx, sql`UPDATE journal_entries SET ${content(second, 2)} WHERE id = ${third.id}`);
      await run(trx, sql`UPDATE journal_entries SET seq = 3 WHERE id = ${second.id}`);
    });
    const result = await verifyJournal(app.db, { streetId: c.street.id });
    expect(result.isValid).toBe(false);
    expect(result.problems[0]).toMatchObject({
      code: 'chain_seq_gap',
      recordId: worked,
      entryId: second.id,
      seq: 3,
      expected: 2,
    });
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'chain_seq_gap', recordId: worked, entryId: third.id, seq: 2 }),
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'batch_root_mismatch', batchId: second.batch_id }),
    );
  });

  it('names the batch whose Merkle root was altered', async () => {
    const { c, worked } = await streetWithCases(app);
    const { batch_id: batchId } = await entryOf(app, worked, 1);
    await tamper(app.db, (trx) =>
      run(trx, sql`UPDATE journal_batches SET merkle_root = ${sha256Hex('forged')} WHERE id = ${batchId}`),
    );
    const result = await verifyJournal(app.db, { streetId: c.street.id });
    expect(result.isValid).toBe(false);
    expect(result.problems[0]).toMatchObject({ code: 'batch_root_mismatch', batchId, streetId: c.street.id });
    // The head no longer hashes to what the next batch links to, nor to what was signed.
    expect(result.problems.map((problem) => problem.code)).toEqual(
      expect.arrayContaining(['batch_head_hash_mismatch', 'batch_signature_invalid']),
    );
  });

  it("names the entries of a deleted batch and the broken chain of the street's batches", async () => {
    const { c, worked } = await streetWithCases(app);
    await sealOnce(app, { streetId: c.street.id });
    const first = await entryOf(app, worked, 1);
    const last = await entryOf(app, worked, 4);
    expect(last.batch_id).not.toBe(first.batch_id);
    await tamper(app.db, (trx) => run(trx, sql`DELETE FROM journal_batches WHERE id = ${first.batch_id}`));
    const result = await verifyJournal(app.db, { streetId: c.street.id });
    expect(result.isValid).toBe(false);
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'batch_chain_broken', batchId: last.batch_id, expected: 1, actual: 2 }),
    );
    expect(result.problems).toContainEqual(
      expect.objectContaining({ code: 'batch_member_misplaced', entryId: first.id, batchId: first.batch_id }),
    );
  });

  it('checks signatures at the chain ends and key changes, and every stored one when asked', async () => {
    const { c, worked } = await streetWithCases(app);
    // The instance's key is rotated: later batches are signed with a new one.
    const rotated = loadOrCreateSigningKey(join(testDataDir(), `rotated-${crypto.randomUUID()}.pem`));
    await sealOnce({ db: app.db, signingKey: rotated }, { streetId: c.street.id });
    await act(c.people.handler.client, worked, 'submit', { result: '已清理楼道杂物' });
    await sealOnce({ db: app.db, signingKey: rotated }, { streetId: c.street.id });
    const batches = await app.db
      .selectFrom('journal_batches')
      .select(['id', 'key_id'])
      .where('street_id', '=', c.street.id)
      .orderBy('seq')
      .execute();
    expect(batches.map((batch) => batch.key_id)).toEqual([
      app.signingKey.keyId,
      rotated.keyId,
      rotated.keyId,
    ]);

    const clean = await verifyJournal(app.db, { streetId: c.street.id });
    expect(clean).toMatchObject({ isValid: true, batches: 3, signaturesChecked: 2 });
    expect(await verifyJournal(app.db, { streetId: c.street.id, signatures: 'every' })).toMatchObject({
      isValid: true,
      signaturesChecked: 3,
    });

    // A damaged signature on a head inside a run of one key changes no fact: the newest head's
    // signature still covers it through the chain. Checking every signature reports it anyway.
    const [, middle, newest] = batches;
    await tamper(app.db, (trx) =>
      run(
        trx,
        sql`UPDATE journal_batches SET signature = ${Buffer.alloc(64).toString('base64')} WHERE id = ${middle!.id}`,
      ),
    );
    expect((await verifyJournal(app.db, { streetId: c.street.id })).isValid).toBe(true);
    const every = await verifyJournal(app.db, { streetId: c.street.id, signatures: 'every' });
    expect(every.problems).toEqual([
      expect.objectContaining({ code: 'batch_signature_invalid', batchId: middle!.id }),
    ]);

    // The last head of the old key and the street's newest head are always checked.
    for (const batch of [batches[0]!, newest!]) {
      await tamper(app.db, (trx) =>
        run(
          trx,
          sql`UPDATE journal_batches SET signature = ${Buffer.alloc(64).toString('base64')} WHERE id = ${batch.id}`,
        ),
      );
    }
    const ends = await verifyJournal(app.db, { streetId: c.street.id });
    expect(ends.problems).toEqual([
      expect.objectContaining({ code: 'batch_signature_invalid', batchId: batches[0]!.id }),
      expect.objectContaining({ code: 'batch_signature_invalid', batchId: newest!.id }),
    ]);
  });

  it('names the case row that was edited behind the journal’s back', async () => {
    const { c, reported } = await streetWithCases(app);
    await sql`UPDATE cases SET state = 'closed' WHERE id = ${reported}`.execute(app.db);
    const result = await verifyJournal(app.db, { streetId: c.street.id });
    expect(result.isValid).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'projection_mismatch',
        recordType: 'case',
        recordId: reported,
        column: 'state',
        expected: 'reported',
        actual: 'closed',
      }),
    ]);
    expect(result.problems[0]!.message.zh).toContain('cases.state');
  });

  it('names a case row that was written without any journal entry', async () => {
    const { c, reported } = await streetWithCases(app);
    const forged = crypto.randomUUID();
    await sql`INSERT INTO cases
      SELECT (json_populate_record(NULL::cases,
        (row_to_json(c)::jsonb || jsonb_build_object('id', ${forged}::text, 'code', ${`F-${forged.slice(0, 8)}`}::text))::json)).*
        FROM cases c WHERE c.id = ${reported}`.execute(app.db);
    const result = await verifyJournal(app.db, { streetId: c.street.id });
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'projection_row_unjournaled', recordType: 'case', recordId: forged }),
    ]);
  });

  it('checks any registered record type against its table (a test type over units)', async () => {
    const c = await buildCommunity(app);
    const recordType = 'verify_test_unit';
    registerJournalRecordType({
      recordType,
      label: { zh: '测试单元', en: 'test unit' },
      projection: {
        table: 'units',
        columns: ['name', 'kind', 'attrs', 'updated_at'],
        isEveryRowJournaled: false,
      },
    });
    try {
      const unit = await app.db
        .selectFrom('units')
        .select(['id', 'name', 'kind', 'attrs', 'updated_at'])
        .where('id', '=', c.grid.id)
        .executeTakeFirstOrThrow();
      await app.db.transaction().execute(async (trx) => {
        await appendEntry(trx, {
          streetId: c.street.id,
          recordType,
          recordId: unit.id,
          action: 'create',
          actorId: null,
          actorRole: null,
          payload: {
            set: {
              name: unit.name,
              kind: unit.kind,
              attrs: unit.attrs,
              updated_at: unit.updated_at.toISOString(),
            },
          },
        });
        await appendEntry(trx, {
          streetId: c.street.id,
          recordType,
          recordId: unit.id,
          action: 'rename',
          actorId: c.people.communityAdmin.id,
          actorRole: 'community_admin',
          payload: { set: { name: '第一网格（东区）' } },
        });
        await sql`UPDATE units SET name = '第一网格（东区）' WHERE id = ${unit.id}`.execute(trx);
      });
      const clean = await verifyJournal(app.db, { streetId: c.street.id });
      expect(clean).toMatchObject({ isValid: true, entries: 2, records: 1 });
      expect(clean.projections).toContainEqual({ recordType, rows: 1 });

      await sql`UPDATE units SET attrs = '{"households": 120}'::jsonb WHERE id = ${unit.id}`.execute(app.db);
      const edited = await verifyJournal(app.db, { streetId: c.street.id });
      expect(edited.problems).toEqual([
        expect.objectContaining({
          code: 'projection_mismatch',
          recordType,
          recordId: unit.id,
          column: 'attrs',
          actual: { households: 120 },
        }),
      ]);
    } finally {
      unregisterJournalRecordType(recordType);
    }
  });
});
