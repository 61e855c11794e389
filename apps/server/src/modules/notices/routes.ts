import {
  errorResponses,
  ZCreateNotice,
  ZNotice,
  ZNoticeList,
  ZNoticeParams,
  ZNoticesQuery,
  ZPublicNotice,
  ZPublicNoticeList,
  ZPublicNoticesQuery,
  ZPublishNotice,
  ZUpdateNotice,
  ZWithdrawNotice,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { createNotice } from './create-notice.ts';
import { getNotice, getPublicNotice, listNotices, listPublicNoticesOf } from './list-notices.ts';
import { publishNotice, withdrawNotice } from './transition-notice.ts';
import { updateNotice } from './update-notice.ts';
// Registers the notice's journal record type (verification of its projection, who reads its chain).
import './notice-journal.ts';

const TAGS = ['notices'];

/** 社区公告: public reads, and the committee's drafts, edits, publication and withdrawal (docs/decisions/0950). */
export const noticesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/public/notices',
    {
      schema: {
        tags: TAGS,
        summary: '公告 The published notices of a street, community or grid and of the units above it',
        querystring: ZPublicNoticesQuery,
        response: { 200: ZPublicNoticeList, ...errorResponses },
      },
    },
    async (request) => listPublicNoticesOf(app.db, request.query.unitId),
  );

  app.get(
    '/api/public/notices/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One published notice (drafts and withdrawn notices are not found)',
        params: ZNoticeParams,
        response: { 200: ZPublicNotice, ...errorResponses },
      },
    },
    async (request) => getPublicNotice(app.db, request.params.id),
  );

  app.get(
    '/api/notices',
    {
      schema: {
        tags: TAGS,
        summary:
          'Every notice in the caller’s area, drafts and withdrawn ones too, and the units they may write for',
        querystring: ZNoticesQuery,
        response: { 200: ZNoticeList, ...errorResponses },
      },
    },
    async (request) => listNotices(app.db, request.actor, request.query),
  );

  app.get(
    '/api/notices/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One notice as staff see it, with what the caller may do with it',
        params: ZNoticeParams,
        response: { 200: ZNotice, ...errorResponses },
      },
    },
    async (request) => getNotice(app.db, request.actor, request.params.id),
  );

  app.post(
    '/api/notices',
    {
      schema: {
        tags: TAGS,
        summary: 'Write a draft notice for a street, community/village or grid',
        body: ZCreateNotice,
        response: { 201: ZNotice, ...errorResponses },
      },
    },
    async (request, reply) => {
      const notice = await createNotice(app.db, request.actor, request.body);
      return reply.status(201).send(notice);
    },
  );

  app.patch(
    '/api/notices/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Edit a draft or published notice (title, text, category, pin, expiry)',
        params: ZNoticeParams,
        body: ZUpdateNotice,
        response: { 200: ZNotice, ...errorResponses },
      },
    },
    async (request) => updateNotice(app.db, request.actor, request.params.id, request.body),
  );

  app.post(
    '/api/notices/:id/publish',
    {
      schema: {
        tags: TAGS,
        summary: 'Publish a draft: public from now on',
        params: ZNoticeParams,
        body: ZPublishNotice,
        response: { 200: ZNotice, ...errorResponses },
      },
    },
    async (request) => publishNotice(app.db, request.actor, request.params.id, request.body),
  );

  app.post(
    '/api/notices/:id/withdraw',
    {
      schema: {
        tags: TAGS,
        summary: 'Withdraw a published notice: it leaves the public lists, its journal stays',
        params: ZNoticeParams,
        body: ZWithdrawNotice,
        response: { 200: ZNotice, ...errorResponses },
      },
    },
    async (request) => withdrawNotice(app.db, request.actor, request.params.id, request.body),
  );
};
