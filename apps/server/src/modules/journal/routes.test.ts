import type { BatchDetail, BatchList, JournalKeys, RecordJournal } from '@minqing/contract';
import {
  computeBatchHeadHash,
  entryMerkleRoot,
  verifyBatchSignature,
  verifyRecordJournal,
} from '@minqing/contract/journal-verify';
import { createPublicKey } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, type TestCommunity } from '../../../test/factories.ts';
import { buildTestApp, Client } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { sealOnce } from './sealer.ts';

async function keysOf(app: App) {
  const reply = await new Client(app).get<JournalKeys>('/.well-known/minqing/journal-keys.json');
  expect(reply.status).toBe(200);
  return reply.body.keys;
}

/** A case reported, accepted, dispatched and sealed, then started (one entry waits for the sealer). */
async function journaledCase(app: App, c: TestCommunity) {
  const created = await report(c.people.resident.client, c, { description: '井盖松动，踩上去会晃' });
  expect(created.status).toBe(201);
  const id = created.body.id;
  await act(c.people.communityAdmin.client, id, 'accept', {});
  await act(c.people.communityAdmin.client, id, 'dispatch', {});
  await sealOnce(app, { streetId: c.street.id });
  await act(c.people.handler.client, id, 'start', {});
  return id;
}

describe('journal routes', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('publishes the signing key at the well-known URL, raw and as PEM', async () => {
    const keys = await keysOf(app);
    const key = keys.find((k) => k.keyId === app.signingKey.keyId);
    expect(key).toMatchObject({
      algorithm: 'Ed25519',
      publicKey: app.signingKey.publicKeyRaw,
      retiredAt: null,
    });
    const fromPem = createPublicKey(key!.publicKeyPem).export({ type: 'spki', format: 'der' });
    expect(fromPem.subarray(fromPem.length - 32).toString('base64')).toBe(key!.publicKey);
  });

  it("lists a street's signed batch heads to the public, and each verifies in the browser verifier", async () => {
    const c = await buildCommunity(app);
    await journaledCase(app, c);
    await sealOnce(app, { streetId: c.street.id });
    const keys = await keysOf(app);

    const reply = await c.public.get<BatchList>(`/api/journal/batches?streetId=${c.street.id}`);
    expect(reply.status).toBe(200);
    expect(reply.body.nextAfter).toBeNull();
    const heads = reply.body.items;
    expect(heads.map((head) => head.seq)).toEqual(heads.map((_, i) => i + 1));
    expect(heads.length).toBeGreaterThanOrEqual(2);
    for (const [index, head] of heads.entries()) {
      expect(head.streetId).toBe(c.street.id);
      expect(head.prevHeadHash).toBe(index === 0 ? null : heads[index - 1]!.headHash);
      expect(await computeBatchHeadHash(head)).toBe(head.headHash);
      const key = keys.find((k) => k.keyId === head.keyId)!;
      expect(await verifyBatchSignature(head, key.publicKey)).toBe(true);

      const detail = await c.public.get<BatchDetail>(`/api/journal/batches/${head.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.head).toEqual(head);
      expect(detail.body.entryHashes).toHaveLength(head.size);
      expect(await entryMerkleRoot(detail.body.entryHashes)).toBe(head.merkleRoot);
    }

    const page = await c.public.get<BatchList>(`/api/journal/batches?streetId=${c.street.id}&limit=1`);
    expect(page.body.items).toEqual([heads[0]]);
    expect(page.body.nextAfter).toBe(1);
    const next = await c.public.get<BatchList>(
      `/api/journal/batches?streetId=${c.street.id}&after=1&limit=1`,
    );
    expect(next.body.items).toEqual([heads[1]]);
  });

  it('refuses bad batch queries with messages in Chinese and English', async () => {
    const c = await buildCommunity(app);
    const notUuid = await c.public.get('/api/journal/batches?streetId=nope');
    expect(notUuid.status).toBe(400);
    expect(notUuid.body.error.code).toBe('validation_failed');
    expect(notUuid.body.error.details.issues[0].path).toBe('querystring.streetId');
    expect(notUuid.body.error.details.issues[0].messageZh).toMatch(/[\u4e00-\u9fff]/);
    expect(notUuid.body.error.details.issues[0].messageEn).toMatch(/[a-z]/i);

    const unknownField = await c.public.get(`/api/journal/batches?streetId=${c.street.id}&order=desc`);
    expect(unknownField.status).toBe(400);
    const notAStreet = await c.public.get(`/api/journal/batches?streetId=${c.community.id}`);
    expect(notAStreet.status).toBe(404);
    expect(notAStreet.body.error.messages).toEqual({ zh: '街道不存在', en: 'Street not found' });
    const noBatch = await c.public.get('/api/journal/batches/999999999');
    expect(noBatch.status).toBe(404);
    const badId = await c.public.get('/api/journal/batches/0');
    expect(badId.status).toBe(400);
  });

  it("gives the case's reporter its entries with proofs that verify against the signed heads", async () => {
    const c = await buildCommunity(app);
    const id = await journaledCase(app, c);
    const reply = await c.people.resident.client.get<RecordJournal>(`/api/journal/records/case/${id}`);
    expect(reply.status).toBe(200);
    const journal = reply.body;
    expect(journal).toMatchObject({ recordType: 'case', recordId: id, allowedActions: ['verify'] });
    expect(journal.entries.map((entry) => [entry.seq, entry.action])).toEqual([
      [1, 'report'],
      [2, 'accept'],
      [3, 'dispatch'],
      [4, 'start'],
    ]);
    expect(journal.entries.slice(0, 3).every((entry) => entry.proof !== null && entry.batchId !== null)).toBe(
      true,
    );
    expect(journal.entries[3]).toMatchObject({ batchId: null, leafIndex: null, proof: null });
    expect(journal.batches.map((batch) => batch.id)).toEqual([
      ...new Set(journal.entries.slice(0, 3).map((e) => e.batchId)),
    ]);

    const verification = await verifyRecordJournal(journal, await keysOf(app));
    expect(verification.problems).toEqual([]);
    expect(verification.isValid).toBe(true);
    expect(verification.entries.map((entry) => entry.isProofValid)).toEqual([true, true, true, null]);
    expect(verification.batches.every((batch) => batch.isHeadHashValid && batch.isSignatureValid)).toBe(true);
  });

  it('carries no phone number in a case journal, even for a report by the public with a contact', async () => {
    const c = await buildCommunity(app);
    const phone = '13912345678';
    const created = await report(c.public, c, { contact: { name: '王五', phone } });
    expect(created.status).toBe(201);
    const reply = await c.people.communityAdmin.client.get<RecordJournal>(
      `/api/journal/records/case/${created.body.id}`,
    );
    expect(reply.status).toBe(200);
    const text = JSON.stringify(reply.body);
    expect(text).not.toContain(phone);
    expect(text).not.toContain('王五');
  });

  it('answers 404 to whoever may not see the case, and for unknown types and records', async () => {
    const c = await buildCommunity(app);
    const other = await buildCommunity(app);
    const id = await journaledCase(app, c);
    const strangers = [c.public, other.people.resident.client, other.people.communityAdmin.client];
    for (const client of strangers) {
      const reply = await client.get(`/api/journal/records/case/${id}`);
      expect(reply.status).toBe(404);
      expect(reply.body.error.code).toBe('not_found');
    }
    const admin = c.people.communityAdmin.client;
    expect((await admin.get(`/api/journal/records/case/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await admin.get(`/api/journal/records/ledger/${id}`)).status).toBe(404);
    const badType = await admin.get(`/api/journal/records/CASE!/${id}`);
    expect(badType.status).toBe(400);
    expect(badType.body.error.details.issues[0].path).toBe('params.recordType');
    expect(badType.body.error.details.issues[0].messageZh).toMatch(/[\u4e00-\u9fff]/);
    expect((await admin.get('/api/journal/records/case/not-a-uuid')).status).toBe(400);
  });

  it('lets the browser verifier find an entry altered in the database', async () => {
    const c = await buildCommunity(app);
    const id = await journaledCase(app, c);
    await app.db.transaction().execute(async (trx) => {
      await sql`ALTER TABLE journal_entries DISABLE TRIGGER journal_entries_append_only`.execute(trx);
      await sql`UPDATE journal_entries SET payload = jsonb_set(payload, '{set,state}', '"closed"')
                 WHERE record_type = 'case' AND record_id = ${id} AND seq = 2`.execute(trx);
      await sql`ALTER TABLE journal_entries ENABLE TRIGGER journal_entries_append_only`.execute(trx);
    });
    const reply = await c.people.communityAdmin.client.get<RecordJournal>(`/api/journal/records/case/${id}`);
    const verification = await verifyRecordJournal(reply.body, await keysOf(app));
    expect(verification.isValid).toBe(false);
    // The altered content neither hashes to its stored hash nor is what the signed batch holds.
    expect(verification.problems).toEqual([
      expect.objectContaining({ code: 'entry_hash_mismatch', seq: 2 }),
      expect.objectContaining({ code: 'inclusion_proof_invalid', seq: 2 }),
    ]);
    expect(verification.entries[1]).toMatchObject({ seq: 2, isHashValid: false, isProofValid: false });
    expect(verification.entries.filter((entry) => entry.isHashValid)).toHaveLength(3);
  });
});
