import type { MergeAccountsPreview, MergeAccountsResult } from '@minqing/contract';
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import { grantsCovering, type Actor } from '../../policy/index.ts';
import { CASE_RECORD_TYPE } from '../cases/case-journal.ts';
import { appendEntry, readChainHead } from '../journal/append-entry.ts';
import { loadAccount, type Account } from './account.ts';
import type { PeopleContext } from './context.ts';
import { assertCanManage, assertCanView, GRANTABLE_ROLES } from './policy.ts';
import { placeOfUser, recordSecurityEvent, type ClientInfo } from './security-events.ts';

/**
 * 合并重复账号. Two resident accounts of the same person become one: the duplicate's reports (and
 * the ratings on them) are re-attributed to the account kept — each case's journal records the new
 * reporter — its inbox moves, its sessions end, its household passes on when the kept account has
 * none, and it is deactivated and points to the kept account. Nothing is deleted. Refused for staff
 * accounts, one account twice, an account already merged, or accounts outside the admin's area.
 */
export async function previewMerge(
  ctx: PeopleContext,
  actor: Actor,
  input: { keepId: string; duplicateId: string },
): Promise<MergeAccountsPreview> {
  const { keep, duplicate } = await loadPair(ctx.db, actor, input, false);
  return describeMerge(ctx.db, keep, duplicate);
}

export async function mergeResidentAccounts(
  ctx: PeopleContext,
  actor: Actor,
  input: { keepId: string; duplicateId: string; reason: string },
  client: ClientInfo,
): Promise<MergeAccountsResult> {
  const at = new Date();
  const result = await inTransaction(ctx.db, async (trx) => {
    const { keep, duplicate } = await loadPair(trx, actor, input, true);
    const preview = await describeMerge(trx, keep, duplicate);
    const role = actingRole(actor, duplicate);

    // The duplicate's reports, locked in id order (as every multi-case writer does), each with a journal entry.
    const cases = await trx
      .selectFrom('cases')
      .select(['id', 'street_id'])
      .where('reporter_id', '=', duplicate.row.id)
      .orderBy('id')
      .forUpdate()
      .execute();
    for (const row of cases) {
      const head = await readChainHead(trx, CASE_RECORD_TYPE, row.id);
      await trx
        .updateTable('cases')
        .set({ reporter_id: keep.row.id, journal_seq: head.seq + 1, updated_at: at })
        .where('id', '=', row.id)
        .execute();
      await appendEntry(
        trx,
        {
          streetId: row.street_id,
          recordType: CASE_RECORD_TYPE,
          recordId: row.id,
          action: 'reattribute',
          actorId: actor.userId,
          actorRole: role,
          at,
          payload: { set: { reporter_id: keep.row.id }, reason: 'account_merged', from: duplicate.row.id },
        },
        head,
      );
    }
    await trx
      .updateTable('notifications')
      .set({ user_id: keep.row.id })
      .where('user_id', '=', duplicate.row.id)
      .execute();
    const ended = await ctx.sessions.revokeAllOf(trx, duplicate.row.id);
    if (preview.moves.household === 'moves' || (!keep.row.home_unit_id && duplicate.row.home_unit_id)) {
      await trx
        .updateTable('users')
        .set({
          household_id: keep.row.household_id ?? duplicate.row.household_id,
          home_unit_id: keep.row.home_unit_id ?? duplicate.row.home_unit_id,
          updated_at: at,
        })
        .where('id', '=', keep.row.id)
        .execute();
    }
    await trx
      .updateTable('users')
      .set({
        is_active: false,
        deactivated_at: duplicate.row.deactivated_at ?? at,
        merged_into_id: keep.row.id,
        merged_at: at,
        updated_at: at,
      })
      .where('id', '=', duplicate.row.id)
      .execute();
    await ctx.sessions.announceChange(trx, duplicate.row.id);
    await ctx.sessions.announceChange(trx, keep.row.id);
    const details = {
      reason: input.reason,
      keptId: keep.row.id,
      cases: preview.moves.cases,
      notifications: preview.moves.notifications,
      household: preview.moves.household,
      sessionsEnded: ended,
    };
    // One event about each account, so each account's history tells the story.
    for (const [subject, what] of [
      [duplicate, 'merged_into'],
      [keep, 'kept'],
    ] as const) {
      await recordSecurityEvent(trx, {
        action: 'account_merged',
        outcome: 'success',
        actorId: actor.userId,
        subjectId: subject.row.id,
        place: await placeOfUser(trx, subject.row),
        details: { ...details, role: what, duplicateId: duplicate.row.id },
        client,
      });
    }
    return { ...preview, moves: { ...preview.moves, sessions: ended } };
  });
  ctx.sessions.forget(input.duplicateId);
  ctx.sessions.forget(input.keepId);
  return { ...result, mergedAt: at.toISOString() };
}

