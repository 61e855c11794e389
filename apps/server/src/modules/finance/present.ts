import {
  voucherLabel,
  type Account,
  type Attachment,
  type Book,
  type PublicVoucher,
  type Voucher,
} from '@minqing/contract';
import type { Actor } from '../../policy/index.ts';
import { maskName } from '../../privacy/mask.ts';
import type { StoredLine } from './ledger-math.ts';
import { sides } from './ledger-math.ts';
import { canApprove, canKeepBooks, canReview, voucherActions } from './policy.ts';
import type { AccountRow, AttachmentRow, BookWithUnit, VoucherRow } from './repository.ts';

/** What a voucher keeps about each attachment (its journal reproduces this list). */
export interface StoredAttachment {
  id: string;
  kind: 'image' | 'pdf';
  name: string;
  sha256: string;
  isPublic: boolean;
}

export function attachmentUrls(id: string, kind: string) {
  return {
    file: `/api/finance/attachments/${id}/file`,
    thumb: kind === 'image' ? `/api/finance/attachments/${id}/thumb` : null,
  };
}

export function presentAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    kind: row.kind as Attachment['kind'],
    name: row.name,
    sha256: row.sha256,
    mime: row.mime,
    bytes: row.bytes,
    urls: attachmentUrls(row.id, row.kind),
    createdAt: row.created_at.toISOString(),
  };
}

export function bookActions(actor: Actor | null, book: BookWithUnit): string[] {
  const actions: string[] = [];
  if (canKeepBooks(actor, book)) {
    if (book.state === 'setup') actions.push('set-opening', 'import-opening', 'start');
    else actions.push('keep');
  }
  if (canApprove(actor, book)) actions.push('approve', 'publish');
  if (canReview(actor, book)) actions.push('review');
  return actions;
}

export function presentBook(actor: Actor | null, book: BookWithUnit, accounts: AccountRow[]): Book {
  const names = new Map(accounts.map((account) => [account.code, account.name]));
  const opening = Object.entries(book.opening_balances as Record<string, number>)
    .filter(([, amount]) => amount !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, amount]) => ({ accountCode: code, accountName: names.get(code) ?? code, ...sides(amount) }));
  const debit = opening.reduce((sum, row) => sum + row.debit, 0);
  const credit = opening.reduce((sum, row) => sum + row.credit, 0);
  return {
    id: book.id,
    unitId: book.unit_id,
    unitName: book.unit_name,
    unitCode: book.unit_code,
    streetId: book.street_id,
    name: book.name,
    orgCode: book.org_code,
    startMonth: book.start_month,
    state: book.state as Book['state'],
    chart: book.chart,
    openingBalances: opening,
    openingTotals: { debit, credit },
    isOpeningBalanced: debit === credit,
    createdAt: book.created_at.toISOString(),
    startedAt: book.started_at?.toISOString() ?? null,
    version: book.version,
    allowedActions: bookActions(actor, book),
  };
}

export function presentAccount(
  actor: Actor | null,
  book: BookWithUnit,
  row: AccountRow,
  leaves: Set<string>,
): Account {
  const actions: string[] = [];
  if (canKeepBooks(actor, book) && row.state !== 'removed') {
    actions.push('add-sub-account');
    if (!row.is_used) actions.push('rename', 'remove');
    actions.push(row.state === 'active' ? 'deactivate' : 'activate');
  }
  return {
    code: row.code,
    name: row.name,
    category: row.category as Account['category'],
    direction: row.direction as Account['direction'],
    parentCode: row.parent_code,
    level: (row.code.length - 1) / 2,
    isStandard: row.is_standard,
    isLeaf: leaves.has(row.code),
    state: row.state as Account['state'],
    isUsed: row.is_used,
    allowedActions: actions,
  };
}

export interface VoucherContext {
  actor: Actor | null;
  book: { unit_path: string };
  periodState: string;
  names: Map<string, string>;
  attachments: Map<string, AttachmentRow>;
  reversedById: string | null;
}

export function presentVoucher(row: VoucherRow, context: VoucherContext): Voucher {
  const person = (id: string | null) => (id ? { id, name: context.names.get(id) ?? '' } : null);
  const lines = row.lines as unknown as StoredLine[];
  const stored = row.attachments as unknown as StoredAttachment[];
  return {
    id: row.id,
    bookId: row.book_id,
    period: row.period,
    number: row.number,
    label: row.number === null ? '草稿' : voucherLabel(row.period, row.number),
    date: row.voucher_date,
    kind: row.kind as Voucher['kind'],
    summary: row.summary,
    lines: lines.map((line, index) => ({
      lineNo: index + 1,
      accountCode: line.account,
      accountName: line.name,
      summary: line.summary,
      debit: line.debit,
      credit: line.credit,
    })),
    total: row.total,
    handlerName: row.handler_name,
    attachments: stored.map((attachment) => {
      const file = context.attachments.get(attachment.id);
      return {
        id: attachment.id,
        kind: attachment.kind,
        name: attachment.name,
        sha256: attachment.sha256,
        mime: file?.mime ?? '',
        bytes: file?.bytes ?? 0,
        urls: attachmentUrls(attachment.id, attachment.kind),
        createdAt: (file?.created_at ?? row.created_at).toISOString(),
        isPublic: attachment.isPublic,
      };
    }),
    state: row.state as Voucher['state'],
    preparedBy: person(row.prepared_by)!,
    approvedBy: person(row.approved_by),
    approvedAt: row.approved_at?.toISOString() ?? null,
    reviewedBy: person(row.reviewed_by),
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    reviewNote: row.review_note,
    postedBy: person(row.posted_by),
    postedAt: row.posted_at?.toISOString() ?? null,
    returnReason: row.return_reason,
    reversesId: row.reverses_id,
    reversedById: context.reversedById,
    periodState: context.periodState as Voucher['periodState'],
    createdAt: row.created_at.toISOString(),
    version: row.version,
    allowedActions: voucherActions(
      context.actor,
      {
        unit_path: context.book.unit_path,
        state: row.state as Voucher['state'],
        prepared_by: row.prepared_by,
        isReversed: context.reversedById !== null,
      },
      context.periodState,
    ),
  };
}

/**
 * A posted voucher as villagers see it: the handler's name masked, only the attachments marked
 * public. Its digest (publicVoucherDigestText) is what the seal lists, so this function must stay
 * stable: a change here is a change of format (bump the digest text's version).
 */
export function presentPublicVoucher(
  row: VoucherRow,
  reversedBy: { id: string; label: string } | null,
): PublicVoucher {
  const lines = row.lines as unknown as StoredLine[];
  const stored = row.attachments as unknown as StoredAttachment[];
  return {
    id: row.id,
    bookId: row.book_id,
    period: row.period,
    number: row.number ?? 0,
    date: row.voucher_date,
    kind: row.kind as PublicVoucher['kind'],
    summary: row.summary,
    lines: lines.map((line) => ({
      account: line.account,
      accountName: line.name,
      summary: line.summary,
      debit: line.debit,
      credit: line.credit,
    })),
    total: row.total,
    handler: row.handler_name ? maskName(row.handler_name) : null,
    attachments: stored
      .filter((attachment) => attachment.isPublic)
      .map((attachment) => ({
        id: attachment.id,
        kind: attachment.kind,
        sha256: attachment.sha256,
        urls: attachmentUrls(attachment.id, attachment.kind),
      })),
    reversesId: row.reverses_id,
    reversedBy,
    label: voucherLabel(row.period, row.number),
  };
}
