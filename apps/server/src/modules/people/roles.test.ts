import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, Client } from '../../../test/harness.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { insertOrganisation } from '../org/repository.ts';
import { USER_ROLES } from '@minqing/contract';
import { ROLES } from '../../policy/index.ts';
import { dutyConflict } from './policy.ts';
import { staffMember } from './people-test-helpers.ts';

describe('granting and revoking roles', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ trustProxy: true });
  });
  afterAll(() => app.close());

  const activeRolesOf = async (userId: string) =>
    (
      await app.db
        .selectFrom('role_assignments')
        .select(['role', 'unit_id'])
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute()
    )
      .map((grant) => `${grant.role}@${grant.unit_id}`)
      .sort();

  it('lets a community admin make a resident of its community a grid worker, effective at once', async () => {
    const community = await buildCommunity(app);
    const resident = community.people.resident;
    // The resident's session is cached in this process; the grant must not wait for the cache to expire.
    expect((await resident.client.get('/api/me')).body.capabilities).not.toContain('case.patrol');

    const granted = await community.people.communityAdmin.client.post(`/api/users/${resident.id}/roles`, {
      role: 'grid_worker',
      unitId: community.grids[2]!.id,
    });
    expect(granted.status).toBe(201);
    expect(granted.body.roles.map((r: { role: string }) => r.role).sort()).toEqual([
      'grid_worker',
      'resident',
    ]);
    const me = await resident.client.get('/api/me');
    expect(me.body.capabilities).toContain('case.patrol');
    expect(me.body.roles.find((r: { role: string }) => r.role === 'grid_worker').unit).toMatchObject({
      id: community.grids[2]!.id,
      kind: 'grid',
      code: community.grids[2]!.code,
    });
  });

  it('refuses a community admin a role above its own, and a unit outside its community', async () => {
    const community = await buildCommunity(app);
    const other = await buildCommunity(app);
    const admin = community.people.communityAdmin.client;
    const target = community.people.resident.id;
    const before = await activeRolesOf(target);

    const above = await admin.post(`/api/users/${target}/roles`, {
      role: 'community_admin',
      unitId: community.community.id,
    });
    expect(above.status).toBe(403);
    expect(above.body.error.messages.zh).toContain('社区/村管理员');
    const elsewhere = await admin.post(`/api/users/${target}/roles`, {
      role: 'grid_worker',
      unitId: other.grid.id,
    });
    expect(elsewhere.status).toBe(403);
    const streetWide = await admin.post(`/api/users/${target}/roles`, {
      role: 'grid_worker',
      unitId: community.street.id,
    });
    expect(streetWide.status).toBe(403);
    expect(await activeRolesOf(target)).toEqual(before);
  });

  it('lets a street admin appoint community admins inside its street, never another street admin', async () => {
    const community = await buildCommunity(app);
    const staff = await staffMember(app, '新任书记', [{ role: 'grid_worker', unitId: community.grid.id }]);
    const streetAdmin = community.people.streetAdmin.client;
    const appointed = await streetAdmin.post(`/api/users/${staff.id}/roles`, {
      role: 'community_admin',
      unitId: community.community.id,
    });
    expect(appointed.status).toBe(201);
    const peer = await streetAdmin.post(`/api/users/${staff.id}/roles`, {
      role: 'street_admin',
      unitId: community.street.id,
    });
    expect(peer.status).toBe(403);
    // The new community admin can now administer the community's grid workers.
    const asNewAdmin = await staff.client.get(`/api/users/${community.people.gridWorker.id}`);
    expect(asNewAdmin.status).toBe(200);
    expect(asNewAdmin.body.allowedActions).toContain('grant-role');
  });

  it('keeps administration, audit and security duties on separate accounts (三权分立)', async () => {
    const community = await buildCommunity(app);
    const systemAdmin = await staffMember(app, '系统管理员', [
      { role: 'system_admin', unitId: community.street.id },
    ]);
    const auditorToBe = community.people.communityAdmin.id;
    const refused = await systemAdmin.client.post(`/api/users/${auditorToBe}/roles`, {
      role: 'auditor',
      unitId: community.street.id,
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('separation_of_duties');
    expect(refused.body.error.details).toEqual({ role: 'auditor', conflictsWith: 'community_admin' });

    const auditor = community.people.auditor.id;
    const securityToAuditor = await systemAdmin.client.post(`/api/users/${auditor}/roles`, {
      role: 'security_officer',
      unitId: community.street.id,
    });
    expect(securityToAuditor.body.error.code).toBe('separation_of_duties');
    // A fresh account may take one of the duties.
    const fresh = await staffMember(app, '安全员', [{ role: 'resident', unitId: community.community.id }]);
    const officer = await systemAdmin.client.post(`/api/users/${fresh.id}/roles`, {
      role: 'security_officer',
      unitId: community.street.id,
    });
    expect(officer.status).toBe(201);
    // …and the creation of an account cannot combine them either.
    const combined = await systemAdmin.client.post('/api/users', {
      username: `mixed${Date.now()}`,
      displayName: '兼任',
      password: 'Chushi#Mima2026',
      roles: [
        { role: 'street_admin', unitId: community.street.id },
        { role: 'auditor', unitId: community.street.id },
      ],
    });
    expect(combined.status).toBe(422);
  });

  it('keeps the bookkeeper out of the finance review group', async () => {
    const community = await buildCommunity(app);
    const bookkeeper = await staffMember(app, '报账员', [
      { role: 'bookkeeper', unitId: community.community.id },
    ]);
    const reply = await community.people.streetAdmin.client.post(`/api/users/${bookkeeper.id}/roles`, {
      role: 'finance_reviewer',
      unitId: community.community.id,
    });
    expect(reply.status).toBe(422);
    expect(reply.body.error.code).toBe('separation_of_duties');
  });

  it('holds each role only at the kind of unit it belongs to', async () => {
    const community = await buildCommunity(app);
    const staff = await staffMember(app, '工作人员', [{ role: 'grid_worker', unitId: community.grid.id }]);
    const streetAdmin = community.people.streetAdmin.client;
    const atGrid = await streetAdmin.post(`/api/users/${staff.id}/roles`, {
      role: 'community_admin',
      unitId: community.grid.id,
    });
    expect(atGrid.status).toBe(422);
    expect(atGrid.body.error.code).toBe('role_unit_kind');
    expect(atGrid.body.error.details.allowedKinds).toEqual(['community']);
    const atHousehold = await streetAdmin.post(`/api/users/${staff.id}/roles`, {
      role: 'grid_worker',
      unitId: community.household.id,
    });
    expect(atHousehold.body.error.code).toBe('role_unit_kind');
  });

  it('gives a handler the organisation they act for, from the unit’s own line', async () => {
    const community = await buildCommunity(app);
    const other = await buildCommunity(app);
    const staff = await staffMember(app, '保洁员', [{ role: 'resident', unitId: community.community.id }]);
    const admin = community.people.communityAdmin.client;
    const url = `/api/users/${staff.id}/roles`;
    const withoutOrg = await admin.post(url, { role: 'handler', unitId: community.community.id });
    expect(withoutOrg.body.error.code).toBe('org_required');
    const foreignOrg = await admin.post(url, {
      role: 'handler',
      unitId: community.community.id,
      orgId: other.teams.sanitation,
    });
    expect(foreignOrg.body.error.code).toBe('org_outside_unit');
    const orgOnOtherRole = await admin.post(url, {
      role: 'grid_worker',
      unitId: community.grid.id,
      orgId: community.teams.sanitation,
    });
    expect(orgOnOtherRole.body.error.code).toBe('org_not_applicable');
    const granted = await admin.post(url, {
      role: 'handler',
      unitId: community.community.id,
      orgId: community.teams.sanitation,
    });
    expect(granted.status).toBe(201);
    expect(granted.body.roles.find((r: { role: string }) => r.role === 'handler').org).toEqual({
      id: community.teams.sanitation,
      name: '环卫保洁队',
    });
    const twice = await admin.post(url, {
      role: 'handler',
      unitId: community.community.id,
      orgId: community.teams.sanitation,
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('role_already_held');
    const streetTeam = await insertOrganisation(app.db, {
      unitId: community.street.id,
      kind: 'department',
      name: '城管中队',
    });
    const streetDepartment = await community.people.streetAdmin.client.post(url, {
      role: 'handler',
      unitId: community.community.id,
      orgId: streetTeam,
    });
    expect(streetDepartment.status).toBe(201);
  });

  it('revokes a role: the assignment is closed, not deleted, and the session loses it at once', async () => {
    const community = await buildCommunity(app);
    const worker = community.people.gridWorker;
    const admin = community.people.communityAdmin.client;
    expect((await worker.client.get('/api/me')).body.capabilities).toContain('case.patrol');
    const account = await admin.get(`/api/users/${worker.id}`);
    const assignmentId = account.body.roles[0].id;
    const revoked = await admin.post(`/api/users/${worker.id}/roles/${assignmentId}/revoke`, {
      reason: '岗位调整',
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.roles).toEqual([]);
    expect((await worker.client.get('/api/me')).body.capabilities).not.toContain('case.patrol');
    const row = await app.db
      .selectFrom('role_assignments')
      .select(['revoked_at'])
      .where('id', '=', assignmentId)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).not.toBeNull();
    const again = await community.people.streetAdmin.client.post(
      `/api/users/${worker.id}/roles/${assignmentId}/revoke`,
      {},
    );
    expect(again.status).toBe(404);
  });

  it('refuses to revoke a role the caller could not grant, or to touch one’s own roles', async () => {
    const community = await buildCommunity(app);
    const { people } = community;
    const streetAdminAccount = await people.streetAdmin.client.get(`/api/users/${people.streetAdmin.id}`);
    // Reading oneself is allowed; administering oneself is not.
    expect(streetAdminAccount.status).toBe(200);
    const ownAssignment = streetAdminAccount.body.roles[0].id;
    const own = await people.streetAdmin.client.post(
      `/api/users/${people.streetAdmin.id}/roles/${ownAssignment}/revoke`,
      {},
    );
    expect(own.status).toBe(422);
    expect(own.body.error.code).toBe('own_account');
    const systemAdmin = await staffMember(app, '系统管理员', [
      { role: 'system_admin', unitId: community.street.id },
    ]);
    const sysAssignment = (await systemAdmin.client.get(`/api/users/${systemAdmin.id}`)).body.roles[0].id;
    const upward = await people.streetAdmin.client.post(
      `/api/users/${systemAdmin.id}/roles/${sysAssignment}/revoke`,
      {},
    );
    // Visible inside the street, but a system administrator's role is above a street admin's.
    expect(upward.status).toBe(403);
    const selfGrant = await people.communityAdmin.client.post(
      `/api/users/${people.communityAdmin.id}/roles`,
      {
        role: 'grid_worker',
        unitId: community.grid.id,
      },
    );
    expect(selfGrant.body.error.code).toBe('own_account');
    const auditorGrant = await people.auditor.client.post(`/api/users/${people.resident.id}/roles`, {
      role: 'grid_worker',
      unitId: community.grid.id,
    });
    expect(auditorGrant.status).toBe(403);
  });

  it('tells every server process to forget the sessions of a user whose roles changed', async () => {
    const otherProcess = await buildTestApp({ trustProxy: true });
    try {
      const community = await buildCommunity(app);
      const worker = community.people.gridWorker;
      const cookie = worker.client.cookie!;
      const elsewhere = new Client(otherProcess, cookie);
      // The other process caches the session (for 5 s) with the grid-worker role.
      expect((await elsewhere.get('/api/me')).body.capabilities).toContain('case.patrol');
      const assignmentId = (await community.people.communityAdmin.client.get(`/api/users/${worker.id}`)).body
        .roles[0].id;
      await community.people.communityAdmin.client.post(
        `/api/users/${worker.id}/roles/${assignmentId}/revoke`,
        {},
      );
      await vi.waitFor(
        async () => {
          expect((await elsewhere.get('/api/me')).body.capabilities).not.toContain('case.patrol');
        },
        { timeout: 3_000, interval: 50 },
      );
    } finally {
      await otherProcess.close();
    }
  });
});

describe('role lists', () => {
  it('are the same in the contract (for the web) and in the policy (for the server)', () => {
    expect([...USER_ROLES].sort()).toEqual([...ROLES].sort());
  });

  it('names the role an account already holds that clashes with the new one', () => {
    expect(dutyConflict(['street_admin', 'resident'], 'auditor')).toBe('street_admin');
    expect(dutyConflict(['auditor'], 'security_officer')).toBe('auditor');
    expect(dutyConflict(['security_officer'], 'system_admin')).toBe('security_officer');
    expect(dutyConflict(['bookkeeper'], 'finance_reviewer')).toBe('bookkeeper');
    expect(dutyConflict(['community_admin'], 'street_admin')).toBeUndefined();
    expect(dutyConflict(['auditor', 'resident'], 'grid_worker')).toBeUndefined();
    expect(dutyConflict([], 'auditor')).toBeUndefined();
  });
});
