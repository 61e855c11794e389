import { newWorkbook } from '../../workbook.ts';
import type { App } from '../../app.ts';
import { errors } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { sides } from './ledger-math.ts';
import { loadReadableBook } from './load-book.ts';
import { balancesAt } from './reports.ts';
import { listAccounts } from './repository.ts';

/**
 * The balances of every leaf account as a sheet in the opening-balance layout (科目编码, 科目名称,
 * 借方余额, 贷方余额 in yuan; docs/decisions/0704): the closing balances of a month, to open the next
 * books with (a new set of books after a split, a merger or a change of system), or the opening
 * balances themselves. The opening-balance import reads the file back unchanged.
 */
export async function exportBalances(
  app: App,
  actor: Actor | null,
  bookId: string,
  period: string | undefined,
): Promise<{ fileName: string; body: Buffer }> {
  const book = await loadReadableBook(app.db, actor, bookId);
  if (period !== undefined && period < book.start_month) {
    throw errors.unprocessable(
      'date_before_books',
      {
        zh: `${period} 早于账套启用期间 ${book.start_month}`,
        en: `${period} is before the books start (${book.start_month})`,
      },
      { field: 'period' },
    );
  }
  const balances = await balancesAt(app.db, book, period ?? null);
  const accounts = await listAccounts(app.db, book.id);
  const names = new Map(accounts.map((account) => [account.code, account.name]));
  // Sub-accounts the standard chart lacks come after their parents (codes sort that way), so the
  // import can add them in order.
  const rows = [...balances.entries()]
    .filter(([, amount]) => amount !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1));

  const workbook = await newWorkbook();
  workbook.creator = 'minqing';
  const sheet = workbook.addWorksheet('期初余额');
  sheet.columns = [
    { header: '科目编码', key: 'code', width: 14 },
    { header: '科目名称', key: 'name', width: 28 },
    { header: '借方余额', key: 'debit', width: 18, style: { numFmt: '#,##0.00' } },
    { header: '贷方余额', key: 'credit', width: 18, style: { numFmt: '#,##0.00' } },
  ];
  sheet.getRow(1).font = { bold: true };
  let debitTotal = 0;
  let creditTotal = 0;
  for (const [code, amount] of rows) {
    const { debit, credit } = sides(amount);
    debitTotal += debit;
    creditTotal += credit;
    // The code as text (a leading zero or a long code stays as typed); amounts as yuan numbers.
    sheet.addRow({
      code,
      name: names.get(code) ?? code,
      debit: debit ? debit / 100 : null,
      credit: credit ? credit / 100 : null,
    });
  }
  // A note beside the table (not a row: the import reads every row of the first sheet).
  const as = period ? `${period} 月末余额` : '期初余额';
  sheet.getCell('F1').value =
    `${book.name} ${as}；借方合计 ${(debitTotal / 100).toFixed(2)} 元，贷方合计 ${(creditTotal / 100).toFixed(2)} 元`;
  sheet.getCell('F2').value =
    '本表可直接作为新账套的期初余额导入 / import this sheet as the opening balances of new books';
  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  return { fileName: `balances-${period ?? 'opening'}.xlsx`, body };
}
