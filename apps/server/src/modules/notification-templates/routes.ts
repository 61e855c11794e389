import {
  errorResponses,
  ZNotificationPreview,
  ZNotificationTemplate,
  ZNotificationTemplateParams,
  ZNotificationTemplates,
  ZNotificationTemplatesQuery,
  ZPreviewNotificationTemplate,
  ZResetNotificationTemplate,
  ZSetNotificationTemplate,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listNotificationTemplates } from './list-notification-templates.ts';
import { previewNotificationTemplate } from './preview-notification-template.ts';
import { setNotificationTemplate } from './set-notification-template.ts';
// Registers the template's journal record type (verification of its projection).
import './template-journal.ts';

const TAGS = ['notification-templates'];

/** 通知模板: the texts of case notifications per street or community (docs/decisions/0510). */
export const notificationTemplatesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/notification-templates',
    {
      schema: {
        tags: TAGS,
        summary: '通知模板 Every notification template as it reads at a street or community, and its source',
        querystring: ZNotificationTemplatesQuery,
        response: { 200: ZNotificationTemplates, ...errorResponses },
      },
    },
    async (request) => listNotificationTemplates(app.db, request.actor, request.query.unitId),
  );

  app.put(
    '/api/notification-templates/:unitId/:key',
    {
      schema: {
        tags: TAGS,
        summary: "Set a unit's own text of a template (its communities inherit it unless they set theirs)",
        params: ZNotificationTemplateParams,
        body: ZSetNotificationTemplate,
        response: { 200: ZNotificationTemplate, ...errorResponses },
      },
    },
    async (request) =>
      setNotificationTemplate(app.db, request.actor, request.params.unitId, request.params.key, request.body),
  );

  app.post(
    '/api/notification-templates/:unitId/:key/reset',
    {
      schema: {
        tags: TAGS,
        summary: "Reset a unit's template: it inherits its parent's text (or the default) again",
        params: ZNotificationTemplateParams,
        body: ZResetNotificationTemplate,
        response: { 200: ZNotificationTemplate, ...errorResponses },
      },
    },
    async (request) =>
      setNotificationTemplate(app.db, request.actor, request.params.unitId, request.params.key, {
        reset: true,
        expectedVersion: request.body.expectedVersion,
      }),
  );

  app.post(
    '/api/notification-templates/preview',
    {
      schema: {
        tags: TAGS,
        summary: 'The texts filled from a sample case of the unit, as a person would receive them',
        body: ZPreviewNotificationTemplate,
        response: { 200: ZNotificationPreview, ...errorResponses },
      },
    },
    async (request) => previewNotificationTemplate(app.db, request.actor, request.body),
  );
};
