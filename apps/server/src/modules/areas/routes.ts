import {
  errorResponses,
  ZCreateUnit,
  ZImportGrids,
  ZImportGridsReport,
  ZResolveQuery,
  ZResolveResponse,
  ZUnitChildrenQuery,
  ZUnitDetail,
  ZUnitFeatureCollection,
  ZUnitIdParams,
  ZUnitList,
  ZUnitMapQuery,
  ZUnitSearchQuery,
  ZUnitSummary,
  ZUnitTree,
  ZUnitTreeQuery,
  ZUnitVersionBody,
  ZUpdateUnit,
} from '@minqing/contract';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../plugins/auth.ts';
import type { RoleGrant } from '../../policy/index.ts';
import { createUnit } from './create-unit.ts';
import './journal-access.ts';
import { getUnitMap } from './get-unit-map.ts';
import { getUnitTree } from './get-unit-tree.ts';
import { getUnit } from './get-unit.ts';
import { importGrids } from './import-grids.ts';
import { listChildUnits } from './list-child-units.ts';
import {
  assertCanCreateUnder,
  assertCanImportGrids,
  assertCanManage,
  assertCanRead,
  canImportGridsInto,
} from './policy.ts';
import { findUnit } from './repository.ts';
import { searchUnits } from './search-units.ts';
import { areasService } from './service.ts';
import { setUnitActive } from './set-unit-active.ts';
import { updateUnit } from './update-unit.ts';

const TAGS = ['areas'];

function acting(request: FastifyRequest, grant: RoleGrant) {
  return { actorId: request.actor?.userId ?? null, actorRole: grant.role };
}

const areaRoutes: FastifyPluginAsyncZod = async (app) => {
  const readableUnit = async (request: FastifyRequest, id: string) => {
    const unit = await findUnit(app.db, id);
    assertCanRead(request.actor, unit);
    return unit;
  };

  app.get(
    '/api/areas/resolve',
    {
      schema: {
        tags: TAGS,
        summary: 'Which grid a point lies in (else its community or street, for manual assignment)',
        querystring: ZResolveQuery,
        response: { 200: ZResolveResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { lng, lat } = request.query;
      return { lng, lat, resolution: await app.areas.resolvePoint({ lng, lat }) };
    },
  );

  app.get(
    '/api/units',
    {
      schema: {
        tags: TAGS,
        summary: 'The top-level units (streets and above)',
        querystring: ZUnitChildrenQuery,
        response: { 200: ZUnitList, ...errorResponses },
      },
    },
    async (request) => listChildUnits(app.db, null, request.query, request.actor),
  );

  app.get(
    '/api/units/search',
    {
      schema: {
        tags: TAGS,
        summary: 'Find units by part of the name or the start of the code',
        querystring: ZUnitSearchQuery,
        response: {
          200: z.object({ items: z.array(ZUnitSummary) }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const under = request.query.under ? await readableUnit(request, request.query.under) : undefined;
      return {
        items: await searchUnits(app.db, { ...request.query, underPath: under?.path }, request.actor),
      };
    },
  );

  app.get(
    '/api/units/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One unit with its outline and ancestors',
        params: ZUnitIdParams,
        response: { 200: ZUnitDetail, ...errorResponses },
      },
    },
    async (request) => {
      const unit = await findUnit(app.db, request.params.id);
      assertCanRead(request.actor, unit);
      return getUnit(app.db, unit, request.actor);
    },
  );

  app.get(
    '/api/units/:id/children',
    {
      schema: {
        tags: TAGS,
        summary: 'The units directly below a unit, in code order',
        params: ZUnitIdParams,
        querystring: ZUnitChildrenQuery,
        response: { 200: ZUnitList, ...errorResponses },
      },
    },
    async (request) => {
      const unit = await readableUnit(request, request.params.id);
      return listChildUnits(app.db, unit, request.query, request.actor);
    },
  );

  app.get(
    '/api/units/:id/tree',
    {
      schema: {
        tags: TAGS,
        summary:
          'A unit and its descendants, nested (street → community → grid → compound → building → household)',
        params: ZUnitIdParams,
        querystring: ZUnitTreeQuery,
        response: { 200: ZUnitTree, ...errorResponses },
      },
    },
    async (request) => {
      const unit = await findUnit(app.db, request.params.id);
      assertCanRead(request.actor, unit);
      return getUnitTree(app.db, unit, request.query.depth, request.actor);
    },
  );

  app.get(
    '/api/units/:id/map',
    {
      schema: {
        tags: TAGS,
        summary: 'Outlines below a unit as GeoJSON, for maps',
        params: ZUnitIdParams,
        querystring: ZUnitMapQuery,
        response: { 200: ZUnitFeatureCollection, ...errorResponses },
      },
    },
    async (request) => {
      const unit = await findUnit(app.db, request.params.id);
      assertCanRead(request.actor, unit);
      return getUnitMap(app.db, unit, request.query.kinds, request.actor);
    },
  );

  app.post(
    '/api/units',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a unit under its parent',
        body: ZCreateUnit,
        response: { 201: ZUnitDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const parent = request.body.parentId ? await findUnit(app.db, request.body.parentId) : null;
      const grant = assertCanCreateUnder(actor, parent);
      const unit = await createUnit(app.db, request.body, acting(request, grant));
      return reply.status(201).send(await getUnit(app.db, unit, actor));
    },
  );

  app.patch(
    '/api/units/:id',
    {
      schema: {
        tags: TAGS,
        summary: "Change a unit's code, name, outline or attributes (optimistic version)",
        params: ZUnitIdParams,
        body: ZUpdateUnit,
        response: { 200: ZUnitDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const grant = assertCanManage(actor, await findUnit(app.db, request.params.id));
      const unit = await updateUnit(app.db, request.params.id, request.body, acting(request, grant));
      return getUnit(app.db, unit, actor);
    },
  );

  for (const [action, isActive] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    app.post(
      `/api/units/:id/${action}`,
      {
        schema: {
          tags: TAGS,
          summary: isActive ? 'Bring a deactivated unit back' : 'Deactivate a unit (units are never deleted)',
          params: ZUnitIdParams,
          body: ZUnitVersionBody,
          response: { 200: ZUnitDetail, ...errorResponses },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const grant = assertCanManage(actor, await findUnit(app.db, request.params.id));
        const unit = await setUnitActive(
          app.db,
          request.params.id,
          { expectedVersion: request.body.expectedVersion, isActive },
          acting(request, grant),
        );
        return getUnit(app.db, unit, actor);
      },
    );
  }

  app.post(
    '/api/units/import-grids',
    {
      // A district's grids as GeoJSON run to a few megabytes.
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags: TAGS,
        summary: 'Import grid outlines from a GeoJSON FeatureCollection (dryRun to preview)',
        body: ZImportGrids,
        response: { 200: ZImportGridsReport, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const grant = assertCanImportGrids(actor);
      return importGrids(
        app.db,
        {
          features: request.body.featureCollection.features,
          dryRun: request.body.dryRun,
          mayManage: (community) => canImportGridsInto(actor, community),
        },
        { actorId: actor.userId, actorRole: grant.role },
      );
    },
  );
};

/** The area tree: the grid index service (app.areas) and the /api/units and /api/areas routes. */
export const areasModule = fp(
  async (app) => {
    await app.register(areasService);
    await app.register(areaRoutes);
  },
  { name: 'areas-module' },
);