async function loadPair(
  db: Db,
  actor: Actor,
  input: { keepId: string; duplicateId: string },
  forUpdate: boolean,
): Promise<{ keep: Account; duplicate: Account }> {
  if (input.keepId === input.duplicateId) {
    throw errors.unprocessable('merge_same_account', {
      zh: '不能把一个账号合并到它自己，请选择两个不同的账号',
      en: 'An account cannot be merged into itself; choose two different accounts',
    });
  }
  // Both rows locked in id order: two admins merging the same pair the other way round cannot deadlock.
  const ids = [input.keepId, input.duplicateId].sort();
  const loaded = new Map<string, Account | undefined>();
  for (const id of ids) loaded.set(id, await loadAccount(db, id, { forUpdate }));
  const keep = loaded.get(input.keepId);
  const duplicate = loaded.get(input.duplicateId);
  for (const account of [keep, duplicate]) {
    assertCanView(actor, account?.placement);
    assertCanManage(actor, account.placement);
  }
  for (const account of [keep!, duplicate!]) {
    const staffRole = account.assignments.find((a) => a.role !== 'resident');
    if (account.row.kind !== 'resident' || staffRole) {
      throw errors.unprocessable(
        'merge_staff_account',
        {
          zh: `“${account.row.display_name}”是工作人员账号，只能合并居民账号`,
          en: `${account.row.display_name} is a staff account; only resident accounts can be merged`,
        },
        { userId: account.row.id },
      );
    }
    if (account.row.merged_into_id) {
      throw errors.unprocessable(
        'account_already_merged',
        {
          zh: `“${account.row.display_name}”已于此前合并到另一账号，不能再次合并`,
          en: `${account.row.display_name} was already merged into another account`,
        },
        { userId: account.row.id, mergedIntoId: account.row.merged_into_id },
      );
    }
  }
  if (!keep!.row.is_active) {
    throw errors.unprocessable('merge_keep_inactive', {
      zh: '保留的账号已停用；请保留仍在使用的账号，或先重新启用它',
      en: 'The account to keep is deactivated; keep the one in use, or reactivate it first',
    });
  }
  return { keep: keep!, duplicate: duplicate! };
}

async function describeMerge(db: Db, keep: Account, duplicate: Account): Promise<MergeAccountsPreview> {
  const counts = await db
    .selectFrom('cases')
    .select([
      sql<number>`count(*)::int`.as('cases'),
      sql<number>`(count(*) FILTER (WHERE rating IS NOT NULL))::int`.as('ratings'),
    ])
    .where('reporter_id', '=', duplicate.row.id)
    .executeTakeFirstOrThrow();
  const notifications = await db
    .selectFrom('notifications')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', duplicate.row.id)
    .executeTakeFirstOrThrow();
  const sessions = await db
    .selectFrom('sessions')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', duplicate.row.id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirstOrThrow();
  const from = duplicate.row.household_id;
  const to = keep.row.household_id;
  const household = !from ? 'none' : !to ? 'moves' : from === to ? 'same' : 'kept';
  const notes: { zh: string; en: string }[] = [
    {
      zh: '重复账号将被停用（不删除），并标明已合并到保留的账号；其手机号不能再登录',
      en: 'The duplicate is deactivated (not deleted) and marked as merged into the kept account; its phone can no longer sign in',
    },
  ];
  if (household === 'kept') {
    notes.push({
      zh: '两个账号登记的住户不同：保留账号的住户不变，请核实',
      en: "The two accounts name different households: the kept account's stays; please check",
    });
  }
  if (keep.row.street_id && duplicate.row.street_id && keep.row.street_id !== duplicate.row.street_id) {
    notes.push({
      zh: '两个账号属于不同街道：事件仍由其所在街道办理',
      en: 'The accounts belong to different streets: the cases stay with their own street',
    });
  }
  const side = (account: Account) => ({
    id: account.row.id,
    displayName: account.row.display_name,
    phone: account.row.phone_masked,
    homeUnit: account.homeUnit?.name ?? null,
    createdAt: account.row.created_at.toISOString(),
  });
  return {
    keep: side(keep),
    duplicate: side(duplicate),
    moves: {
      cases: counts.cases,
      ratings: counts.ratings,
      notifications: notifications.n,
      sessions: sessions.n,
      household,
    },
    notes,
  };
}

/** The administering role the admin acts in over the duplicate (recorded with each case entry). */
function actingRole(actor: Actor, account: Account): string {
  const roles = Object.keys(GRANTABLE_ROLES) as (keyof typeof GRANTABLE_ROLES)[];
  for (const path of account.placement.anchorPaths) {
    const grant = grantsCovering(actor, roles, path)[0];
    if (grant) return grant.role;
  }
  return 'system';
}
