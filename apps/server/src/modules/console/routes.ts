import {
  errorResponses,
  ZBulkCaseRequest,
  ZBulkCaseResult,
  ZCoverageParams,
  ZCreateSavedFilter,
  ZFiguresExportQuery,
  ZHandlerRankings,
  ZHandlerRankingsQuery,
  ZGridCoverage,
  ZJournalBrowsePage,
  ZJournalBrowseQuery,
  ZOk,
  ZPublicReportSettings,
  ZQueueCounts,
  ZQueueCountsQuery,
  ZSavedFilter,
  ZSavedFilterParams,
  ZSavedFilters,
  ZStartVerification,
  ZVerificationParams,
  ZVerificationRun,
} from '@minqing/contract';
import { z } from 'zod';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.ts';
import { requestLanguage } from '../../errors.ts';
import { browseJournal } from './browse-journal.ts';
import { bulkActOnCases } from './bulk-act-on-cases.ts';
import { checkGridCoverage } from './check-grid-coverage.ts';
import { countQueues } from './count-queues.ts';
import { deleteSavedFilter } from './delete-saved-filter.ts';
import { exportFigures } from './export-figures.ts';
import { rankHandlers } from '../figures/rank-handlers.ts';
import { getPublicReportSettings } from './get-public-report-settings.ts';
import { getVerification } from './get-verification.ts';
import { listSavedFilters } from './list-saved-filters.ts';
import { requireStaff } from './policy.ts';
import { saveFilter } from './save-filter.ts';
import { startVerification } from './start-verification.ts';
import { VerificationRunner } from './verification-runner.ts';

const TAGS = ['console'];

/**
 * What the staff console needs beyond the capabilities' own routes. Every route is for signed-in
 * staff; anything that changes a record goes through that record's own use-case and policy.
 */
const consoleRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const app: App = fastify;
  const runner = new VerificationRunner(app);
  app.addHook('onClose', () => runner.close());

  fastify.get(
    '/api/console/queues',
    {
      schema: {
        tags: TAGS,
        summary:
          '工作台队列 How many cases wait in each workbench queue (待受理, 待派遣, 超期, 临期, 待核查, 待回访, 督办)',
        querystring: ZQueueCountsQuery,
        response: { 200: ZQueueCounts, ...errorResponses },
      },
    },
    async (request) => countQueues(app, requireStaff(request.actor), request.query),
  );

  fastify.get(
    '/api/console/saved-filters',
    {
      schema: {
        tags: TAGS,
        summary: 'My saved workbench filters',
        response: { 200: ZSavedFilters, ...errorResponses },
      },
    },
    async (request) => listSavedFilters(app, requireStaff(request.actor)),
  );

  fastify.post(
    '/api/console/saved-filters',
    {
      schema: {
        tags: TAGS,
        summary: 'Save the current workbench filters under a name (for me only)',
        body: ZCreateSavedFilter,
        response: { 201: ZSavedFilter, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await saveFilter(app, requireStaff(request.actor), request.body)),
  );

  fastify.delete(
    '/api/console/saved-filters/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete one of my saved filters',
        params: ZSavedFilterParams,
        response: { 200: ZOk, ...errorResponses },
      },
    },
    async (request) => {
      await deleteSavedFilter(app, requireStaff(request.actor), request.params.id);
      return { ok: true as const };
    },
  );

  fastify.post(
    '/api/console/cases/bulk',
    {
      schema: {
        tags: TAGS,
        summary:
          '批量操作 Accept, dispatch or remind several cases: each on its own, with a per-case summary',
        body: ZBulkCaseRequest,
        response: { 200: ZBulkCaseResult, ...errorResponses },
      },
    },
    async (request) => bulkActOnCases(app, requireStaff(request.actor), request.body),
  );

  fastify.get(
    '/api/console/figures/export',
    {
      schema: {
        tags: TAGS,
        summary: '导出 Excel The figures of GET /api/figures as an .xlsx workbook',
        querystring: ZFiguresExportQuery,
        response: {
          200: z.any().describe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const actor = requireStaff(request.actor);
      const file = await exportFigures(app, request.query, requestLanguage(request), actor);
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  fastify.get(
    '/api/console/figures/handlers',
    {
      schema: {
        tags: TAGS,
        summary:
          '处置人员排名 Per handler under a unit for the period: cases handled, on-time rate, rework rate, satisfaction',
        querystring: ZHandlerRankingsQuery,
        response: { 200: ZHandlerRankings, ...errorResponses },
      },
    },
    async (request) => rankHandlers(app.db, request.actor, request.query),
  );

  fastify.get(
    '/api/console/journal/entries',
    {
      schema: {
        tags: TAGS,
        summary: '日志浏览 A street’s journal entries, newest first: hashes and links to the previous entry',
        querystring: ZJournalBrowseQuery,
        response: { 200: ZJournalBrowsePage, ...errorResponses },
      },
    },
    async (request) => browseJournal(app, requireStaff(request.actor), request.query),
  );

  fastify.post(
    '/api/console/journal/verifications',
    {
      schema: {
        tags: TAGS,
        summary: '日志核验 Start verifying a street’s journal; poll the run for its progress',
        body: ZStartVerification,
        response: { 200: ZVerificationRun, 202: ZVerificationRun, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { run, isNew } = await startVerification(
        app,
        runner,
        requireStaff(request.actor),
        request.body.streetId,
      );
      return reply.status(isNew ? 202 : 200).send(run);
    },
  );

  fastify.get(
    '/api/console/journal/verifications/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'A journal verification run: progress, and the report when done',
        params: ZVerificationParams,
        response: { 200: ZVerificationRun, ...errorResponses },
      },
    },
    async (request) => getVerification(app, requireStaff(request.actor), request.params.id),
  );

  fastify.get(
    '/api/console/settings/public-reports',
    {
      schema: {
        tags: TAGS,
        summary: '公众上报设置 How the public and residents may report here, as the instance is configured',
        response: { 200: ZPublicReportSettings, ...errorResponses },
      },
    },
    async (request) => {
      requireStaff(request.actor);
      return getPublicReportSettings(app);
    },
  );

  fastify.get(
    '/api/console/units/:id/coverage',
    {
      schema: {
        tags: TAGS,
        summary:
          '网格覆盖检查 Do a community’s grids cover it without overlaps? Overlaps, gaps, grids outside',
        params: ZCoverageParams,
        response: { 200: ZGridCoverage, ...errorResponses },
      },
    },
    async (request) => checkGridCoverage(app, requireStaff(request.actor), request.params.id),
  );
};

/** The console's own endpoints (the web app itself is served by the web module at /console). */
export const consoleModule = fp(
  async (fastify) => {
    await fastify.register(consoleRoutes);
  },
  { name: 'console', dependencies: ['core', 'auth', 'areas', 'cases'] },
);
