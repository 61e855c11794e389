import {
  ZAsset,
  ZAssetList,
  ZBookParams,
  ZCloseYear,
  ZCreateAsset,
  ZCreateFund,
  ZDepreciationQuery,
  ZDepreciationRun,
  ZFund,
  ZFundList,
  ZPublicAssetList,
  ZRegisterParams,
  ZRunDepreciation,
  ZUpdateAsset,
  ZUpdateFund,
  ZYearEnd,
  ZYearQuery,
  errorResponses,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { App } from '../../../app.ts';
import { errors } from '../../../errors.ts';
import { requireActor } from '../../../plugins/auth.ts';
import { findBook } from '../repository.ts';
import { createAsset, listAssets, publicAssets, updateAsset } from './assets.ts';
import { closeYear, draftClosingVoucher, yearEndOf } from './close-year.ts';
import { depreciationOf, runDepreciation } from './depreciation.ts';
import { createFund, listFunds, updateFund } from './funds.ts';

const TAGS = ['finance'];
const PUBLIC_TAGS = ['finance-public'];

/**
 * 三资 registers, part 1 (issue 6): funds (资金) with reconciliation, assets (资产) with the monthly
 * depreciation run (计提折旧), the year-end closing (年终结账), and the assets villagers see.
 */
export const registersRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const app: App = fastify;

  fastify.get(
    '/api/finance/books/:bookId/funds',
    {
      schema: {
        tags: TAGS,
        summary: '资金账户 Cash and bank accounts with their balance in the books and the statement’s',
        params: ZBookParams,
        response: { 200: ZFundList, ...errorResponses },
      },
    },
    async (request) => listFunds(app, requireActor(request), request.params.bookId),
  );

  fastify.post(
    '/api/finance/books/:bookId/funds',
    {
      schema: {
        tags: TAGS,
        summary: '登记资金账户 Register a cash box or bank account tied to a ledger account (bookkeeper)',
        params: ZBookParams,
        body: ZCreateFund,
        response: { 201: ZFund, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createFund(app, requireActor(request), request.params.bookId, request.body)),
  );

  fastify.patch(
    '/api/finance/funds/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改资金账户 Rename, deactivate, or enter the bank statement’s balance (对账) (bookkeeper)',
        params: ZRegisterParams,
        body: ZUpdateFund,
        response: { 200: ZFund, ...errorResponses },
      },
    },
    async (request) => updateFund(app, requireActor(request), request.params.id, request.body),
  );

  fastify.get(
    '/api/finance/books/:bookId/assets',
    {
      schema: {
        tags: TAGS,
        summary: '资产登记簿 Fixed assets with original value, depreciation and net value',
        params: ZBookParams,
        response: { 200: ZAssetList, ...errorResponses },
      },
    },
    async (request) => listAssets(app, requireActor(request), request.params.bookId),
  );

  fastify.post(
    '/api/finance/books/:bookId/assets',
    {
      schema: {
        tags: TAGS,
        summary: '登记资产 Register a fixed asset (bookkeeper)',
        params: ZBookParams,
        body: ZCreateAsset,
        response: { 201: ZAsset, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createAsset(app, requireActor(request), request.params.bookId, request.body)),
  );

  fastify.patch(
    '/api/finance/assets/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改资产 Change an asset’s name, use, location, state (处置) or contract (bookkeeper)',
        params: ZRegisterParams,
        body: ZUpdateAsset,
        response: { 200: ZAsset, ...errorResponses },
      },
    },
    async (request) => updateAsset(app, requireActor(request), request.params.id, request.body),
  );

  fastify.get(
    '/api/finance/books/:bookId/depreciation',
    {
      schema: {
        tags: TAGS,
        summary: '折旧计算 A month’s depreciation as run, or what a run would charge (preview)',
        params: ZBookParams,
        querystring: ZDepreciationQuery,
        response: { 200: ZDepreciationRun, ...errorResponses },
      },
    },
    async (request) =>
      depreciationOf(app, requireActor(request), request.params.bookId, request.query.period),
  );

  fastify.post(
    '/api/finance/books/:bookId/depreciation',
    {
      schema: {
        tags: TAGS,
        summary: '计提折旧 Run a month’s depreciation: one draft voucher for approval (bookkeeper)',
        params: ZBookParams,
        body: ZRunDepreciation,
        response: { 201: ZDepreciationRun, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await runDepreciation(app, requireActor(request), request.params.bookId, request.body.period)),
  );

  fastify.get(
    '/api/finance/books/:bookId/year-end',
    {
      schema: {
        tags: TAGS,
        summary: '年终结账 The year’s closing: its state, figures and closing voucher lines',
        params: ZBookParams,
        querystring: ZYearQuery,
        response: { 200: ZYearEnd, ...errorResponses },
      },
    },
    async (request) => yearEndOf(app, requireActor(request), request.params.bookId, request.query.year),
  );

  fastify.post(
    '/api/finance/books/:bookId/year-end/closing-voucher',
    {
      schema: {
        tags: TAGS,
        summary:
          '结转损益 Draft the year’s closing voucher (income and expenses into 本年收益 and 收益分配) (bookkeeper)',
        params: ZBookParams,
        body: ZCloseYear,
        response: { 201: ZYearEnd, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await draftClosingVoucher(app, requireActor(request), request.params.bookId, request.body)),
  );

  fastify.post(
    '/api/finance/books/:bookId/year-end/close',
    {
      schema: {
        tags: TAGS,
        summary: '年终结账 Close every month of the year once its closing voucher is posted (bookkeeper)',
        params: ZBookParams,
        body: ZCloseYear.pick({ year: true }),
        response: { 200: ZYearEnd, ...errorResponses },
      },
    },
    async (request) => closeYear(app, requireActor(request), request.params.bookId, request.body.year),
  );

  fastify.get(
    '/api/public/books/:bookId/assets',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '集体资产 A village’s fixed assets, depreciation to the last sealed month (public)',
        params: ZBookParams,
        response: { 200: ZPublicAssetList, ...errorResponses },
      },
    },
    async (request) => {
      const book = await findBook(app.db, request.params.bookId);
      if (!book || book.state !== 'active') throw errors.notFound({ zh: '账套', en: 'Set of books' });
      const last = await app.db
        .selectFrom('finance_periods')
        .select((eb) => eb.fn.max('period').as('period'))
        .where('book_id', '=', book.id)
        .where('state', '=', 'sealed')
        .executeTakeFirst();
      return publicAssets(app.db, book, (last?.period as string | null | undefined) ?? null);
    },
  );
};
