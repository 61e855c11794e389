import {
  ZAccount,
  ZAccountList,
  ZAccountParams,
  ZAnswerQuestion,
  ZAskQuestion,
  ZBalanceSheet,
  ZBalancesExportQuery,
  ZBook,
  ZBookList,
  ZBookParams,
  ZCreateAccount,
  ZCreateBook,
  ZCreateDisclosure,
  ZDisclosure,
  ZDisclosureActionBody,
  ZDisclosureActionParams,
  ZDisclosureList,
  ZDisclosureParams,
  ZDisclosureVoucherParams,
  ZIncomeStatement,
  ZLedger,
  ZLedgerQuery,
  ZPeriodList,
  ZPeriodParams,
  ZPublicBook,
  ZPublicBookList,
  ZPublicBookListQuery,
  ZPublicDisclosure,
  ZPublicVoucher,
  ZPublicVoucherPage,
  ZPublicVoucherQuery,
  ZQuestion,
  ZQuestionList,
  ZQuestionListQuery,
  ZQuestionParams,
  ZSetOpeningBalances,
  ZStatementQuery,
  ZTrialBalance,
  ZTrialBalanceQuery,
  ZUpdateAccount,
  ZUpdateDisclosure,
  ZUpdateVoucher,
  ZVersionBody,
  ZVoucher,
  ZVoucherActionBody,
  ZVoucherActionParams,
  ZVoucherInput,
  ZVoucherListQuery,
  ZVoucherPage,
  ZVoucherParams,
  errorResponses,
  ZOpeningImportQuery,
  ZOpeningImportReport,
} from '@minqing/contract';
import multipart from '@fastify/multipart';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import { requireActor } from '../../plugins/auth.ts';
import { RATE_LIMITS } from '../../plugins/rate-limit.ts';
import type { Actor } from '../../policy/index.ts';
import { actOnVoucher } from './act-on-voucher.ts';
import { registerAttachmentRoutes } from './attachment-routes.ts';
import { exportBalances } from './balances-export.ts';
import { createBook } from './create-book.ts';
import { createVoucher } from './create-voucher.ts';
import { exportReports, importOpeningBalances } from './excel.ts';
import {
  actOnDisclosure,
  createDisclosure,
  getDisclosure,
  listDisclosures,
  updateDisclosure,
} from './disclosures.ts';
import './finance-journal.ts';
import { getBook, listBooks } from './get-book.ts';
import { getVoucher, listBookVouchers } from './get-voucher.ts';
import { loadKeptBook, loadReadableBook } from './load-book.ts';
import { addAccount, changeAccount, listBookAccounts, removeAccount } from './manage-accounts.ts';
import { closePeriod, listPeriods, reopenPeriod } from './periods.ts';
import {
  answerQuestion,
  askQuestion,
  publicBook,
  publicBookList,
  publicDisclosure,
  publicDisclosureVouchers,
  publicVoucher,
  questionsOf,
} from './public.ts';
import { balanceSheet, incomeStatement, ledger, trialBalance } from './reports.ts';
import { setOpeningBalances } from './set-opening-balances.ts';
import { startBook } from './start-book.ts';
import { updateDraftVoucher } from './update-voucher.ts';
import { registersRoutes } from './registers/registers-routes.ts';
import { contractRoutes } from './registers/contracts-routes.ts';

const TAGS = ['finance'];
const PUBLIC_TAGS = ['finance-public'];

async function closeThenList(
  app: App,
  actor: Actor,
  params: { bookId: string; period: string },
  change: (app: App, actor: Actor, bookId: string, period: string) => Promise<void>,
) {
  await change(app, actor, params.bookId, params.period);
  return listPeriods(app, actor, params.bookId);
}

async function bookQuestions(app: App, actor: Actor, bookId: string, state: string | undefined) {
  const book = await loadReadableBook(app.db, actor, bookId);
  return { items: await questionsOf(app.db, actor, { bookId: book.id, state }) };
}

