import {
  CASE_ACTIONS,
  caseActionBodies,
  errorResponses,
  ZCase,
  ZCaseDetail,
  ZCaseIdParams,
  ZCasePage,
  ZCreateCase,
  ZIdempotencyHeaders,
  ZListCasesQuery,
  ZNearbyCases,
  ZNearbyCasesQuery,
  ZReporterContact,
  ZRevealContactQuery,
  type CaseAction,
  type CaseActionInput,
} from '@minqing/contract';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.ts';
import { requireActor } from '../../plugins/auth.ts';
import { RATE_LIMITS } from '../../plugins/rate-limit.ts';
import { performCaseAction } from './case-actions.ts';
import { createCase } from './create-case.ts';
import { findNearbyCases } from './find-nearby-cases.ts';
import { getCase } from './get-case.ts';
import { listCases } from './list-cases.ts';
import { revealReporterContact } from './reveal-reporter-contact.ts';
import { runSchedulerOnce } from './run-scheduler.ts';

const TAGS = ['cases'];

const ACTION_SUMMARIES: Record<CaseAction, string> = {
  accept: '受理 Accept a report (community or street admin)',
  reject: '不予受理 Reject a report with a reason sent to the reporter',
  dispatch: '派遣 Dispatch to the responsible organisation (the handling time limit starts)',
  return: '退回 Return a wrongly dispatched case to the dispatcher',
  start: '开始处置 Start handling',
  submit: '提交处置结果 Submit the result (and photos)',
  verify: '核查 Check the result on site: pass → follow-up, fail → rework',
  rate: '评价 The reporter rates the handling: unsatisfied → rework',
  'follow-up': '回访 A grid worker or admin records a follow-up call or visit with its rating',
  merge: '合并 Merge a duplicate report into an open case',
  note: '备注 Add an internal note to the timeline',
  remind: '催办 Remind the people answerable for the current stage',
  escalate: '督办 Escalate to the level above (grid → community → street)',
  'assign-grid': '指定网格 Assign the case to a grid (reports outside every grid)',
};

const caseRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const app: App = fastify;

  fastify.post(
    '/api/cases',
    {
      config: {
        rateLimit: {
          ...RATE_LIMITS.publicWrite,
          // Signed-in reporters answer for their accounts; a village or an office often shares one address.
          allowList: (request) => request.actor !== null,
        },
      },
      schema: {
        tags: TAGS,
        summary: '上报 Report a problem (resident, grid worker, hotline staff, or the public when allowed)',
        body: ZCreateCase,
        headers: ZIdempotencyHeaders,
        response: { 200: ZCase, 201: ZCase, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await createCase(app, request.actor, request.body, {
        idempotencyKey: request.headers['idempotency-key'],
      });
      return reply.status(result.status).send(result.case);
    },
  );

  fastify.get(
    '/api/cases',
    {
      schema: {
        tags: TAGS,
        summary: 'Cases the caller may see, filtered, newest report first, keyset pages',
        querystring: ZListCasesQuery,
        response: { 200: ZCasePage, ...errorResponses },
      },
    },
    async (request) => listCases(app, requireActor(request), request.query),
  );

  fastify.get(
    '/api/cases/nearby',
    {
      schema: {
        tags: TAGS,
        summary: 'Open cases of a category near a point (to avoid duplicate reports), in coarse form',
        querystring: ZNearbyCasesQuery,
        response: { 200: ZNearbyCases, ...errorResponses },
      },
    },
    async (request) => findNearbyCases(app, request.actor, request.query),
  );

  fastify.get(
    '/api/cases/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'A case with its timeline, photos, time left and the actions the caller may take',
        params: ZCaseIdParams,
        response: { 200: ZCaseDetail, ...errorResponses },
      },
    },
    async (request) => getCase(app, request.actor, request.params.id),
  );

  fastify.get(
    '/api/cases/:id/reporter-contact',
    {
      schema: {
        tags: TAGS,
        summary:
          "The reporter's full name and phone for a call-back (admins, grid worker); every read is logged",
        params: ZCaseIdParams,
        querystring: ZRevealContactQuery,
        response: { 200: ZReporterContact, ...errorResponses },
      },
    },
    async (request) =>
      revealReporterContact(app, requireActor(request), request.params.id, {
        purpose: request.query.purpose,
        ip: request.ip,
      }),
  );

  for (const action of CASE_ACTIONS) {
    fastify.post(
      `/api/cases/:id/${action}`,
      {
        schema: {
          tags: TAGS,
          summary: ACTION_SUMMARIES[action],
          params: ZCaseIdParams,
          body: caseActionBodies[action],
          response: { 200: ZCase, ...errorResponses },
        },
      },
      async (request) =>
        performCaseAction(
          app,
          requireActor(request),
          request.params.id,
          action,
          request.body as CaseActionInput<typeof action>,
        ),
    );
  }
};

/**
 * The case workflow: its routes, and the deadline scheduler as a background job (servers only;
 * tests call runSchedulerOnce with the time they want).
 */
export const casesModule = fp(
  async (fastify) => {
    const app = fastify as unknown as App;
    app.background.register({
      name: 'case-scheduler',
      intervalMs: app.config.schedulerIntervalMs,
      run: () => runSchedulerOnce(app),
    });
    await fastify.register(caseRoutes);
  },
  { name: 'cases', dependencies: ['core', 'auth', 'background', 'areas', 'calendar'] },
);
