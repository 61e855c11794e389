import {
  errorResponses,
  ZBatchDetail,
  ZBatchIdParams,
  ZBatchList,
  ZBatchListQuery,
  ZJournalKeys,
  ZRecordJournal,
  ZRecordJournalParams,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import './known-record-types.ts';
import { listBatches } from './list-batches.ts';
import { listJournalKeys } from './list-journal-keys.ts';
import { mayReadBatchHeads, mayReadRecordJournal } from './policy.ts';
import { readBatch } from './read-batch.ts';
import { readRecordJournal } from './read-record-journal.ts';
import { registerSigningKey } from './repository.ts';
import { publicSigningKey, sealOnce } from './sealer.ts';

const TAGS = ['journal'];

/**
 * The journal (DESIGN.md, "The journal"): the sealer as a background job, and the public routes from
 * which anyone recomputes a record's history against the signed batch heads.
 */
export const journalRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const app: App = fastify;

  // Published before the first batch is signed with it, so that every signature has its key.
  await registerSigningKey(app.db, publicSigningKey(app.signingKey));
  app.background.register({
    name: 'journal-sealer',
    intervalMs: app.config.sealIntervalMs,
    run: () => sealOnce(app),
  });

  fastify.get(
    '/api/journal/records/:recordType/:recordId',
    {
      schema: {
        tags: TAGS,
        summary:
          "日志核验 A record's journal: entries with hashes, signed batch heads, Merkle inclusion proofs",
        description:
          'Everything needed to recompute the record’s history: hash each entry (canonicalEntry), walk the chain, ' +
          'check each inclusion proof against its batch head’s Merkle root, and each head’s Ed25519 signature ' +
          'against /.well-known/minqing/journal-keys.json. Who may read it is up to the record type (a case: ' +
          'whoever may open the case); otherwise 404.',
        params: ZRecordJournalParams,
        response: { 200: ZRecordJournal, ...errorResponses },
      },
    },
    async (request) => {
      const { recordType, recordId } = request.params;
      if (!(await mayReadRecordJournal(app.db, request.actor, recordType, recordId))) {
        throw errors.notFound({ zh: '该记录的日志', en: 'The journal of this record' });
      }
      return readRecordJournal(app.db, recordType, recordId);
    },
  );

  fastify.get(
    '/api/journal/batches',
    {
      schema: {
        tags: TAGS,
        summary: '日志批次 A street’s signed batch heads in chain order (public)',
        querystring: ZBatchListQuery,
        response: { 200: ZBatchList, ...errorResponses },
      },
    },
    async (request) => {
      if (!mayReadBatchHeads(request.actor)) throw errors.forbidden();
      return listBatches(app.db, request.query);
    },
  );

  fastify.get(
    '/api/journal/batches/:id',
    {
      schema: {
        tags: TAGS,
        summary: '日志批次详情 A batch’s signed head and its members’ entry hashes in leaf order (public)',
        params: ZBatchIdParams,
        response: { 200: ZBatchDetail, ...errorResponses },
      },
    },
    async (request) => {
      if (!mayReadBatchHeads(request.actor)) throw errors.forbidden();
      return readBatch(app.db, request.params.id);
    },
  );

  fastify.get(
    '/.well-known/minqing/journal-keys.json',
    {
      schema: {
        tags: TAGS,
        summary: '签名公钥 The public keys that sign journal batch heads (public)',
        response: { 200: ZJournalKeys },
      },
    },
    async (_request, reply) => {
      // Keys change rarely and old ones are never withdrawn; caches may hold the list for a while.
      void reply.header('cache-control', 'public, max-age=300');
      return listJournalKeys(app.db);
    },
  );
};
