import {
  errorResponses,
  ZCheckIn,
  ZCreatePatrolPlan,
  ZEndPatrol,
  ZEndPatrolPlan,
  ZListPatrolPlansQuery,
  ZListPatrolsQuery,
  ZMapPatrols,
  ZMapPatrolsQuery,
  ZMissedPatrols,
  ZMissedPatrolsQuery,
  ZPatrol,
  ZPatrolCheckIn,
  ZPatrolDetail,
  ZPatrolFigures,
  ZPatrolFiguresQuery,
  ZPatrolFinding,
  ZPatrolFindingResult,
  ZPatrolIdParams,
  ZPatrolPage,
  ZPatrolPlan,
  ZPatrolPlanIdParams,
  ZPatrolPlanList,
  ZPointBatch,
  ZPointBatchResult,
  ZRequiredIdempotencyHeaders,
  ZSchedule,
  ZScheduleQuery,
  ZStartPatrol,
  ZTrack,
  ZTrackQuery,
} from '@minqing/contract';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../app.ts';
import { requireActor } from '../../plugins/auth.ts';
import { checkIn } from './check-in.ts';
import { computePatrolFigures } from './compute-patrol-figures.ts';
import { createPatrolPlan } from './create-patrol-plan.ts';
import { endPatrol } from './end-patrol.ts';
import { endPatrolPlan } from './end-patrol-plan.ts';
import { getPatrol } from './get-patrol.ts';
import { getSchedule } from './get-schedule.ts';
import { listMissedPatrols } from './list-missed-patrols.ts';
import { listPatrolPlans } from './list-patrol-plans.ts';
import { listPatrols } from './list-patrols.ts';
import { mapPatrols } from './map-patrols.ts';
import './patrol-journal.ts';
import { readTrack } from './read-track.ts';
import { recordPoints } from './record-points.ts';
import { reportFinding } from './report-finding.ts';
import { runPatrolHousekeeping } from './run-patrol-housekeeping.ts';
import { startPatrol } from './start-patrol.ts';

const TAGS = ['patrols'];

const patrolRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const app: App = fastify;

  // ---- plans, schedule, 巡查率 -------------------------------------------------------------------

  fastify.get(
    '/api/patrols/plans',
    {
      schema: {
        tags: TAGS,
        summary: '巡查计划 Patrol plans of the grids under a unit (staff covering them)',
        querystring: ZListPatrolPlansQuery,
        response: { 200: ZPatrolPlanList, ...errorResponses },
      },
    },
    async (request) => listPatrolPlans(app, requireActor(request), request.query),
  );

  fastify.post(
    '/api/patrols/plans',
    {
      schema: {
        tags: TAGS,
        summary: '制定巡查计划 Set a grid’s patrol plan from a day on (community or street admin)',
        description:
          'The plan in force ends the day before the new one starts; a plan that had not started is withdrawn. ' +
          'A plan cannot start before today, so past patrol rates never change.',
        body: ZCreatePatrolPlan,
        response: { 201: ZPatrolPlan, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createPatrolPlan(app, requireActor(request), request.body)),
  );

  fastify.post(
    '/api/patrols/plans/:id/end',
    {
      schema: {
        tags: TAGS,
        summary: '结束巡查计划 End a patrol plan after a day (community or street admin)',
        params: ZPatrolPlanIdParams,
        body: ZEndPatrolPlan,
        response: { 200: ZPatrolPlan, ...errorResponses },
      },
    },
    async (request) => endPatrolPlan(app, requireActor(request), request.params.id, request.body),
  );

  fastify.get(
    '/api/patrols/schedule',
    {
      schema: {
        tags: TAGS,
        summary: '今日巡查 A day’s patrol windows of my grids (or a unit’s), with their status',
        querystring: ZScheduleQuery,
        response: { 200: ZSchedule, ...errorResponses },
      },
    },
    async (request) => getSchedule(app, requireActor(request), request.query),
  );

  fastify.get(
    '/api/patrols/figures',
    {
      schema: {
        tags: TAGS,
        summary: '巡查率 Patrol completion of a unit over a period, by street, community or grid (public)',
        description:
          '巡查率 = done / due over planned windows that have closed; counts only, no names or places.',
        querystring: ZPatrolFiguresQuery,
        response: { 200: ZPatrolFigures, 400: errorResponses[400], 404: errorResponses[404] },
      },
    },
    async (request) => computePatrolFigures(app, request.query),
  );

  fastify.get(
    '/api/patrols/missed',
    {
      schema: {
        tags: TAGS,
        summary: '漏巡 Planned patrols that did not happen (community and street admins)',
        querystring: ZMissedPatrolsQuery,
        response: { 200: ZMissedPatrols, ...errorResponses },
      },
    },
    async (request) => listMissedPatrols(app, requireActor(request), request.query),
  );

  // ---- patrols -----------------------------------------------------------------------------------

  fastify.post(
    '/api/patrols',
    {
      schema: {
        tags: TAGS,
        summary: '开始巡查 Start a patrol of my grid (grid worker); the phone chooses the id',
        body: ZStartPatrol,
        response: { 200: ZPatrol, 201: ZPatrol, ...errorResponses },
      },
    },
    async (request, reply) => {
      const result = await startPatrol(app, requireActor(request), request.body);
      return reply.status(result.status).send(result.patrol);
    },
  );

  fastify.get(
    '/api/patrols',
    {
      schema: {
        tags: TAGS,
        summary: 'My patrols and those of the grids I supervise, newest first',
        querystring: ZListPatrolsQuery,
        response: { 200: ZPatrolPage, ...errorResponses },
      },
    },
    async (request) => listPatrols(app, requireActor(request), request.query),
  );

  fastify.get(
    '/api/patrols/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'A patrol with its summary, check-ins and findings (the worker and supervisors)',
        params: ZPatrolIdParams,
        response: { 200: ZPatrolDetail, ...errorResponses },
      },
    },
    async (request) => getPatrol(app, requireActor(request), request.params.id),
  );

  fastify.get(
    '/api/patrols/:id/track',
    {
      schema: {
        tags: TAGS,
        summary: '巡查轨迹 A patrol’s GPS track (the worker; supervisors with a purpose, logged)',
        params: ZPatrolIdParams,
        querystring: ZTrackQuery,
        response: { 200: ZTrack, ...errorResponses },
      },
    },
    async (request) =>
      readTrack(app, requireActor(request), request.params.id, {
        purpose: request.query.purpose,
        ip: request.ip,
      }),
  );

  fastify.post(
    '/api/patrols/:id/points',
    {
      schema: {
        tags: TAGS,
        summary: '上传轨迹点 A batch of GPS fixes (Idempotency-Key required; a repeat stores nothing)',
        params: ZPatrolIdParams,
        headers: ZRequiredIdempotencyHeaders,
        body: ZPointBatch,
        response: { 200: ZPointBatchResult, 201: ZPointBatchResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { status, result } = await recordPoints(
        app,
        requireActor(request),
        request.params.id,
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.status(status).send(result);
    },
  );

  fastify.post(
    '/api/patrols/:id/checkins',
    {
      schema: {
        tags: TAGS,
        summary: '打卡 Check in at a point of the round (the phone chooses the id)',
        params: ZPatrolIdParams,
        body: ZCheckIn,
        response: { 200: ZPatrolCheckIn, 201: ZPatrolCheckIn, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { status, checkin } = await checkIn(app, requireActor(request), request.params.id, request.body);
      return reply.status(status).send(checkin);
    },
  );

  fastify.post(
    '/api/patrols/:id/findings',
    {
      schema: {
        tags: TAGS,
        summary: '巡查发现 Report a problem found on patrol; it becomes a case (即报即办 with onTheSpot)',
        description:
          'Idempotency-Key required: a repeat returns the same case and completes on-the-spot handling that a ' +
          'dropped connection interrupted. With onTheSpot the case is accepted, dispatched to the worker, started ' +
          'and submitted with the after photos, and waits for someone else’s on-site check.',
        params: ZPatrolIdParams,
        headers: ZRequiredIdempotencyHeaders,
        body: ZPatrolFinding,
        response: { 200: ZPatrolFindingResult, 201: ZPatrolFindingResult, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { status, result } = await reportFinding(
        app,
        requireActor(request),
        request.params.id,
        request.body,
        request.headers['idempotency-key'],
      );
      return reply.status(status).send(result);
    },
  );

  fastify.post(
    '/api/patrols/:id/end',
    {
      schema: {
        tags: TAGS,
        summary: '结束巡查 End the patrol and get its summary (duration, distance, findings)',
        params: ZPatrolIdParams,
        body: ZEndPatrol,
        response: { 200: ZPatrol, ...errorResponses },
      },
    },
    async (request) => endPatrol(app, requireActor(request), request.params.id, request.body),
  );

  // ---- the live map's patrol layer ---------------------------------------------------------------

  fastify.get(
    '/api/map/patrols',
    {
      schema: {
        tags: TAGS,
        summary: '巡查图层 Patrols under way for the live map (exact positions and tracks for supervisors)',
        description:
          'Everyone sees which grids are being patrolled, at the grid’s centre. The worker and the supervisors ' +
          'of the grid see the latest fix, the worker’s name and, with tracks=true, the track; each such read by a ' +
          'supervisor is written to the access log.',
        querystring: ZMapPatrolsQuery,
        response: { 200: ZMapPatrols, ...errorResponses },
      },
    },
    async (request) => mapPatrols(app, request.actor, request.query, request.ip),
  );
};

/**
 * Patrols (巡查): routes, and the housekeeping job (ends patrols left running, deletes tracks past
 * their retention period) on app.background — servers only; tests call runPatrolHousekeeping.
 */
export const patrolsModule = fp(
  async (fastify) => {
    const app = fastify as unknown as App;
    app.background.register({
      name: 'patrol-housekeeping',
      intervalMs: 10 * 60_000,
      run: () => runPatrolHousekeeping(app),
    });
    await fastify.register(patrolRoutes);
  },
  { name: 'patrols', dependencies: ['core', 'auth', 'background', 'areas', 'calendar', 'cases'] },
);
