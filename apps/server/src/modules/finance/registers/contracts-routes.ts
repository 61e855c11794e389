import {
  errorResponses,
  ZAlertsQuery,
  ZBookParams,
  ZContract,
  ZContractList,
  ZCreateContract,
  ZCreateResource,
  ZOverdueRentList,
  ZOverdueRentSummary,
  ZOverdueRentSummaryQuery,
  ZPublicContractList,
  ZPublicResourceList,
  ZRecordRentPayment,
  ZRegisterParams,
  ZResource,
  ZResourceList,
  ZUpdateContract,
  ZUpdateResource,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../../app.ts';
import { requireActor } from '../../../plugins/auth.ts';
import {
  changeContract,
  createContract,
  getContract,
  listBookContracts,
  recordRentReceipt,
} from './contracts.ts';
import { bookAlerts, overdueRentSummary, publicAlerts, publicContracts, publicResources } from './rent.ts';
import { changeResource, createResource, listBookResources } from './resources.ts';

const TAGS = ['finance'];
const PUBLIC_TAGS = ['finance-public'];

/**
 * The resource and contract registers (资源, 合同), rent schedules and receipts, and the overdue-rent
 * alert (欠租预警) for the bookkeeper, the villagers' page and the big screen (docs/decisions/0720).
 */
export const contractRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const app: App = fastify;

  fastify.get(
    '/api/finance/books/:bookId/resources',
    {
      schema: {
        tags: TAGS,
        summary: '资源登记簿 The resource register: land, forest, water… with outlines and contracts',
        params: ZBookParams,
        response: { 200: ZResourceList, ...errorResponses },
      },
    },
    async (request) => listBookResources(app, requireActor(request), request.params.bookId),
  );

  fastify.post(
    '/api/finance/books/:bookId/resources',
    {
      schema: {
        tags: TAGS,
        summary:
          '登记资源 Register a resource; its outline must be closed, simple and in or near the village (bookkeeper)',
        params: ZBookParams,
        body: ZCreateResource,
        response: { 201: ZResource, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createResource(app, requireActor(request), request.params.bookId, request.body)),
  );

  fastify.patch(
    '/api/finance/resources/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改资源 Change a resource’s entry (bookkeeper)',
        params: ZRegisterParams,
        body: ZUpdateResource,
        response: { 200: ZResource, ...errorResponses },
      },
    },
    async (request) => changeResource(app, requireActor(request), request.params.id, request.body),
  );

  fastify.get(
    '/api/finance/books/:bookId/contracts',
    {
      schema: {
        tags: TAGS,
        summary: '合同登记簿 Contracts with their rent schedules and receipts',
        params: ZBookParams,
        querystring: ZAlertsQuery,
        response: { 200: ZContractList, ...errorResponses },
      },
    },
    async (request) =>
      listBookContracts(app, requireActor(request), request.params.bookId, request.query.asOf),
  );

  fastify.post(
    '/api/finance/books/:bookId/contracts',
    {
      schema: {
        tags: TAGS,
        summary:
          '登记合同 Record a contract letting a resource or asset; the rent schedule is generated (yearly, half-yearly, quarterly) or given, and adds up to the total (bookkeeper)',
        params: ZBookParams,
        body: ZCreateContract,
        response: { 201: ZContract, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createContract(app, requireActor(request), request.params.bookId, request.body)),
  );

  fastify.get(
    '/api/finance/contracts/:id',
    {
      schema: {
        tags: TAGS,
        summary: '合同 One contract with its schedule and receipts',
        params: ZRegisterParams,
        response: { 200: ZContract, ...errorResponses },
      },
    },
    async (request) => getContract(app, requireActor(request), request.params.id),
  );

  fastify.patch(
    '/api/finance/contracts/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改合同 End or terminate a contract, change its note or document (bookkeeper)',
        params: ZRegisterParams,
        body: ZUpdateContract,
        response: { 200: ZContract, ...errorResponses },
      },
    },
    async (request) => changeContract(app, requireActor(request), request.params.id, request.body),
  );

  fastify.post(
    '/api/finance/contracts/:id/receipts',
    {
      schema: {
        tags: TAGS,
        summary:
          '登记收租 Record rent received (partial allowed), optionally against a posted voucher; marks instalments paid (bookkeeper)',
        params: ZRegisterParams,
        body: ZRecordRentPayment,
        response: { 200: ZContract, ...errorResponses },
      },
    },
    async (request) => recordRentReceipt(app, requireActor(request), request.params.id, request.body),
  );

  fastify.get(
    '/api/finance/books/:bookId/alerts',
    {
      schema: {
        tags: TAGS,
        summary: '欠租预警 Overdue rent instalments and contracts ending within 90 days',
        params: ZBookParams,
        querystring: ZAlertsQuery,
        response: { 200: ZOverdueRentList, ...errorResponses },
      },
    },
    async (request) => bookAlerts(app, requireActor(request), request.params.bookId, request.query.asOf),
  );

  fastify.get(
    '/api/public/books/:bookId/resources',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '资源公开 A village’s resources with outlines, holders masked (public)',
        params: ZBookParams,
        response: { 200: ZPublicResourceList, ...errorResponses },
      },
    },
    async (request) => publicResources(app, request.params.bookId),
  );

  fastify.get(
    '/api/public/books/:bookId/contracts',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '合同公开 A village’s contracts: holder masked, term, amounts, paid and overdue (public)',
        params: ZBookParams,
        querystring: ZAlertsQuery,
        response: { 200: ZPublicContractList, ...errorResponses },
      },
    },
    async (request) => publicContracts(app, request.params.bookId, request.query.asOf),
  );

  fastify.get(
    '/api/public/books/:bookId/alerts',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '欠租预警 A village’s overdue rent, holders masked (public)',
        params: ZBookParams,
        querystring: ZAlertsQuery,
        response: { 200: ZOverdueRentList, ...errorResponses },
      },
    },
    async (request) => publicAlerts(app, request.params.bookId, request.query.asOf),
  );

  fastify.get(
    '/api/public/overdue-rent',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '欠租预警汇总 Overdue rent under an area, counts and amounts only (public; the big screen)',
        querystring: ZOverdueRentSummaryQuery,
        response: { 200: ZOverdueRentSummary, ...errorResponses },
      },
    },
    async (request) => overdueRentSummary(app, request.query),
  );
};
