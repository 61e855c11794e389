/**
 * "Are the books shown exactly the books sealed?" — recomputed where nobody has to trust the server:
 * in a villager's browser (Web Crypto), or in any runtime with `crypto.subtle`.
 *
 * 1. The seal: the disclosure's journal is checked as any record's (entry hashes, chain, Merkle inclusion
 *    proof against the signed batch head, Ed25519 signature against the published keys).
 * 2. The disclosure shown is the one in the seal entry, byte for byte (canonical JSON).
 * 3. Every voucher shown hashes to the digest the seal lists for it; none is missing or extra.
 * 4. The trial balance of the seal adds up: each account's movements are the sums of the vouchers'
 *    lines, closing = opening + movements, debits = credits; income and expenditure are the sums of
 *    the vouchers (year-end closing vouchers aside).
 */
import type { LocalizedText } from './common.ts';
import {
  disclosureContentText,
  publicVoucherDigestText,
  voucherLabel,
  type DisclosureContent,
  type PublicDisclosure,
  type PublicVoucher,
} from './finance.ts';
import { sha256Hex, verifyRecordJournal } from './journal-verify.ts';
import type { JournalKey, RecordJournal } from './journal.ts';

export const DISCLOSURE_RECORD_TYPE = 'finance_disclosure';

export type DisclosureCheckCode =
  | 'journal_invalid'
  | 'seal_missing'
  | 'seal_pending'
  | 'content_mismatch'
  | 'content_hash_mismatch'
  | 'voucher_altered'
  | 'voucher_missing'
  | 'voucher_unsealed'
  | 'attachment_altered'
  | 'attachment_unreadable'
  | 'movement_mismatch'
  | 'balance_mismatch'
  | 'totals_mismatch'
  | 'category_mismatch';

export interface DisclosureProblem {
  code: DisclosureCheckCode;
  /** The voucher concerned (记-2025-03-007), when there is one. */
  voucher?: string;
  voucherId?: string;
  account?: string;
  message: LocalizedText;
}

export interface DisclosureStep {
  key: 'seal' | 'content' | 'vouchers' | 'attachments' | 'figures';
  label: LocalizedText;
  /** null: could not be decided (the seal waits for its batch). */
  ok: boolean | null;
}

export interface DisclosureVerification {
  /** true: exactly the books sealed; false: something differs (problems say what); null: not sealed into a batch yet. */
  isValid: boolean | null;
  steps: DisclosureStep[];
  problems: DisclosureProblem[];
  sealedAt: string | null;
  batchId: number | null;
  keyId: string | null;
  vouchersChecked: number;
}

export interface VerifyDisclosureInput {
  disclosure: Pick<PublicDisclosure, 'id' | 'content' | 'contentHash'>;
  journal: RecordJournal;
  keys: readonly JournalKey[];
  vouchers: readonly PublicVoucher[];
  onProgress?: (done: number, total: number) => void;
  /**
   * Fetches an attachment's file (receipt photo, PDF) by its URL. When given, every attachment shown is
   * hashed and compared with the SHA-256 its voucher's sealed digest covers.
   */
  fetchAttachment?: (url: string) => Promise<ArrayBuffer>;
}