const financeRoutes: FastifyPluginAsyncZod = async (fastify) => {
  const app: App = fastify;

  // Opening balances from a spreadsheet (multipart, scoped to this plugin).
  await fastify.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 1, fields: 2, parts: 3 } });
  // Voucher attachments (receipt photos, contract PDFs): attachment-routes.ts, same multipart parser.
  registerAttachmentRoutes(fastify);

  fastify.post(
    '/api/finance/books/:bookId/opening-balances/import',
    {
      schema: {
        tags: TAGS,
        summary: '导入期初余额 Preview (commit=false) or apply an opening-balance spreadsheet (bookkeeper)',
        description:
          'multipart/form-data with one .xlsx file part named "file": columns 科目编码, 科目名称, 借方余额, 贷方余额 (yuan). ' +
          'The report lists every row, each refused row with its column and reason, and the totals; commit=true applies ' +
          'it only when no row is refused and the rows balance, adding the sub-accounts the chart lacks — all or nothing.',
        consumes: ['multipart/form-data'],
        params: ZBookParams,
        querystring: ZOpeningImportQuery,
        response: { 200: ZOpeningImportReport, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      // who may import is settled before the body is read
      await loadKeptBook(app.db, actor, request.params.bookId);
      let file: Buffer | undefined;
      for await (const part of request.parts()) {
        if (part.type === 'file' && part.fieldname === 'file' && !file) file = await part.toBuffer();
        else if (part.type === 'file') await part.toBuffer();
      }
      if (!file || file.length === 0) {
        throw errors.badRequest({
          zh: '没有收到表格文件（字段名应为 file）',
          en: 'No spreadsheet received (the field is "file")',
        });
      }
      return importOpeningBalances(app, actor, request.params.bookId, file, request.query.commit);
    },
  );

  fastify.get(
    '/api/finance/books/:bookId/reports/export',
    {
      schema: {
        tags: TAGS,
        summary: '导出报表 The month’s 科目余额表, 资产负债表 and 收益及收益分配表 as one .xlsx workbook',
        params: ZBookParams,
        querystring: ZStatementQuery,
        response: {
          200: z.any().describe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const file = await exportReports(
        app,
        requireActor(request),
        request.params.bookId,
        request.query.period,
      );
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  fastify.get(
    '/api/finance/books/:bookId/balances/export',
    {
      schema: {
        tags: TAGS,
        summary:
          '导出余额 Leaf balances at a month’s end (or the opening balances) as an .xlsx in the opening-balance layout',
        description:
          'Columns 科目编码, 科目名称, 借方余额, 贷方余额 (yuan): the file the opening-balance import takes, to open new books with.',
        params: ZBookParams,
        querystring: ZBalancesExportQuery,
        response: {
          200: z.any().describe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const file = await exportBalances(
        app,
        requireActor(request),
        request.params.bookId,
        request.query.period,
      );
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  fastify.get(
    '/api/finance/books',
    {
      schema: {
        tags: TAGS,
        summary: '账套列表 The books the caller keeps, approves or reviews',
        response: { 200: ZBookList, ...errorResponses },
      },
    },
    async (request) => listBooks(app, requireActor(request)),
  );

  fastify.post(
    '/api/finance/books',
    {
      schema: {
        tags: TAGS,
        summary: '建账 Open a set of books for a village or a group (bookkeeper or village committee)',
        body: ZCreateBook,
        response: { 201: ZBook, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createBook(app, requireActor(request), request.body)),
  );

  fastify.get(
    '/api/finance/books/:bookId',
    {
      schema: {
        tags: TAGS,
        summary: '账套 A set of books with its opening balances',
        params: ZBookParams,
        response: { 200: ZBook, ...errorResponses },
      },
    },
    async (request) => getBook(app, requireActor(request), request.params.bookId),
  );

  fastify.put(
    '/api/finance/books/:bookId/opening-balances',
    {
      schema: {
        tags: TAGS,
        summary: '期初余额 Replace the opening balances (bookkeeper, before the books start)',
        params: ZBookParams,
        body: ZSetOpeningBalances,
        response: { 200: ZBook, ...errorResponses },
      },
    },
    async (request) => setOpeningBalances(app, requireActor(request), request.params.bookId, request.body),
  );

  fastify.post(
    '/api/finance/books/:bookId/start',
    {
      schema: {
        tags: TAGS,
        summary: '启用账套 Start the books: the opening balances must balance (bookkeeper)',
        params: ZBookParams,
        body: ZVersionBody,
        response: { 200: ZBook, ...errorResponses },
      },
    },
    async (request) =>
      startBook(app, requireActor(request), request.params.bookId, request.body.expectedVersion),
  );

  fastify.get(
    '/api/finance/books/:bookId/accounts',
    {
      schema: {
        tags: TAGS,
        summary: '会计科目 The chart of accounts of a book',
        params: ZBookParams,
        response: { 200: ZAccountList, ...errorResponses },
      },
    },
    async (request) => listBookAccounts(app, requireActor(request), request.params.bookId),
  );

  fastify.post(
    '/api/finance/books/:bookId/accounts',
    {
      schema: {
        tags: TAGS,
        summary: '增加明细科目 Add a sub-account (bookkeeper)',
        params: ZBookParams,
        body: ZCreateAccount,
        response: { 201: ZAccount, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addAccount(app, requireActor(request), request.params.bookId, request.body)),
  );

  fastify.patch(
    '/api/finance/books/:bookId/accounts/:code',
    {
      schema: {
        tags: TAGS,
        summary: '修改科目 Rename an unused account, or (de)activate one (bookkeeper)',
        params: ZAccountParams,
        body: ZUpdateAccount,
        response: { 200: ZAccount, ...errorResponses },
      },
    },
    async (request) =>
      changeAccount(app, requireActor(request), request.params.bookId, request.params.code, request.body),
  );

  fastify.delete(
    '/api/finance/books/:bookId/accounts/:code',
    {
      schema: {
        tags: TAGS,
        summary: '删除科目 Remove an account never used (bookkeeper)',
        params: ZAccountParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await removeAccount(app, requireActor(request), request.params.bookId, request.params.code);
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/api/finance/books/:bookId/vouchers',
    {
      schema: {
        tags: TAGS,
        summary: '凭证列表 Vouchers of a book by month or state',
        params: ZBookParams,
        querystring: ZVoucherListQuery,
        response: { 200: ZVoucherPage, ...errorResponses },
      },
    },
    async (request) => listBookVouchers(app, requireActor(request), request.params.bookId, request.query),
  );

  fastify.post(
    '/api/finance/books/:bookId/vouchers',
    {
      schema: {
        tags: TAGS,
        summary: '制单 A new voucher in draft; it must balance to the fen (bookkeeper)',
        params: ZBookParams,
        body: ZVoucherInput,
        response: { 201: ZVoucher, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createVoucher(app, requireActor(request), request.params.bookId, request.body)),
  );

  fastify.get(
    '/api/finance/vouchers/:id',
    {
      schema: {
        tags: TAGS,
        summary: '凭证 A voucher with its workflow and what the caller may do',
        params: ZVoucherParams,
        response: { 200: ZVoucher, ...errorResponses },
      },
    },
    async (request) => getVoucher(app, requireActor(request), request.params.id),
  );

  fastify.put(
    '/api/finance/vouchers/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改凭证 Edit a draft voucher (bookkeeper)',
        params: ZVoucherParams,
        body: ZUpdateVoucher,
        response: { 200: ZVoucher, ...errorResponses },
      },
    },
    async (request) => updateDraftVoucher(app, requireActor(request), request.params.id, request.body),
  );

  fastify.post(
    '/api/finance/vouchers/:id/:action',
    {
      schema: {
        tags: TAGS,
        summary:
          '凭证流转 submit, withdraw, approve (村两委), review (民主理财小组), return, post (入账), discard, reverse (冲销)',
        params: ZVoucherActionParams,
        body: ZVoucherActionBody,
        response: { 200: ZVoucher, ...errorResponses },
      },
    },
    async (request) =>
      actOnVoucher(app, requireActor(request), request.params.id, request.params.action, request.body),
  );

  fastify.get(
    '/api/finance/books/:bookId/periods',
    {
      schema: {
        tags: TAGS,
        summary: '会计期间 Months of the books with their state and totals',
        params: ZBookParams,
        response: { 200: ZPeriodList, ...errorResponses },
      },
    },
    async (request) => listPeriods(app, requireActor(request), request.params.bookId),
  );

  fastify.post(
    '/api/finance/books/:bookId/periods/:period/close',
    {
      schema: {
        tags: TAGS,
        summary: '结账 Close a month (bookkeeper)',
        params: ZPeriodParams,
        response: { 200: ZPeriodList, ...errorResponses },
      },
    },
    async (request) => closeThenList(app, requireActor(request), request.params, closePeriod),
  );

  fastify.post(
    '/api/finance/books/:bookId/periods/:period/reopen',
    {
      schema: {
        tags: TAGS,
        summary: '反结账 Reopen a closed month that is not sealed (bookkeeper)',
        params: ZPeriodParams,
        response: { 200: ZPeriodList, ...errorResponses },
      },
    },
    async (request) => closeThenList(app, requireActor(request), request.params, reopenPeriod),
  );

  fastify.get(
    '/api/finance/books/:bookId/reports/trial-balance',
    {
      schema: {
        tags: TAGS,
        summary: '科目余额表 Trial balance over months of one year',
        params: ZBookParams,
        querystring: ZTrialBalanceQuery,
        response: { 200: ZTrialBalance, ...errorResponses },
      },
    },
    async (request) => trialBalance(app, requireActor(request), request.params.bookId, request.query),
  );

  fastify.get(
    '/api/finance/books/:bookId/reports/balance-sheet',
    {
      schema: {
        tags: TAGS,
        summary: '资产负债表 Balance sheet at the end of a month',
        params: ZBookParams,
        querystring: ZStatementQuery,
        response: { 200: ZBalanceSheet, ...errorResponses },
      },
    },
    async (request) => balanceSheet(app, requireActor(request), request.params.bookId, request.query.period),
  );

  fastify.get(
    '/api/finance/books/:bookId/reports/income-statement',
    {
      schema: {
        tags: TAGS,
        summary: '收益及收益分配表 Income and distribution statement of a month and the year to date',
        params: ZBookParams,
        querystring: ZStatementQuery,
        response: { 200: ZIncomeStatement, ...errorResponses },
      },
    },
    async (request) =>
      incomeStatement(app, requireActor(request), request.params.bookId, request.query.period),
  );

  fastify.get(
    '/api/finance/books/:bookId/reports/ledger',
    {
      schema: {
        tags: TAGS,
        summary: '明细账 Ledger of an account and its sub-accounts',
        params: ZBookParams,
        querystring: ZLedgerQuery,
        response: { 200: ZLedger, ...errorResponses },
      },
    },
    async (request) => ledger(app, requireActor(request), request.params.bookId, request.query),
  );

  fastify.get(
    '/api/finance/books/:bookId/disclosures',
    {
      schema: {
        tags: TAGS,
        summary: '财务公开列表 Disclosures of a book',
        params: ZBookParams,
        response: { 200: ZDisclosureList, ...errorResponses },
      },
    },
    async (request) => listDisclosures(app, requireActor(request), request.params.bookId),
  );

  fastify.post(
    '/api/finance/books/:bookId/disclosures',
    {
      schema: {
        tags: TAGS,
        summary: '编制公开 Prepare a month’s or a quarter’s disclosure (bookkeeper)',
        params: ZBookParams,
        body: ZCreateDisclosure,
        response: { 201: ZDisclosure, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createDisclosure(app, requireActor(request), request.params.bookId, request.body)),
  );

  fastify.get(
    '/api/finance/disclosures/:id',
    {
      schema: {
        tags: TAGS,
        summary: '财务公开 A disclosure: a draft with a preview from the books, a sealed one as sealed',
        params: ZDisclosureParams,
        response: { 200: ZDisclosure, ...errorResponses },
      },
    },
    async (request) => getDisclosure(app, requireActor(request), request.params.id),
  );

  fastify.put(
    '/api/finance/disclosures/:id',
    {
      schema: {
        tags: TAGS,
        summary: '修改公开 Edit a draft disclosure’s major items and note (bookkeeper)',
        params: ZDisclosureParams,
        body: ZUpdateDisclosure,
        response: { 200: ZDisclosure, ...errorResponses },
      },
    },
    async (request) => updateDisclosure(app, requireActor(request), request.params.id, request.body),
  );

  fastify.post(
    '/api/finance/disclosures/:id/:action',
    {
      schema: {
        tags: TAGS,
        summary:
          '公开流转 review (民主理财小组), return, seal (村两委: publish and seal its months for good)',
        params: ZDisclosureActionParams,
        body: ZDisclosureActionBody,
        response: { 200: ZDisclosure, ...errorResponses },
      },
    },
    async (request) =>
      actOnDisclosure(app, requireActor(request), request.params.id, request.params.action, request.body),
  );

  fastify.get(
    '/api/finance/books/:bookId/questions',
    {
      schema: {
        tags: TAGS,
        summary: '村民意见 Villagers’ questions on a book’s disclosures',
        params: ZBookParams,
        querystring: ZQuestionListQuery,
        response: { 200: ZQuestionList, ...errorResponses },
      },
    },
    async (request) => bookQuestions(app, requireActor(request), request.params.bookId, request.query.state),
  );

  fastify.post(
    '/api/finance/questions/:id/answer',
    {
      schema: {
        tags: TAGS,
        summary: '答复意见 Answer a villager’s question, in public (bookkeeper or village committee)',
        params: ZQuestionParams,
        body: ZAnswerQuestion,
        response: { 200: ZQuestion, ...errorResponses },
      },
    },
    async (request) => answerQuestion(app, requireActor(request), request.params.id, request.body.answer),
  );

  fastify.get(
    '/api/public/books',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '公开账套 Villages with disclosed books (public)',
        querystring: ZPublicBookListQuery,
        response: { 200: ZPublicBookList, ...errorResponses },
      },
    },
    async (request) => publicBookList(app, request.query),
  );

  fastify.get(
    '/api/public/books/:bookId',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary:
          '村账公开 A village’s books as disclosed: balances, income and expenditure by month and account, disclosures (public)',
        params: ZBookParams,
        response: { 200: ZPublicBook, ...errorResponses },
      },
    },
    async (request) => publicBook(app, request.params.bookId),
  );

  fastify.get(
    '/api/public/disclosures/:id',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '公开内容 A sealed disclosure as sealed, with its questions and where its seal is (public)',
        params: ZDisclosureParams,
        response: { 200: ZPublicDisclosure, ...errorResponses },
      },
    },
    async (request) => publicDisclosure(app, request.actor, request.params.id),
  );

  fastify.get(
    '/api/public/disclosures/:id/vouchers',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '公开凭证 The vouchers of a sealed disclosure, handler masked (public)',
        params: ZDisclosureVoucherParams,
        querystring: ZPublicVoucherQuery,
        response: { 200: ZPublicVoucherPage, ...errorResponses },
      },
    },
    async (request) => publicDisclosureVouchers(app, request.params.id, request.query),
  );

  fastify.get(
    '/api/public/vouchers/:id',
    {
      schema: {
        tags: PUBLIC_TAGS,
        summary: '公开凭证 One voucher of a sealed month (public)',
        params: ZVoucherParams,
        response: { 200: ZPublicVoucher, ...errorResponses },
      },
    },
    async (request) => publicVoucher(app, request.params.id),
  );

  fastify.post(
    '/api/public/disclosures/:id/questions',
    {
      config: { rateLimit: RATE_LIMITS.publicWrite },
      schema: {
        tags: PUBLIC_TAGS,
        summary: '提意见 Ask about a sealed disclosure; the question and its answer are public',
        params: ZDisclosureParams,
        body: ZAskQuestion,
        response: { 201: ZQuestion, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await askQuestion(app, request.actor, request.params.id, request.body)),
  );
};

/**
 * Collective finances open to every villager (三资/财务公开; DESIGN.md, issue 6): books, chart,
 * vouchers and their workflow, periods, reports, disclosures sealed into the journal, and what every
 * villager reads without signing in.
 */
export const financeModule = fp(
  async (fastify) => {
    await fastify.register(financeRoutes);
    await fastify.register(registersRoutes);
    await fastify.register(contractRoutes);
  },
  { name: 'finance', dependencies: ['core', 'auth', 'areas'] },
);
