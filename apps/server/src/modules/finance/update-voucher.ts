import type { Voucher, VoucherInput } from '@minqing/contract';
import type { App } from '../../app.ts';
import { inTransaction } from '../../db/transaction.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from './finance-journal.ts';
import { getVoucher } from './get-voucher.ts';
import { checkVersion } from './load-book.ts';
import { actingRole, cannotSee, canReadBook, KEEP_ROLES, mayActOnVoucher } from './policy.ts';
import { findBook, lockVoucher, updateVoucher } from './repository.ts';
import { prepareVoucherContent } from './voucher-content.ts';

const VOUCHER = { zh: '凭证', en: 'Voucher' };

/** Edits a draft. A submitted, approved or posted voucher is not edited (withdraw it first, or reverse it). */
export async function updateDraftVoucher(
  app: App,
  actor: Actor,
  id: string,
  input: VoucherInput & { expectedVersion?: number | undefined },
): Promise<Voucher> {
  await inTransaction(app.db, async (trx) => {
    const row = await lockVoucher(trx, id);
    if (!row) throw errors.notFound(VOUCHER);
    const book = (await findBook(trx, row.book_id))!;
    if (!canReadBook(actor, book)) throw cannotSee(actor, VOUCHER);
    const access = {
      unit_path: book.unit_path,
      state: row.state as Voucher['state'],
      prepared_by: row.prepared_by,
      isReversed: false,
    };
    if (!mayActOnVoucher(actor, 'edit', access)) throw errors.forbidden({ need: 'bookkeeper' });
    checkVersion(row.version, input.expectedVersion);
    if (row.state !== 'draft') {
      throw errors.conflict(
        row.state === 'posted' ? 'voucher_posted' : 'illegal_transition',
        row.state === 'posted'
          ? {
              zh: '凭证已入账，不能修改；更正请填制冲销凭证',
              en: 'The voucher is posted and never edited; correct it with a reversing voucher',
            }
          : { zh: '只有草稿可以修改，请先撤回', en: 'Only a draft can be edited; withdraw it first' },
        { currentState: row.state },
      );
    }
    if (row.kind === 'depreciation' || row.kind === 'closing') {
      // Its lines are computed (per asset, or from the year's balances): run it again instead.
      throw errors.conflict('voucher_computed', {
        zh: '计提折旧和结账凭证由系统生成，不能修改；如需重算，请作废后重新生成',
        en: 'Depreciation and closing vouchers are computed; discard it and run it again instead of editing',
      });
    }
    const content = await prepareVoucherContent(trx, book, input);
    const changes = {
      period: content.period,
      voucher_date: input.date,
      summary: input.summary,
      lines: content.lines,
      total: content.total,
      handler_name: input.handlerName ?? null,
      attachments: content.attachments,
      version: row.version + 1,
    };
    await updateVoucher(trx, id, {
      ...changes,
      lines: JSON.stringify(changes.lines),
      attachments: JSON.stringify(changes.attachments),
      updated_at: new Date(),
    });
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.voucher,
      recordId: id,
      streetId: row.street_id,
      action: 'edit',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes,
    });
  });
  return getVoucher(app, actor, id);
}
