import type { FieldCipher } from '../../../crypto/index.ts';
import { maskIdNumber, maskName, maskPhone } from '../../../privacy/mask.ts';

/**
 * A contract's holder (承包/承租方) is personal data when a person: the full name, ID number and phone
 * are stored encrypted; `counterparty_name` keeps what anyone may read (张* for a person, the full
 * name of an organisation). Only those who keep, approve or review the books see them in full.
 */
export interface HolderColumns {
  counterparty_name: string;
  counterparty_kind: string;
  counterparty_name_enc: string | null;
  counterparty_id_enc: string | null;
  counterparty_phone_enc: string | null;
}

export function holderColumns(
  cipher: FieldCipher,
  input: { name: string; kind: 'person' | 'organisation'; idNo?: string | null; phone?: string | null },
): HolderColumns {
  const isPerson = input.kind === 'person';
  return {
    counterparty_name: isPerson ? maskName(input.name) : input.name,
    counterparty_kind: input.kind,
    counterparty_name_enc: isPerson ? cipher.encrypt(input.name) : null,
    counterparty_id_enc: input.idNo ? cipher.encrypt(input.idNo.toUpperCase()) : null,
    counterparty_phone_enc: input.phone ? cipher.encrypt(input.phone) : null,
  };
}

/** The holder as `viewer` may see it: in full for the finance people, masked for everyone else. */
export function presentHolder(cipher: FieldCipher, row: HolderColumns, isFull: boolean) {
  const open = (token: string | null) => (token ? cipher.decrypt(token) : null);
  if (isFull) {
    return {
      name: row.counterparty_name_enc ? cipher.decrypt(row.counterparty_name_enc) : row.counterparty_name,
      idNo: open(row.counterparty_id_enc),
      phone: open(row.counterparty_phone_enc),
    };
  }
  const idNo = open(row.counterparty_id_enc);
  const phone = open(row.counterparty_phone_enc);
  return {
    name: row.counterparty_name,
    idNo: idNo ? maskIdNumber(idNo) : null,
    phone: phone ? maskPhone(phone) : null,
  };
}

/** Today in China (UTC+8), YYYY-MM-DD. */
export function chinaToday(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A contract ending within this many days is flagged (合同到期提醒). */
export const ENDING_SOON_DAYS = 90;
