import {
  errorResponses,
  ZCreateOrganisation,
  ZOrganisation,
  ZOrganisationDetail,
  ZOrgIdParams,
  ZOrgListQuery,
  ZOrgMemberParams,
  ZOrgTree,
  ZOrgTreeQuery,
  ZOrgVersionBody,
  ZPutMember,
  ZSetServedHouseholds,
  ZUpdateOrganisation,
} from '@minqing/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../plugins/auth.ts';
import { assertCanRead } from '../areas/policy.ts';
import { findUnit } from '../areas/repository.ts';
import { createOrganisation } from './create-organisation.ts';
import './journal-access.ts';
import { getOrganisation } from './get-organisation.ts';
import { linkServedHouseholds } from './link-served-households.ts';
import { getOrganisationTree, listOrganisations } from './list-organisations.ts';
import { assertCanManageOrg, assertCanManageUnitOrgs, assertCanReadOrg } from './policy.ts';
import { putOrganisationMember } from './put-organisation-member.ts';
import { removeOrganisationMember } from './remove-organisation-member.ts';
import { findOrganisation } from './repository.ts';
import { setOrganisationActive } from './set-organisation-active.ts';
import { updateOrganisation } from './update-organisation.ts';

const TAGS = ['organisations'];

/** The organisation network and teams: /api/organisations. */
export const orgRoutes: FastifyPluginAsyncZod = async (app) => {
  const readableOrg = async (actor: Parameters<typeof assertCanReadOrg>[0], id: string) => {
    const org = await findOrganisation(app.db, id);
    assertCanReadOrg(actor, org);
    return org;
  };

  app.get(
    '/api/organisations',
    {
      schema: {
        tags: TAGS,
        summary: 'The organisations and teams of a unit (or of its whole subtree)',
        querystring: ZOrgListQuery,
        response: { 200: z.object({ items: z.array(ZOrganisation) }), ...errorResponses },
      },
    },
    async (request) => {
      const { unitId, ...query } = request.query;
      const unit = await findUnit(app.db, unitId);
      assertCanRead(request.actor, unit);
      return { items: await listOrganisations(app.db, unit, query, request.actor) };
    },
  );

  app.get(
    '/api/organisations/tree',
    {
      schema: {
        tags: TAGS,
        summary: 'The organisation network of a unit and below, nested (街道党工委 → … → 党员中心户, teams)',
        querystring: ZOrgTreeQuery,
        response: { 200: ZOrgTree, ...errorResponses },
      },
    },
    async (request) => {
      const unit = await findUnit(app.db, request.query.unitId);
      assertCanRead(request.actor, unit);
      return getOrganisationTree(app.db, unit, request.actor);
    },
  );

  app.get(
    '/api/organisations/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'One organisation with its members and served households',
        params: ZOrgIdParams,
        response: { 200: ZOrganisationDetail, ...errorResponses },
      },
    },
    async (request) => {
      const org = await readableOrg(request.actor, request.params.id);
      return getOrganisation(app.db, org, request.actor);
    },
  );

  app.post(
    '/api/organisations',
    {
      schema: {
        tags: TAGS,
        summary: 'Create an organisation or team at a unit',
        body: ZCreateOrganisation,
        response: { 201: ZOrganisationDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request);
      const unit = await findUnit(app.db, request.body.unitId);
      assertCanRead(actor, unit);
      const grant = assertCanManageUnitOrgs(actor, unit.path);
      const org = await createOrganisation(app.db, request.body, {
        actorId: actor.userId,
        actorRole: grant.role,
      });
      return reply.status(201).send(await getOrganisation(app.db, org, actor));
    },
  );

  app.patch(
    '/api/organisations/:id',
    {
      schema: {
        tags: TAGS,
        summary: "Change an organisation's name, code or attributes (optimistic version)",
        params: ZOrgIdParams,
        body: ZUpdateOrganisation,
        response: { 200: ZOrganisationDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const grant = assertCanManageOrg(actor, await findOrganisation(app.db, request.params.id));
      const org = await updateOrganisation(app.db, request.params.id, request.body, {
        actorId: actor.userId,
        actorRole: grant.role,
      });
      return getOrganisation(app.db, org, actor);
    },
  );

  for (const [action, isActive] of [
    ['deactivate', false],
    ['activate', true],
  ] as const) {
    app.post(
      `/api/organisations/:id/${action}`,
      {
        schema: {
          tags: TAGS,
          summary: isActive ? 'Bring a deactivated organisation back' : 'Deactivate an organisation',
          params: ZOrgIdParams,
          body: ZOrgVersionBody,
          response: { 200: ZOrganisationDetail, ...errorResponses },
        },
      },
      async (request) => {
        const actor = requireActor(request);
        const grant = assertCanManageOrg(actor, await findOrganisation(app.db, request.params.id));
        const org = await setOrganisationActive(
          app.db,
          request.params.id,
          { expectedVersion: request.body.expectedVersion, isActive },
          { actorId: actor.userId, actorRole: grant.role },
        );
        return getOrganisation(app.db, org, actor);
      },
    );
  }

  app.put(
    '/api/organisations/:id/members/:userId',
    {
      schema: {
        tags: TAGS,
        summary: 'Add a member with a title, or change a member’s title',
        params: ZOrgMemberParams,
        body: ZPutMember,
        response: { 200: ZOrganisationDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      assertCanManageOrg(actor, await findOrganisation(app.db, request.params.id));
      await putOrganisationMember(
        app.db,
        request.params.id,
        request.params.userId,
        request.body.title ?? null,
      );
      return getOrganisation(app.db, (await findOrganisation(app.db, request.params.id))!, actor);
    },
  );

  app.delete(
    '/api/organisations/:id/members/:userId',
    {
      schema: {
        tags: TAGS,
        summary: 'Take a member out of an organisation',
        params: ZOrgMemberParams,
        response: { 200: ZOrganisationDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const org = await findOrganisation(app.db, request.params.id);
      assertCanManageOrg(actor, org);
      await removeOrganisationMember(app.db, request.params.id, request.params.userId);
      return getOrganisation(app.db, org!, actor);
    },
  );

  app.put(
    '/api/organisations/:id/households',
    {
      schema: {
        tags: TAGS,
        summary: 'Set the households a party-member household (党员中心户) serves',
        params: ZOrgIdParams,
        body: ZSetServedHouseholds,
        response: { 200: ZOrganisationDetail, ...errorResponses },
      },
    },
    async (request) => {
      const actor = requireActor(request);
      const org = await findOrganisation(app.db, request.params.id);
      assertCanManageOrg(actor, org);
      await linkServedHouseholds(app.db, request.params.id, request.body.householdIds, actor);
      return getOrganisation(app.db, org!, actor);
    },
  );
};