async function sha256OfBytes(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Each attachment file shown hashes to the SHA-256 in its (sealed) voucher. */
async function checkAttachments(
  vouchers: readonly PublicVoucher[],
  fetchAttachment: (url: string) => Promise<ArrayBuffer>,
  problems: DisclosureProblem[],
): Promise<boolean> {
  let ok = true;
  for (const voucher of vouchers) {
    const label = voucherLabel(voucher.period, voucher.number);
    for (const [index, attachment] of voucher.attachments.entries()) {
      let hash: string | null = null;
      try {
        hash = await sha256OfBytes(await fetchAttachment(attachment.urls.file));
      } catch {
        ok = false;
        problems.push({
          code: 'attachment_unreadable',
          voucher: label,
          voucherId: voucher.id,
          message: {
            zh: `凭证 ${label} 的第 ${index + 1} 个附件无法读取`,
            en: `attachment ${index + 1} of voucher ${label} could not be read`,
          },
        });
        continue;
      }
      if (hash === attachment.sha256) continue;
      ok = false;
      problems.push({
        code: 'attachment_altered',
        voucher: label,
        voucherId: voucher.id,
        message: {
          zh: `凭证 ${label} 的第 ${index + 1} 个附件与封存时不一致（文件被替换或改动）`,
          en: `attachment ${index + 1} of voucher ${label} differs from the file sealed (replaced or changed)`,
        },
      });
    }
  }
  return ok;
}

/** Runs every check and says in plain words what (if anything) differs from the seal. */
export async function verifyDisclosure(input: VerifyDisclosureInput): Promise<DisclosureVerification> {
  const problems: DisclosureProblem[] = [];
  const steps: DisclosureStep[] = [];
  const content = input.disclosure.content;

  // 1. The seal in the journal.
  const record = await verifyRecordJournal(input.journal, input.keys);
  for (const problem of record.problems) problems.push({ code: 'journal_invalid', message: problem.message });
  const sealEntry = [...input.journal.entries].reverse().find((entry) => entry.action === 'seal');
  let sealOk: boolean | null = record.isValid && !!sealEntry;
  let batchId: number | null = null;
  let keyId: string | null = null;
  let sealedAt: string | null = null;
  if (!sealEntry) {
    problems.push({
      code: 'seal_missing',
      message: { zh: '存证日志中没有这次公开的封存记录', en: 'The journal holds no seal of this disclosure' },
    });
    sealOk = false;
  } else if (sealEntry.batchId === null) {
    sealOk = record.isValid ? null : false;
    if (record.isValid) {
      problems.push({
        code: 'seal_pending',
        message: {
          zh: '封存记录已写入，正在等待下一个签名批次（通常几秒钟），请稍后再核验',
          en: 'The seal is recorded and waits for the next signed batch (usually seconds); verify again shortly',
        },
      });
    }
  } else {
    batchId = sealEntry.batchId;
    const head = input.journal.batches.find((batch) => batch.id === sealEntry.batchId);
    keyId = head?.keyId ?? null;
    sealedAt = head?.sealedAt ?? null;
  }
  steps.push({ key: 'seal', label: { zh: '封存记录与签名', en: 'Seal and signature' }, ok: sealOk });

  // 2. The content shown is the sealed content.
  const sealed = (sealEntry?.payload as { set?: { content?: unknown; content_hash?: unknown } } | undefined)
    ?.set;
  const shownText = disclosureContentText(content);
  const shownHash = await sha256Hex(shownText);
  let contentOk = true;
  if (
    sealed?.content === undefined ||
    disclosureContentText(sealed.content as DisclosureContent) !== shownText
  ) {
    contentOk = false;
    problems.push({
      code: 'content_mismatch',
      message: {
        zh: '页面上显示的公开内容与封存时的内容不一致',
        en: 'The disclosure shown differs from the disclosure sealed',
      },
    });
  }
  if (sealed?.content_hash !== shownHash || input.disclosure.contentHash !== shownHash) {
    contentOk = false;
    problems.push({
      code: 'content_hash_mismatch',
      message: {
        zh: '公开内容的哈希与封存记录不符',
        en: 'The hash of the disclosure does not match the seal',
      },
    });
  }
  steps.push({
    key: 'content',
    label: { zh: '公开内容与封存一致', en: 'Disclosure as sealed' },
    ok: contentOk,
  });

  // 3. Every voucher against its sealed digest. Check against the sealed list (the seal entry's
  // content), not against what the server shows, when the two differ.
  const sealedContent = (sealed?.content as DisclosureContent | undefined) ?? content;
  const expected = new Map(sealedContent.vouchers.map((voucher) => [voucher.id, voucher]));
  const seen = new Set<string>();
  let vouchersOk = true;
  let done = 0;
  for (const voucher of input.vouchers) {
    const label = voucherLabel(voucher.period, voucher.number);
    const sealedVoucher = expected.get(voucher.id);
    const digest = await sha256Hex(publicVoucherDigestText(voucher));
    if (!sealedVoucher) {
      vouchersOk = false;
      problems.push({
        code: 'voucher_unsealed',
        voucher: label,
        voucherId: voucher.id,
        message: {
          zh: `凭证 ${label} 不在封存的凭证清单中（封存后新增）`,
          en: `voucher ${label} is not among the sealed vouchers (added after sealing)`,
        },
      });
    } else if (digest !== sealedVoucher.digest) {
      vouchersOk = false;
      problems.push({
        code: 'voucher_altered',
        voucher: label,
        voucherId: voucher.id,
        message: {
          zh: `凭证 ${label} 的内容与封存时不一致（封存后被改动）`,
          en: `voucher ${label} differs from the voucher sealed (changed after sealing)`,
        },
      });
    }
    seen.add(voucher.id);
    done++;
    if (done % 100 === 0) input.onProgress?.(done, input.vouchers.length);
  }
  for (const sealedVoucher of sealedContent.vouchers) {
    if (seen.has(sealedVoucher.id)) continue;
    vouchersOk = false;
    const label = voucherLabel(sealedVoucher.period, sealedVoucher.number);
    problems.push({
      code: 'voucher_missing',
      voucher: label,
      voucherId: sealedVoucher.id,
      message: {
        zh: `封存的凭证 ${label} 没有显示或已被删除`,
        en: `sealed voucher ${label} is missing from the books shown`,
      },
    });
  }
  input.onProgress?.(input.vouchers.length, input.vouchers.length);
  steps.push({
    key: 'vouchers',
    label: { zh: '每张凭证与封存一致', en: 'Every voucher as sealed' },
    ok: vouchersOk,
  });

  // 3b. The attachment files shown are the files sealed (their hashes are inside the voucher digests).
  if (input.fetchAttachment) {
    const attachmentsOk = await checkAttachments(input.vouchers, input.fetchAttachment, problems);
    steps.push({
      key: 'attachments',
      label: { zh: '附件与封存一致', en: 'Attachments as sealed' },
      ok: attachmentsOk,
    });
  }

  // 4. The figures add up from the vouchers shown.
  const figuresOk = checkFigures(sealedContent, input.vouchers, problems);
  steps.push({
    key: 'figures',
    label: { zh: '余额与收支由凭证算得', en: 'Figures add up from the vouchers' },
    ok: figuresOk,
  });

  const failed = steps.some((step) => step.ok === false);
  return {
    isValid: failed ? false : sealOk === null ? null : true,
    steps,
    problems,
    sealedAt,
    batchId,
    keyId,
    vouchersChecked: input.vouchers.length,
  };
}

function checkFigures(
  content: DisclosureContent,
  vouchers: readonly PublicVoucher[],
  problems: DisclosureProblem[],
): boolean {
  let ok = true;
  const movements = new Map<string, { debit: number; credit: number }>();
  const operating = new Map<string, { debit: number; credit: number }>();
  let debit = 0;
  let credit = 0;
  for (const voucher of vouchers) {
    for (const line of voucher.lines) {
      const sum = movements.get(line.account) ?? { debit: 0, credit: 0 };
      sum.debit += line.debit;
      sum.credit += line.credit;
      movements.set(line.account, sum);
      debit += line.debit;
      credit += line.credit;
      if (voucher.kind === 'closing') continue;
      const first = line.account.slice(0, 3);
      const op = operating.get(first) ?? { debit: 0, credit: 0 };
      op.debit += line.debit;
      op.credit += line.credit;
      operating.set(first, op);
    }
  }
  const rows = new Set<string>();
  for (const row of content.trialBalance) {
    rows.add(row.code);
    const sum = movements.get(row.code) ?? { debit: 0, credit: 0 };
    if (sum.debit !== row.debit || sum.credit !== row.credit) {
      ok = false;
      problems.push({
        code: 'movement_mismatch',
        account: row.code,
        message: {
          zh: `科目 ${row.code} ${row.name} 的本期发生额与凭证合计不符`,
          en: `account ${row.code} ${row.name}: the movements differ from the vouchers' sum`,
        },
      });
    }
    const opening = row.openingDebit - row.openingCredit;
    const closing = row.closingDebit - row.closingCredit;
    if (opening + row.debit - row.credit !== closing) {
      ok = false;
      problems.push({
        code: 'balance_mismatch',
        account: row.code,
        message: {
          zh: `科目 ${row.code} ${row.name} 的期末余额不等于期初余额加本期发生额`,
          en: `account ${row.code} ${row.name}: closing ≠ opening + movements`,
        },
      });
    }
  }
  for (const code of movements.keys()) {
    if (rows.has(code)) continue;
    ok = false;
    problems.push({
      code: 'movement_mismatch',
      account: code,
      message: {
        zh: `凭证使用了科目 ${code}，但余额表中没有该科目`,
        en: `the vouchers post to ${code}, which the trial balance lacks`,
      },
    });
  }
  const sumOf = (pick: (row: DisclosureContent['trialBalance'][number]) => number) =>
    content.trialBalance.reduce((total, row) => total + pick(row), 0);
  const balanced =
    sumOf((row) => row.openingDebit) === sumOf((row) => row.openingCredit) &&
    sumOf((row) => row.closingDebit) === sumOf((row) => row.closingCredit);
  if (
    !balanced ||
    debit !== credit ||
    content.totals.debit !== debit ||
    content.totals.credit !== credit ||
    content.totals.voucherCount !== vouchers.length
  ) {
    ok = false;
    problems.push({
      code: 'totals_mismatch',
      message: {
        zh: '借贷合计不平衡，或与凭证合计不符',
        en: 'Debits and credits do not balance, or differ from the vouchers',
      },
    });
  }
  const checkCategory = (items: { code: string; name: string; amount: number }[], sign: 1 | -1) => {
    for (const item of items) {
      const op = operating.get(item.code) ?? { debit: 0, credit: 0 };
      const amount = sign === 1 ? op.credit - op.debit : op.debit - op.credit;
      if (amount === item.amount) continue;
      ok = false;
      problems.push({
        code: 'category_mismatch',
        account: item.code,
        message: {
          zh: `${item.name} 的公开金额与凭证合计不符`,
          en: `${item.name}: the amount disclosed differs from the vouchers' sum`,
        },
      });
    }
  };
  checkCategory(content.income.items, 1);
  checkCategory(content.expenditure.items, -1);
  return ok;
}
