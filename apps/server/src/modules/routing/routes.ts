import {
  errorResponses,
  ZCreateRoutingRule,
  ZListRoutingRulesQuery,
  ZRouteTestQuery,
  ZRouteTestResult,
  ZRoutingRule,
  ZRoutingRulePage,
  ZRoutingRuleParams,
  ZRoutingRuleVersionBody,
  ZUpdateRoutingRule,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UNITS_CHANNEL } from '../areas/unit-changes.ts';
import { createRoutingRule } from './create-routing-rule.ts';
import { listRoutingRules } from './list-routing-rules.ts';
import { ROUTING_CHANNEL, routeCache } from './resolve-route.ts';
import { setRoutingRuleActive } from './set-routing-rule-active.ts';
import { testRoute } from './test-route.ts';
import { updateRoutingRule } from './update-routing-rule.ts';

const writeErrors = {
  400: errorResponses[400],
  401: errorResponses[401],
  403: errorResponses[403],
  404: errorResponses[404],
  409: errorResponses[409],
  422: errorResponses[422],
};

export const routingRoutes: FastifyPluginAsyncZod = async (app) => {
  // Rules, categories and organisations changed by any process (or by plain SQL), and units moved,
  // reach every process's routing cache; a lost LISTEN connection may have missed some, so drop it too.
  const stopRouting = await app.database.listen(ROUTING_CHANNEL, () => routeCache.invalidate());
  const stopUnits = await app.database.listen(UNITS_CHANNEL, () => routeCache.invalidate());
  app.database.onListenReconnect(() => routeCache.invalidate());
  app.addHook('onClose', async () => {
    await stopRouting();
    await stopUnits();
  });

  app.get(
    '/api/routing/rules',
    {
      schema: {
        tags: ['routing'],
        summary: 'Routing rules in your units (分拨规则)',
        querystring: ZListRoutingRulesQuery,
        response: {
          200: ZRoutingRulePage,
          400: errorResponses[400],
          401: errorResponses[401],
          403: errorResponses[403],
          404: errorResponses[404],
        },
      },
    },
    async (request) => listRoutingRules(app, request.actor, request.query),
  );

  app.post(
    '/api/routing/rules',
    {
      schema: {
        tags: ['routing'],
        summary: 'Create a routing rule (admins covering its unit)',
        body: ZCreateRoutingRule,
        response: { 201: ZRoutingRule, ...writeErrors },
      },
    },
    async (request, reply) => {
      const rule = await createRoutingRule(app, request.actor, request.body);
      return reply.status(201).send(rule);
    },
  );

  app.patch(
    '/api/routing/rules/:id',
    {
      schema: {
        tags: ['routing'],
        summary: "Change a rule's category, organisation or note",
        params: ZRoutingRuleParams,
        body: ZUpdateRoutingRule,
        response: { 200: ZRoutingRule, ...writeErrors },
      },
    },
    async (request) => updateRoutingRule(app, request.actor, request.params.id, request.body),
  );

  for (const action of ['deactivate', 'activate'] as const) {
    app.post(
      `/api/routing/rules/:id/${action}`,
      {
        schema: {
          tags: ['routing'],
          summary:
            action === 'deactivate' ? 'Deactivate a routing rule' : 'Activate a deactivated routing rule',
          params: ZRoutingRuleParams,
          body: ZRoutingRuleVersionBody,
          response: { 200: ZRoutingRule, ...writeErrors },
        },
      },
      async (request) =>
        setRoutingRuleActive(
          app,
          request.actor,
          request.params.id,
          request.body.expectedVersion,
          action === 'activate',
        ),
    );
  }

  app.get(
    '/api/routing/resolve',
    {
      schema: {
        tags: ['routing'],
        summary: 'Test a location and category: the grid, community, organisation and the rule that matched',
        querystring: ZRouteTestQuery,
        response: {
          200: ZRouteTestResult,
          400: errorResponses[400],
          401: errorResponses[401],
          403: errorResponses[403],
          422: errorResponses[422],
        },
      },
    },
    async (request) => testRoute(app, request.actor, request.query),
  );
};
