import type { VoucherInput } from '@minqing/contract';
import type { Db } from '../../db/database.ts';
import { errors } from '../../errors.ts';
import { checkVoucherLines, linesTotal, type StoredLine } from './ledger-math.ts';
import type { StoredAttachment } from './present.ts';
import { findAttachments, findPeriod, listAccounts, type BookRow } from './repository.ts';

export interface VoucherContent {
  period: string;
  lines: StoredLine[];
  total: number;
  attachments: StoredAttachment[];
}

/** Refuses a date outside the books or in a month that is closed or sealed. */
export async function checkOpenPeriod(db: Db, book: BookRow, date: string, field = 'date'): Promise<string> {
  const period = date.slice(0, 7);
  if (period < book.start_month) {
    throw errors.unprocessable(
      'date_before_books',
      {
        zh: `日期 ${date} 早于账套启用期间 ${book.start_month}`,
        en: `${date} is before the books start (${book.start_month})`,
      },
      { field, period, startMonth: book.start_month },
    );
  }
  const row = await findPeriod(db, book.id, period);
  if (row && row.state !== 'open') {
    throw errors.conflict(
      'period_closed',
      {
        zh:
          row.state === 'sealed'
            ? `${period} 已公开封存，不能再记账；更正请在以后的期间填制冲销凭证`
            : `${period} 已结账，不能再记账（可先反结账）`,
        en:
          row.state === 'sealed'
            ? `${period} is disclosed and sealed; correct it with a reversing voucher in a later period`
            : `${period} is closed; reopen it first`,
      },
      { field, period, periodState: row.state },
    );
  }
  return period;
}

/** Checks a voucher's date, lines and attachments; returns what the voucher row stores. */
export async function prepareVoucherContent(
  db: Db,
  book: BookRow,
  input: VoucherInput,
): Promise<VoucherContent> {
  const period = await checkOpenPeriod(db, book, input.date);
  const lines = checkVoucherLines(input.lines, await listAccounts(db, book.id));
  const ids = input.attachments.map((attachment) => attachment.attachmentId);
  const found = new Map(
    (await findAttachments(db, ids)).filter((row) => row.book_id === book.id).map((row) => [row.id, row]),
  );
  const attachments = input.attachments.map((ref, index) => {
    const row = found.get(ref.attachmentId);
    if (!row) {
      throw errors.unprocessable(
        'attachment_unknown',
        {
          zh: `第 ${index + 1} 个附件不存在或不属于本账套，请重新上传`,
          en: `attachment ${index + 1} does not exist in these books; upload it again`,
        },
        { field: `attachments.${index}.attachmentId` },
      );
    }
    return {
      id: row.id,
      kind: row.kind as 'image' | 'pdf',
      name: row.name,
      sha256: row.sha256,
      // a receipt photo is public unless said otherwise; a contract PDF only when marked
      isPublic: ref.isPublic ?? row.kind === 'image',
    };
  });
  return { period, lines, total: linesTotal(lines), attachments };
}
