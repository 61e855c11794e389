import { voucherLabel, type Voucher, type VoucherAction, type VoucherActionBody } from '@minqing/contract';
import type { App } from '../../app.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transaction.ts';
import { AppError, errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { insertDraftVoucher } from './create-voucher.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { getVoucher } from './get-voucher.ts';
import type { StoredLine } from './ledger-math.ts';
import { checkVersion } from './load-book.ts';
import {
  actingRole,
  APPROVE_ROLES,
  cannotSee,
  canReadBook,
  KEEP_ROLES,
  mayActOnVoucher,
  REVIEW_ROLES,
  VOUCHER_TRANSITIONS,
  voucherActions,
} from './policy.ts';
import { postLockedVoucher } from './post-voucher.ts';
import {
  findBook,
  findPeriod,
  findReversals,
  lockVoucher,
  updateVoucher,
  type BookRow,
  type VoucherRow,
} from './repository.ts';
import { checkOpenPeriod } from './voucher-content.ts';

const VOUCHER = { zh: '凭证', en: 'Voucher' };

const ROLES_OF: Record<VoucherAction, typeof KEEP_ROLES> = {
  submit: KEEP_ROLES,
  withdraw: KEEP_ROLES,
  post: KEEP_ROLES,
  discard: KEEP_ROLES,
  reverse: KEEP_ROLES,
  approve: APPROVE_ROLES,
  review: REVIEW_ROLES,
  return: [...APPROVE_ROLES, ...REVIEW_ROLES],
};

/**
 * One step of the voucher workflow (制单 → 提交 → 审批 → 民主理财小组审核 → 入账), or its way back
 * (withdraw, return) or out (discard). `reverse` leaves the posted voucher as it is and writes a new
 * draft with the lines turned round, in an open later period, linked to it; that draft is returned.
 */
export async function actOnVoucher(
  app: App,
  actor: Actor,
  id: string,
  action: VoucherAction,
  body: VoucherActionBody,
): Promise<Voucher> {
  const resultId = await inTransaction(app.db, (trx) => actInTransaction(trx, actor, id, action, body));
  return getVoucher(app, actor, resultId);
}

async function actInTransaction(
  trx: Db,
  actor: Actor,
  id: string,
  action: VoucherAction,
  body: VoucherActionBody,
): Promise<string> {
  const row = await lockVoucher(trx, id);
  if (!row) throw errors.notFound(VOUCHER);
  const book = (await findBook(trx, row.book_id))!;
  if (!canReadBook(actor, book)) throw cannotSee(actor, VOUCHER);
  const isReversed = row.state === 'posted' && (await findReversals(trx, [row.id])).size > 0;
  const access = {
    unit_path: book.unit_path,
    state: row.state as Voucher['state'],
    prepared_by: row.prepared_by,
    isReversed,
  };
  const periodState = (await findPeriod(trx, row.book_id, row.period))?.state ?? 'open';
  const rule = VOUCHER_TRANSITIONS[action];
  if (!rule.from.includes(access.state) || (action === 'reverse' && isReversed)) {
    throw errors.conflict(
      'illegal_transition',
      {
        zh: action === 'reverse' && isReversed ? '该凭证已被冲销过' : '凭证当前状态不允许此操作',
        en:
          action === 'reverse' && isReversed
            ? 'This voucher has already been reversed'
            : 'The voucher’s state does not allow this',
      },
      { currentState: row.state, allowedActions: voucherActions(actor, access, periodState) },
    );
  }
  if (!mayActOnVoucher(actor, action, access)) {
    const isPreparer =
      row.prepared_by === actor.userId &&
      (action === 'approve' || action === 'review' || action === 'return');
    if (isPreparer) {
      throw new AppError(403, 'own_voucher', {
        zh: '不能审批、审核或退回自己填制的凭证',
        en: 'Nobody approves, reviews or returns a voucher they prepared',
      });
    }
    throw errors.forbidden({ need: ROLES_OF[action].join('|') });
  }
  checkVersion(row.version, body.expectedVersion);
  const role = actingRole(actor, ROLES_OF[action], book);
  if (action !== 'reverse' && action !== 'withdraw' && action !== 'discard' && periodState !== 'open') {
    throw errors.conflict(
      'period_closed',
      { zh: `${row.period} 已结账或已封存`, en: `${row.period} is closed or sealed` },
      { period: row.period, periodState },
    );
  }
  if (action === 'post') {
    await postLockedVoucher(trx, row, { userId: actor.userId, role });
    return row.id;
  }
  if (action === 'reverse') return reverse(trx, actor, book, row, body, role);

  const now = new Date();
  const cleared = {
    approved_by: null,
    approved_at: null,
    reviewed_by: null,
    reviewed_at: null,
    review_note: null,
  };
  const changes: Record<string, unknown> = { state: rule.to, version: row.version + 1 };
  if (action === 'submit') changes.return_reason = null;
  if (action === 'approve') Object.assign(changes, { approved_by: actor.userId, approved_at: now });
  if (action === 'review') {
    Object.assign(changes, { reviewed_by: actor.userId, reviewed_at: now, review_note: body.note ?? null });
  }
  if (action === 'withdraw') Object.assign(changes, cleared);
  if (action === 'return') {
    if (!body.reason) {
      throw errors.badRequest(
        { zh: '退回时请写明原因', en: 'Say why the voucher goes back' },
        { field: 'reason' },
      );
    }
    Object.assign(changes, cleared, { return_reason: body.reason });
  }
  await updateVoucher(trx, row.id, { ...(changes as object), updated_at: now });
  await appendFinanceEntry(trx, {
    recordType: FINANCE_RECORD_TYPES.voucher,
    recordId: row.id,
    streetId: row.street_id,
    action,
    actorId: actor.userId,
    actorRole: role,
    changes,
    at: now,
  });
  return row.id;
}

async function reverse(
  trx: Db,
  actor: Actor,
  book: BookRow,
  row: VoucherRow,
  body: VoucherActionBody,
  role: string | null,
): Promise<string> {
  if (!body.date || !body.reason) {
    throw errors.badRequest(
      {
        zh: '冲销须填写冲销凭证的日期和原因',
        en: 'A reversal needs the date of the reversing voucher and a reason',
      },
      { field: body.date ? 'reason' : 'date' },
    );
  }
  if (body.date < row.voucher_date) {
    throw errors.unprocessable(
      'reversal_date',
      {
        zh: `冲销凭证的日期不能早于原凭证日期 ${row.voucher_date}`,
        en: `the reversing voucher cannot be dated before the original (${row.voucher_date})`,
      },
      { field: 'date' },
    );
  }
  await checkOpenPeriod(trx, book, body.date);
  const label = voucherLabel(row.period, row.number);
  const lines = row.lines as unknown as StoredLine[];
  const newId = await insertDraftVoucher(
    trx,
    actor,
    book,
    {
      date: body.date,
      summary: `冲销${label}：${body.reason}`.slice(0, 100),
      handlerName: row.handler_name,
      // The same accounts and amounts on the other side (蓝字反向冲销): amounts stay non-negative.
      lines: lines.map((line) => ({
        accountCode: line.account,
        summary: `冲销：${line.summary}`.slice(0, 100),
        debit: line.credit,
        credit: line.debit,
      })),
      attachments: [],
    },
    { kind: 'reversal', reversesId: row.id, extra: { reverses: { id: row.id, label }, reason: body.reason } },
  );
  await appendFinanceEntry(trx, {
    recordType: FINANCE_RECORD_TYPES.voucher,
    recordId: row.id,
    streetId: row.street_id,
    action: 'reverse',
    actorId: actor.userId,
    actorRole: role,
    changes: {},
    extra: { reversedBy: newId, reason: body.reason },
  });
  return newId;
}
