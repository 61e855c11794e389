import type { Case, MergeAccountsPreview, MergeAccountsResult, User } from '@minqing/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity, createTestUser } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { act, checkCaseChain, report } from '../cases/case-test-helpers.ts';
import { verifyJournal } from '../journal/verify-journal.ts';
import { clientAt, lastSmsCode, uniqueIp } from './people-test-helpers.ts';

describe('merging duplicate resident accounts (合并重复账号)', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('moves the reports, ratings, inbox and household to the kept account and deactivates the duplicate', async () => {
    const c = await buildCommunity(app);
    const { communityAdmin, handler, gridWorker, otherResident: keep } = c.people;
    const duplicate = await createTestUser(app, {
      kind: 'resident',
      name: '李四（新号）',
      householdId: c.household.id,
      streetId: c.street.id,
      roles: [{ role: 'resident', unitId: c.community.id }],
    });
    const first = (await report(duplicate.client, c)).body;
    const second = (await report(duplicate.client, c)).body;
    await act(communityAdmin.client, first.id, 'accept', { expectedVersion: 1 });
    await act(communityAdmin.client, first.id, 'dispatch', {});
    await act(handler.client, first.id, 'start', {});
    await act(handler.client, first.id, 'submit', { result: '已清运' });
    await act(gridWorker.client, first.id, 'verify', { passed: true });
    await act(duplicate.client, first.id, 'rate', { rating: 'satisfied' });

    const body = { keepId: keep.id, duplicateId: duplicate.id };
    const preview = await communityAdmin.client.post<MergeAccountsPreview>('/api/users/merge/preview', body);
    expect(preview.status).toBe(200);
    expect(preview.body.moves).toMatchObject({ cases: 2, ratings: 1, sessions: 1, household: 'moves' });
    expect(preview.body.moves.notifications).toBeGreaterThan(0);
    expect(preview.body.duplicate.phone).toMatch(/\*{4}/);
    // A preview changes nothing.
    expect((await duplicate.client.get(`/api/cases/${first.id}`)).status).toBe(200);

    const listed = await communityAdmin.client.get<{ items: User[] }>(
      `/api/users?kind=resident&q=${duplicate.phone}`,
    );
    expect(listed.body.items[0]!.allowedActions).toContain('merge');

    const phone = clientAt(app, uniqueIp());
    expect((await phone.post('/api/auth/sms-code', { phone: duplicate.phone })).status).toBe(200);
    const merged = await communityAdmin.client.post<MergeAccountsResult>('/api/users/merge', {
      ...body,
      reason: '同一人两个手机号',
    });
    expect(merged.status).toBe(200);
    expect(merged.body.moves).toMatchObject({ cases: 2, ratings: 1, sessions: 1, household: 'moves' });

    // The kept account now holds both reports (and the rating), the duplicate is signed out and closed.
    for (const id of [first.id, second.id]) {
      const seen = await keep.client.get<Case>(`/api/cases/${id}`);
      expect(seen.status).toBe(200);
      const chain = await checkCaseChain(app, id);
      expect(chain.problems).toEqual([]);
      expect(chain.actions.at(-1)).toBe('reattribute');
    }
    const rated = await app.db
      .selectFrom('cases')
      .select(['reporter_id', 'rating'])
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    expect(rated).toEqual({ reporter_id: keep.id, rating: 'satisfied' });
    expect((await duplicate.client.get('/api/me')).status).toBe(401);
    // A code asked for before the merge no longer signs the number in, and says why.
    const signIn = await phone.smsLogin(duplicate.phone, lastSmsCode(app, duplicate.phone));
    expect(signIn.reply.status).toBe(403);
    expect(signIn.reply.body.error.code).toBe('account_merged');
    const after = await communityAdmin.client.get<User>(`/api/users/${duplicate.id}`);
    expect(after.body).toMatchObject({ isActive: false, mergedIntoId: keep.id });
    expect(after.body.allowedActions).not.toContain('merge');
    const kept = await app.db
      .selectFrom('users')
      .select(['household_id', 'is_active'])
      .where('id', '=', keep.id)
      .executeTakeFirstOrThrow();
    expect(kept).toEqual({ household_id: c.household.id, is_active: true });
    const inbox = await app.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', duplicate.id)
      .execute();
    expect(inbox).toEqual([]);
    // Recorded: one security event per account, a journal entry per case; the journal verifies.
    const events = await app.db
      .selectFrom('security_events')
      .select(['subject_id', 'actor_id'])
      .where('action', '=', 'account_merged')
      .where('subject_id', 'in', [keep.id, duplicate.id])
      .execute();
    expect(events).toHaveLength(2);
    expect((await verifyJournal(app.db, { streetId: c.street.id })).isValid).toBe(true);

    // Merging it again is refused, in either direction.
    const again = await communityAdmin.client.post('/api/users/merge', { ...body, reason: '再合并一次' });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('account_already_merged');
    const reversed = await communityAdmin.client.post('/api/users/merge/preview', {
      keepId: duplicate.id,
      duplicateId: keep.id,
    });
    expect(reversed.status).toBe(422);
  });

  it('refuses staff accounts, one account twice, and accounts outside the admin’s area', async () => {
    const c = await buildCommunity(app);
    const { communityAdmin, resident, otherResident, gridWorker, handler } = c.people;
    const same = await communityAdmin.client.post('/api/users/merge/preview', {
      keepId: resident.id,
      duplicateId: resident.id,
    });
    expect(same.status).toBe(422);
    expect(same.body.error.code).toBe('merge_same_account');
    expect(same.body.error.messages.zh).toContain('不能把一个账号合并到它自己');

    const staff = await communityAdmin.client.post('/api/users/merge', {
      keepId: resident.id,
      duplicateId: gridWorker.id,
      reason: '误操作测试',
    });
    expect(staff.status).toBe(422);
    expect(staff.body.error.code).toBe('merge_staff_account');
    expect(staff.body.error.messages.en).toContain('staff account');

    const other = await buildCommunity(app);
    const outside = await other.people.communityAdmin.client.post('/api/users/merge/preview', {
      keepId: resident.id,
      duplicateId: otherResident.id,
    });
    expect(outside.status).toBe(404);
    const mixed = await communityAdmin.client.post('/api/users/merge/preview', {
      keepId: resident.id,
      duplicateId: other.people.resident.id,
    });
    expect(mixed.status).toBe(404);
    const notAdmin = await handler.client.post('/api/users/merge/preview', {
      keepId: resident.id,
      duplicateId: otherResident.id,
    });
    expect([403, 404]).toContain(notAdmin.status);
    const noReason = await communityAdmin.client.post('/api/users/merge', {
      keepId: resident.id,
      duplicateId: otherResident.id,
      reason: ' ',
    });
    expect(noReason.status).toBe(400);
    // Nothing moved.
    expect(
      (
        await app.db
          .selectFrom('users')
          .select('is_active')
          .where('id', '=', otherResident.id)
          .executeTakeFirstOrThrow()
      ).is_active,
    ).toBe(true);
  });
});
