import {
  splitRentSchedule,
  termMonths,
  voucherLabel,
  type Contract,
  type ZCreateContract,
  type ZRecordRentPayment,
  type ZUpdateContract,
} from '@minqing/contract';
import type { z } from 'zod';
import type { App } from '../../../app.ts';
import type { Db } from '../../../db/database.ts';
import { inTransaction, isUniqueViolation } from '../../../db/transaction.ts';
import { errors } from '../../../errors.ts';
import type { Actor } from '../../../policy/index.ts';
import { appendFinanceEntry, FINANCE_RECORD_TYPES } from '../finance-journal.ts';
import { checkVersion, loadKeptBook, loadReadableBook } from '../load-book.ts';
import { actingRole, canKeepBooks, canSeePersonalData, KEEP_ROLES } from '../policy.ts';
import { presentAttachment } from '../present.ts';
import type { BookRow } from '../repository.ts';
import { chinaToday, daysBetween, ENDING_SOON_DAYS, holderColumns, presentHolder } from './holder.ts';
import {
  findAsset,
  findContract,
  findResource,
  insertContract,
  insertInstalments,
  insertReceipts,
  listContracts,
  lockContract,
  lockResource,
  lockSchedule,
  payInstalment,
  receiptsOf,
  receivedOnVoucher,
  scheduleOf,
  updateContract,
  updateResource,
  type ContractRow,
  type InstalmentRow,
  type ReceiptRow,
} from './repository.ts';

const CONTRACT = { zh: '合同', en: 'Contract' };

type CreateContract = z.infer<typeof ZCreateContract>;
type UpdateContract = z.infer<typeof ZUpdateContract>;
type RecordRentPayment = z.infer<typeof ZRecordRentPayment>;

/** 年租金: as written in the contract, or the total over the years of the term (to the fen). */
export function annualRentOf(
  row: Pick<ContractRow, 'annual_rent' | 'total_rent' | 'start_date' | 'end_date'>,
) {
  if (row.annual_rent !== null) return Number(row.annual_rent);
  return Math.round((Number(row.total_rent) * 12) / termMonths(row.start_date, row.end_date));
}

function unprocessable(code: string, field: string, zh: string, en: string): never {
  throw errors.unprocessable(code, { zh, en }, { field });
}

/** The instalments of a new contract: generated from the frequency, or the bookkeeper's own list checked. */
export function planSchedule(input: CreateContract): { dueDate: string; amount: number }[] {
  if (input.frequency === 'custom') {
    const schedule = input.schedule ?? [];
    schedule.forEach((entry, i) => {
      if (entry.dueDate < input.startDate || entry.dueDate > input.endDate) {
        unprocessable(
          'schedule_outside_term',
          `schedule.${i}.dueDate`,
          `第 ${i + 1} 期的收租日 ${entry.dueDate} 不在合同期限内`,
          `instalment ${i + 1} falls due on ${entry.dueDate}, outside the term`,
        );
      }
    });
    const sum = schedule.reduce((total, entry) => total + entry.amount, 0);
    if (sum !== input.totalRent) {
      unprocessable(
        'schedule_total_mismatch',
        'schedule',
        `各期租金合计 ${sum} 分，与合同总金额 ${input.totalRent} 分不符`,
        `the instalments add up to ${sum} fen, not the contract's ${input.totalRent} fen`,
      );
    }
    return [...schedule].sort((a, b) => a.dueDate.localeCompare(b.dueDate));
  }
  const schedule = splitRentSchedule(input.startDate, input.endDate, input.totalRent, input.frequency);
  if (schedule.some((entry) => entry.amount < 1)) {
    unprocessable(
      'total_too_small',
      'totalRent',
      `合同总金额不足以分成 ${schedule.length} 期`,
      `the total cannot be split into ${schedule.length} instalments`,
    );
  }
  return schedule;
}

async function checkSubject(db: Db, book: BookRow, input: CreateContract) {
  if (input.resourceId) {
    const resource = await findResource(db, input.resourceId);
    if (!resource || resource.book_id !== book.id) {
      unprocessable(
        'subject_unknown',
        'resourceId',
        '合同标的资源不在本账套中',
        'The resource is not in these books',
      );
    }
  }
  if (input.assetId) {
    const asset = await findAsset(db, input.assetId);
    if (!asset || asset.book_id !== book.id) {
      unprocessable(
        'subject_unknown',
        'assetId',
        '合同标的资产不在本账套中',
        'The asset is not in these books',
      );
    }
  }
  if (input.documentId) {
    const document = await db
      .selectFrom('finance_attachments')
      .select('book_id')
      .where('id', '=', input.documentId)
      .executeTakeFirst();
    if (!document || document.book_id !== book.id) {
      unprocessable(
        'document_unknown',
        'documentId',
        '合同文件不在本账套中',
        'The document is not in these books',
      );
    }
  }
}

