import type { VoucherAction, VoucherState } from '@minqing/contract';
import { errors } from '../../errors.ts';
import {
  grantsCovering,
  hasRole,
  hasRoleCovering,
  STAFF_ROLES,
  type Actor,
  type Role,
} from '../../policy/index.ts';

/**
 * Who may do what with a village's books (DESIGN.md, "Collective finances"; docs/decisions/0700).
 *
 * - the bookkeeper (报账员) keeps the books: vouchers, registers, periods, disclosures in draft;
 * - the village committee (村两委: community or street admin) approves vouchers (审批) and publishes
 *   (seals) disclosures;
 * - the 民主理财小组 (finance reviewer) reviews vouchers before posting and disclosures before sealing.
 *
 * Nobody approves or reviews a voucher they prepared. The auditor reads the journal and the logs, not
 * the books (三权分立, as for cases). Every villager reads what has been disclosed, without signing in.
 */
export const KEEP_ROLES: readonly Role[] = ['bookkeeper'];
export const APPROVE_ROLES: readonly Role[] = ['community_admin', 'street_admin'];
export const REVIEW_ROLES: readonly Role[] = ['finance_reviewer'];
const READ_ROLES: readonly Role[] = [...KEEP_ROLES, ...APPROVE_ROLES, ...REVIEW_ROLES];

/** The columns of a book that decide access. */
export interface BookAccess {
  unit_path: string;
}

export function canReadBook(actor: Actor | null, book: BookAccess): boolean {
  return hasRoleCovering(actor, READ_ROLES, book.unit_path);
}

export function canKeepBooks(actor: Actor | null, book: BookAccess): boolean {
  return hasRoleCovering(actor, KEEP_ROLES, book.unit_path);
}

export function canApprove(actor: Actor | null, book: BookAccess): boolean {
  return hasRoleCovering(actor, APPROVE_ROLES, book.unit_path);
}

export function canReview(actor: Actor | null, book: BookAccess): boolean {
  return hasRoleCovering(actor, REVIEW_ROLES, book.unit_path);
}

/** Sealing a disclosure publishes it: the village committee (finance.publish). */
export function canPublish(actor: Actor | null, book: BookAccess): boolean {
  return canApprove(actor, book);
}

/** A villager's question is answered by the bookkeeper or the committee. */
export function canAnswer(actor: Actor | null, book: BookAccess): boolean {
  return canKeepBooks(actor, book) || canApprove(actor, book);
}

/** Opening a set of books for a village or one of its groups. */
export function canCreateBook(actor: Actor | null, unitPath: string): boolean {
  return hasRoleCovering(actor, [...KEEP_ROLES, ...APPROVE_ROLES], unitPath);
}

/** Personal data (a handler's or holder's full name) is for those who keep, approve or review. */
export function canSeePersonalData(actor: Actor | null, book: BookAccess): boolean {
  return canReadBook(actor, book);
}

/** The role under which `actor` acts on the book (for the journal), among `roles`. */
export function actingRole(actor: Actor | null, roles: readonly Role[], book: BookAccess): string | null {
  return grantsCovering(actor, roles, book.unit_path)[0]?.role ?? null;
}

export function isStaff(actor: Actor | null): boolean {
  return hasRole(actor, STAFF_ROLES);
}

/**
 * Staff who may not read the books learn they lack the right (403); a resident or the public cannot
 * tell whether the record exists (404).
 */
export function cannotSee(actor: Actor | null, what: { zh: string; en: string }) {
  return isStaff(actor) ? errors.forbidden() : errors.notFound(what);
}

export function requireReadBook(actor: Actor | null, book: BookAccess): void {
  if (!canReadBook(actor, book)) throw cannotSee(actor, { zh: '账套', en: 'Set of books' });
}

export function requireKeepBooks(actor: Actor | null, book: BookAccess): void {
  requireReadBook(actor, book);
  if (!canKeepBooks(actor, book)) throw errors.forbidden({ need: 'bookkeeper' });
}

/** The voucher workflow: from which states each action leaves, and where it goes. */
export const VOUCHER_TRANSITIONS: Record<
  VoucherAction,
  { from: readonly VoucherState[]; to: VoucherState | null }
> = {
  submit: { from: ['draft'], to: 'submitted' },
  withdraw: { from: ['submitted', 'approved', 'reviewed'], to: 'draft' },
  approve: { from: ['submitted'], to: 'approved' },
  review: { from: ['approved'], to: 'reviewed' },
  return: { from: ['submitted', 'approved'], to: 'draft' },
  post: { from: ['reviewed'], to: 'posted' },
  discard: { from: ['draft'], to: 'discarded' },
  // A posted voucher stays as it is; the reversal is a new voucher in a later period.
  reverse: { from: ['posted'], to: null },
};

export interface VoucherAccess extends BookAccess {
  state: VoucherState;
  prepared_by: string;
  isReversed: boolean;
}

/** May `actor` take `action` on the voucher as far as roles and separation of duties go? */
export function mayActOnVoucher(
  actor: Actor | null,
  action: VoucherAction | 'edit',
  voucher: VoucherAccess,
): boolean {
  if (!actor) return false;
  const isPreparer = voucher.prepared_by === actor.userId;
  switch (action) {
    case 'edit':
    case 'submit':
    case 'withdraw':
    case 'post':
    case 'discard':
    case 'reverse':
      return canKeepBooks(actor, voucher);
    case 'approve':
      return canApprove(actor, voucher) && !isPreparer;
    case 'review':
      return canReview(actor, voucher) && !isPreparer;
    case 'return':
      return voucher.state === 'submitted'
        ? canApprove(actor, voucher) && !isPreparer
        : canReview(actor, voucher) && !isPreparer;
  }
}

/** What the caller may do with the voucher now: the state allows it and the roles do. */
export function voucherActions(actor: Actor | null, voucher: VoucherAccess, periodState: string): string[] {
  const actions: string[] = [];
  const isOpen = periodState === 'open';
  if (voucher.state === 'draft' && isOpen && mayActOnVoucher(actor, 'edit', voucher)) actions.push('edit');
  for (const [action, rule] of Object.entries(VOUCHER_TRANSITIONS) as [
    VoucherAction,
    (typeof VOUCHER_TRANSITIONS)[VoucherAction],
  ][]) {
    if (!rule.from.includes(voucher.state)) continue;
    if (action === 'reverse' && voucher.isReversed) continue;
    // Work on a voucher of a closed month waits until the month is reopened (or moves to a later one).
    if (action !== 'reverse' && action !== 'withdraw' && action !== 'discard' && !isOpen) continue;
    if (mayActOnVoucher(actor, action, voucher)) actions.push(action);
  }
  return actions;
}
