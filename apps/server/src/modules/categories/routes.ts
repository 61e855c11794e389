import {
  errorResponses,
  ZCategory,
  ZCategoryCodeParams,
  ZCategoryDictionary,
  ZCategoryVersionBody,
  ZCreateCategory,
  ZListCategoriesQuery,
  ZUpdateCategory,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ROUTING_CHANNEL } from '../routing/resolve-route.ts';
import { forgetCategories } from './category-caches.ts';
import { createCategory } from './create-category.ts';
import { listCategories } from './list-categories.ts';
import { setCategoryActive } from './set-category-active.ts';
import { updateCategory } from './update-category.ts';

const writeErrors = {
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  404: errorResponses[404],
  409: errorResponses[409],
  422: errorResponses[422],
};

/** The category dictionary (事件分类): public reading, administration by street and system admins. */
export const categoriesRoutes: FastifyPluginAsyncZod = async (app) => {
  // Categories edited by another process (or by SQL) must not linger in this one's caches.
  const unlisten = await app.database.listen(ROUTING_CHANNEL, (table) => {
    if (table === 'case_categories') forgetCategories(app.db);
  });
  app.database.onListenReconnect(() => forgetCategories(app.db));
  app.addHook('onClose', async () => unlisten());

  app.get(
    '/api/categories',
    {
      schema: {
        tags: ['categories'],
        summary: 'The category dictionary: major and minor classes, names, icons, time limits, sensitivity',
        description: 'Public.',
        querystring: ZListCategoriesQuery,
        response: {
          200: ZCategoryDictionary,
          400: errorResponses[400],
          401: errorResponses[401],
          403: errorResponses[403],
        },
      },
    },
    async (request) => listCategories(app.db, request.actor, request.query),
  );

  app.post(
    '/api/categories',
    {
      schema: {
        tags: ['categories'],
        summary: 'Add a minor class (street and system admins)',
        body: ZCreateCategory,
        response: { 201: ZCategory, ...writeErrors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createCategory(app.db, request.actor, request.body)),
  );

  app.patch(
    '/api/categories/:code',
    {
      schema: {
        tags: ['categories'],
        summary: 'Edit a minor class (street and system admins)',
        params: ZCategoryCodeParams,
        body: ZUpdateCategory,
        response: { 200: ZCategory, ...writeErrors },
      },
    },
    async (request) => updateCategory(app.db, request.actor, request.params.code, request.body),
  );

  for (const action of ['deactivate', 'activate'] as const) {
    app.post(
      `/api/categories/:code/${action}`,
      {
        schema: {
          tags: ['categories'],
          summary:
            action === 'deactivate' ? 'Deactivate a minor class' : 'Activate a deactivated minor class',
          params: ZCategoryCodeParams,
          body: ZCategoryVersionBody,
          response: { 200: ZCategory, ...writeErrors },
        },
      },
      async (request) =>
        setCategoryActive(
          app.db,
          request.actor,
          request.params.code,
          request.body.expectedVersion,
          action === 'activate',
        ),
    );
  }
};