/** Code and name of the resources or assets a set of contracts lets. */
async function namesOf(db: Db, table: 'finance_resources' | 'finance_assets', ids: (string | null)[]) {
  const wanted = ids.filter((id): id is string => !!id);
  if (wanted.length === 0) return new Map<string, { id: string; code: string; name: string }>();
  const rows = await db.selectFrom(table).select(['id', 'code', 'name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

export interface ContractView {
  isFull: boolean;
  canEdit: boolean;
  asOf: string;
}

function presentInstalment(row: InstalmentRow, asOf: string) {
  const amount = Number(row.amount);
  const paid = Number(row.paid_amount);
  const isOverdue = paid < amount && row.due_date < asOf;
  return {
    id: row.id,
    dueDate: row.due_date,
    amount,
    paidAmount: paid,
    paidOn: row.paid_on,
    voucherId: row.voucher_id,
    isOverdue,
    overdueDays: isOverdue ? daysBetween(row.due_date, asOf) : 0,
  };
}

/** Contracts with their schedules and receipts, as `view` allows. */
export async function presentContracts(
  app: App,
  rows: ContractRow[],
  view: ContractView,
): Promise<Contract[]> {
  const ids = rows.map((row) => row.id);
  const schedule = await scheduleOf(app.db, ids);
  const receipts = await receiptsOf(app.db, ids);
  const subjects = {
    resources: await namesOf(
      app.db,
      'finance_resources',
      rows.map((row) => row.resource_id),
    ),
    assets: await namesOf(
      app.db,
      'finance_assets',
      rows.map((row) => row.asset_id),
    ),
  };
  const documentIds = rows.map((row) => row.document_id).filter((id): id is string => !!id);
  const documents = new Map(
    documentIds.length
      ? (
          await app.db.selectFrom('finance_attachments').selectAll().where('id', 'in', documentIds).execute()
        ).map((row) => [row.id, row])
      : [],
  );
  return rows.map((row) => {
    const instalments = schedule
      .filter((entry) => entry.contract_id === row.id)
      .map((entry) => presentInstalment(entry, view.asOf));
    const holder = presentHolder(app.fieldCipher, row, view.isFull);
    const document = row.document_id ? documents.get(row.document_id) : undefined;
    const daysToEnd = daysBetween(view.asOf, row.end_date);
    return {
      id: row.id,
      bookId: row.book_id,
      code: row.code,
      title: row.title,
      counterpartyName: holder.name,
      counterpartyKind: row.counterparty_kind as 'person' | 'organisation',
      counterpartyIdNo: holder.idNo,
      counterpartyPhone: holder.phone,
      frequency: (row.frequency ?? 'custom') as Contract['frequency'],
      annualRent: annualRentOf(row),
      isEndingSoon: row.state === 'active' && daysToEnd >= 0 && daysToEnd <= ENDING_SOON_DAYS,
      daysToEnd,
      receipts: receipts
        .filter((receipt: ReceiptRow) => receipt.contract_id === row.id)
        .map((receipt) => ({
          id: receipt.id,
          instalmentId: receipt.instalment_id,
          amount: Number(receipt.amount),
          paidOn: receipt.paid_on,
          voucherId: receipt.voucher_id,
          voucherLabel:
            receipt.voucher_period && receipt.voucher_number !== null
              ? voucherLabel(receipt.voucher_period, receipt.voucher_number)
              : null,
        })),
      resource: row.resource_id ? (subjects.resources.get(row.resource_id) ?? null) : null,
      asset: row.asset_id ? (subjects.assets.get(row.asset_id) ?? null) : null,
      startDate: row.start_date,
      endDate: row.end_date,
      totalRent: Number(row.total_rent),
      paidTotal: instalments.reduce((sum, entry) => sum + entry.paidAmount, 0),
      overdueAmount: instalments
        .filter((entry) => entry.isOverdue)
        .reduce((sum, entry) => sum + entry.amount - entry.paidAmount, 0),
      document: document ? presentAttachment(document) : null,
      schedule: instalments,
      state: row.state as Contract['state'],
      note: row.note,
      version: Number(row.version),
      allowedActions: view.canEdit ? (row.state === 'terminated' ? ['edit'] : ['edit', 'pay']) : [],
    };
  });
}

export async function listBookContracts(app: App, actor: Actor, bookId: string, asOf?: string) {
  const book = await loadReadableBook(app.db, actor, bookId);
  const rows = await listContracts(app.db, book.id);
  return {
    items: await presentContracts(app, rows, {
      isFull: canSeePersonalData(actor, book),
      canEdit: canKeepBooks(actor, book),
      asOf: asOf ?? chinaToday(),
    }),
  };
}

export async function getContract(app: App, actor: Actor, id: string): Promise<Contract> {
  const row = await findContract(app.db, id);
  if (!row) throw errors.notFound(CONTRACT);
  const book = await loadReadableBook(app.db, actor, row.book_id);
  const [contract] = await presentContracts(app, [row], {
    isFull: canSeePersonalData(actor, book),
    canEdit: canKeepBooks(actor, book),
    asOf: chinaToday(),
  });
  return contract!;
}

/**
 * 签订合同: a contract letting a resource or an asset, its holder's personal data encrypted, and its
 * rent schedule (generated or given) adding up to the total to the fen — all in one transaction, with
 * the resource linked to it.
 */
export async function createContract(
  app: App,
  actor: Actor,
  bookId: string,
  input: CreateContract,
): Promise<Contract> {
  const book = await loadKeptBook(app.db, actor, bookId);
  await checkSubject(app.db, book, input);
  const schedule = planSchedule(input);
  const id = crypto.randomUUID();
  const now = new Date();
  const holder = holderColumns(app.fieldCipher, {
    name: input.counterpartyName,
    kind: input.counterpartyKind,
    idNo: input.counterpartyIdNo,
    phone: input.counterpartyPhone,
  });
  const row = {
    id,
    book_id: book.id,
    street_id: book.street_id,
    unit_path: book.unit_path,
    code: input.code,
    title: input.title,
    ...holder,
    resource_id: input.resourceId ?? null,
    asset_id: input.assetId ?? null,
    start_date: input.startDate,
    end_date: input.endDate,
    total_rent: input.totalRent,
    annual_rent: input.annualRent ?? null,
    frequency: input.frequency,
    document_id: input.documentId ?? null,
    state: 'active',
    note: input.note ?? null,
    version: 1,
  };
  const role = actingRole(actor, KEEP_ROLES, book);
  try {
    await inTransaction(app.db, async (trx) => {
      await insertContract(trx, { ...row, created_at: now, updated_at: now });
      await insertInstalments(
        trx,
        schedule.map((entry) => ({
          id: crypto.randomUUID(),
          contract_id: id,
          book_id: book.id,
          street_id: book.street_id,
          unit_path: book.unit_path,
          due_date: entry.dueDate,
          amount: entry.amount,
        })),
      );
      // The journal keeps what anyone may read: the masked holder, never the encrypted columns' plaintext.
      await appendFinanceEntry(trx, {
        recordType: FINANCE_RECORD_TYPES.contract,
        recordId: id,
        streetId: book.street_id,
        action: 'sign',
        actorId: actor.userId,
        actorRole: role,
        changes: row,
        extra: { frequency: input.frequency, annualRent: annualRentOf(row), schedule },
        at: now,
      });
      if (input.resourceId) {
        const resource = await lockResource(trx, input.resourceId);
        const changes = {
          contract_id: id,
          let_how: resource!.let_how === 'unlet' ? 'contracted' : resource!.let_how,
          version: Number(resource!.version) + 1,
        };
        await updateResource(trx, input.resourceId, { ...changes, updated_at: now });
        await appendFinanceEntry(trx, {
          recordType: FINANCE_RECORD_TYPES.resource,
          recordId: input.resourceId,
          streetId: book.street_id,
          action: 'link_contract',
          actorId: actor.userId,
          actorRole: role,
          changes,
          at: now,
        });
      }
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw errors.conflict(
        'code_taken',
        { zh: `合同编号 ${input.code} 已被使用`, en: `Contract code ${input.code} is taken` },
        { field: 'code' },
      );
    }
    throw error;
  }
  return getContract(app, actor, id);
}

/** Ends or terminates a contract, or changes its note or document. The schedule stays as signed. */
export async function changeContract(
  app: App,
  actor: Actor,
  id: string,
  input: UpdateContract,
): Promise<Contract> {
  const existing = await findContract(app.db, id);
  if (!existing) throw errors.notFound(CONTRACT);
  const book = await loadKeptBook(app.db, actor, existing.book_id);
  await inTransaction(app.db, async (trx) => {
    const row = await lockContract(trx, id);
    if (!row) throw errors.notFound(CONTRACT);
    checkVersion(Number(row.version), input.expectedVersion);
    const changes: Record<string, unknown> = {};
    if (input.state !== undefined) changes.state = input.state;
    if (input.note !== undefined) changes.note = input.note;
    if (input.documentId !== undefined) changes.document_id = input.documentId;
    changes.version = Number(row.version) + 1;
    const now = new Date();
    await updateContract(trx, id, { ...changes, updated_at: now });
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.contract,
      recordId: id,
      streetId: book.street_id,
      action: 'change',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes,
      at: now,
    });
  });
  return getContract(app, actor, id);
}

/**
 * 收租: a receipt against the contract — one instalment, or the oldest unpaid ones in turn — partial
 * receipts allowed, never more than is owed; when it names a voucher, the voucher is a posted one of
 * these books and its total is not received twice.
 */
export async function recordRentReceipt(
  app: App,
  actor: Actor,
  id: string,
  input: RecordRentPayment,
): Promise<Contract> {
  const existing = await findContract(app.db, id);
  if (!existing) throw errors.notFound(CONTRACT);
  const book = await loadKeptBook(app.db, actor, existing.book_id);
  await inTransaction(app.db, async (trx) => {
    const contract = await lockContract(trx, id);
    if (!contract) throw errors.notFound(CONTRACT);
    if (contract.state === 'terminated') {
      throw errors.conflict('contract_terminated', {
        zh: '合同已解除，不能再登记收租',
        en: 'The contract is terminated; no more receipts',
      });
    }
    const instalments = await lockSchedule(trx, id);
    if (input.voucherId) {
      const voucher = await trx
        .selectFrom('finance_vouchers')
        .select(['book_id', 'state', 'total'])
        .where('id', '=', input.voucherId)
        .forUpdate()
        .executeTakeFirst();
      if (!voucher || voucher.book_id !== book.id || voucher.state !== 'posted') {
        unprocessable(
          'voucher_not_posted',
          'voucherId',
          '收款凭证须是本账套已入账的凭证',
          'The receipt voucher must be a posted voucher of these books',
        );
      }
      const already = await receivedOnVoucher(trx, input.voucherId);
      if (already + input.amount > Number(voucher.total)) {
        unprocessable(
          'voucher_exhausted',
          'amount',
          `该凭证金额 ${Number(voucher.total)} 分，已登记收租 ${already} 分，不足本次 ${input.amount} 分`,
          `the voucher is for ${Number(voucher.total)} fen, ${already} of it already received; not enough for ${input.amount}`,
        );
      }
    }
    const open = instalments.filter((entry) => Number(entry.paid_amount) < Number(entry.amount));
    const targets = input.instalmentId ? open.filter((entry) => entry.id === input.instalmentId) : open;
    if (input.instalmentId && !instalments.some((entry) => entry.id === input.instalmentId)) {
      unprocessable(
        'instalment_unknown',
        'instalmentId',
        '该期租金不属于此合同',
        'The instalment is not of this contract',
      );
    }
    const owed = targets.reduce((sum, entry) => sum + Number(entry.amount) - Number(entry.paid_amount), 0);
    if (input.amount > owed) {
      unprocessable(
        'overpaid',
        'amount',
        `收款 ${input.amount} 分超过应收未收的 ${owed} 分`,
        `${input.amount} fen is more than the ${owed} fen still owed`,
      );
    }
    let left = input.amount;
    const receipts = [];
    for (const entry of targets) {
      if (left === 0) break;
      const take = Math.min(left, Number(entry.amount) - Number(entry.paid_amount));
      left -= take;
      await payInstalment(trx, entry.id, {
        paid_amount: Number(entry.paid_amount) + take,
        paid_on: input.paidOn,
        voucher_id: input.voucherId ?? entry.voucher_id,
      });
      receipts.push({
        id: crypto.randomUUID(),
        contract_id: id,
        instalment_id: entry.id,
        book_id: book.id,
        amount: take,
        paid_on: input.paidOn,
        voucher_id: input.voucherId ?? null,
        recorded_by: actor.userId,
      });
    }
    await insertReceipts(trx, receipts);
    const changes = { version: Number(contract.version) + 1 };
    const now = new Date();
    await updateContract(trx, id, { ...changes, updated_at: now });
    await appendFinanceEntry(trx, {
      recordType: FINANCE_RECORD_TYPES.contract,
      recordId: id,
      streetId: book.street_id,
      action: 'receive_rent',
      actorId: actor.userId,
      actorRole: actingRole(actor, KEEP_ROLES, book),
      changes,
      extra: {
        receipts: receipts.map((receipt) => ({
          instalmentId: receipt.instalment_id,
          amount: receipt.amount,
          paidOn: receipt.paid_on,
          voucherId: receipt.voucher_id,
        })),
      },
      at: now,
    });
  });
  return getContract(app, actor, id);
}
