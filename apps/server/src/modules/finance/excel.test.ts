import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { multipart } from '../../../test/multipart.ts';
import { buildVillageBooks, expenseVoucher, postVoucher, rentVoucher } from './finance-test-helpers.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

async function sheet(rows: unknown[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const worksheet = workbook.addWorksheet('期初余额');
  for (const row of rows) worksheet.addRow(row);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function upload(data: Buffer) {
  return multipart([
    {
      name: 'file',
      data,
      filename: 'opening.xlsx',
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
  ]);
}

const HEADER = ['科目编码', '科目名称', '借方余额', '贷方余额'];

describe('opening balances from Excel', () => {
  it('previews every row, names each refused row and column, and writes nothing until it is clean', async () => {
    const books = await buildVillageBooks(app, { opening: false });
    const { bookkeeper, bookId } = books;
    const url = `/api/finance/books/${bookId}/opening-balances/import`;
    const bad = await sheet([
      HEADER,
      ['101', '库存现金', 1234.5, null],
      ['10201', '农商银行基本户', '1,000,000.00', ''],
      ['301', '资本', null, 'abc'],
      ['199', '不存在', 10, null],
      ['211', '应付款', 1.005, null],
      ['101', '库存现金', 1, null],
    ]);
    const { body, headers } = upload(bad);
    const preview = await bookkeeper.client.request('POST', url, body, headers);
    expect(preview.status).toBe(200);
    expect(preview.body.isCommitted).toBe(false);
    expect(preview.body.rows.find((r: { accountCode: string }) => r.accountCode === '10201')).toMatchObject({
      debit: 100_000_000,
      createsAccount: true,
    });
    expect(preview.body.refused.map((r: { row: number; column: string }) => [r.row, r.column])).toEqual([
      [4, '贷方余额'],
      [5, '科目编码'],
      [6, '借方余额'],
      [7, '科目编码'],
    ]);
    expect(preview.body.refused[0].message.zh).toContain('第 4 行');
    const commit = await bookkeeper.client.request('POST', `${url}?commit=true`, body, headers);
    expect(commit.status).toBe(422);
    expect(commit.body.error.code).toBe('import_refused_rows');
    const accounts = await bookkeeper.client.get(`/api/finance/books/${bookId}/accounts`);
    expect(accounts.body.items.map((a: { code: string }) => a.code)).not.toContain('10201');
    expect((await bookkeeper.client.get(`/api/finance/books/${bookId}`)).body.openingBalances).toEqual([]);

    const wrongColumns = upload(
      await sheet([
        ['编码', '名称', '金额'],
        ['101', '库存现金', 1],
      ]),
    );
    const refusedSheet = await bookkeeper.client.request(
      'POST',
      url,
      wrongColumns.body,
      wrongColumns.headers,
    );
    expect(refusedSheet.status).toBe(422);
    expect(refusedSheet.body.error).toMatchObject({ code: 'import_columns' });
    expect(refusedSheet.body.error.messages.zh).toContain('借方余额');

    const notExcel = upload(Buffer.from('科目编码,借方余额\n101,1\n'));
    expect((await bookkeeper.client.request('POST', url, notExcel.body, notExcel.headers)).status).toBe(415);

    const good = upload(
      await sheet([
        HEADER,
        ['101', '库存现金', 1234.5, null],
        ['10201', '农商银行基本户', '1,000,000.00', ''],
        ['301', '资本', null, 1_001_234.5],
      ]),
    );
    const applied = await bookkeeper.client.request('POST', `${url}?commit=true`, good.body, good.headers);
    expect(applied.status).toBe(200);
    expect(applied.body).toMatchObject({ isCommitted: true, isBalanced: true, refused: [] });
    expect(applied.body.book.openingBalances).toEqual([
      { accountCode: '101', accountName: '库存现金', debit: 123450, credit: 0 },
      { accountCode: '10201', accountName: '农商银行基本户', debit: 100_000_000, credit: 0 },
      { accountCode: '301', accountName: '资本', debit: 0, credit: 100_123_450 },
    ]);
    expect((await bookkeeper.client.post(`/api/finance/books/${bookId}/start`, {})).status).toBe(200);
    // the reviewer may not import
    expect((await books.reviewer.client.request('POST', url, good.body, good.headers)).status).toBe(403);
  });
});

describe('reports to Excel', () => {
  it('exports the month’s reports with the same figures as the API', async () => {
    const books = await buildVillageBooks(app);
    await postVoucher(books, rentVoucher('2025-01-10', 5_000_00));
    await postVoucher(books, expenseVoucher('2025-01-20', 1_234_56));
    const reply = await app.inject({
      method: 'GET',
      url: `/api/finance/books/${books.bookId}/reports/export?period=2025-01`,
      headers: { cookie: books.reviewer.client.cookie! },
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(reply.rawPayload as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['科目余额表', '资产负债表', '收益及收益分配表']);
    const trial = (
      await books.reviewer.client.get(
        `/api/finance/books/${books.bookId}/reports/trial-balance?from=2025-01&to=2025-01`,
      )
    ).body;
    const tb = workbook.getWorksheet('科目余额表')!;
    const byCode = new Map<string, number[]>();
    tb.eachRow((row, n) => {
      if (n <= 3) return;
      const values = (row.values as unknown[]).slice(1);
      byCode.set(
        typeof values[0] === 'string' ? values[0] : '',
        values.slice(2).map((v) => Math.round(Number(v) * 100)),
      );
    });
    for (const row of trial.rows) {
      expect(byCode.get(row.code)).toEqual([
        row.openingDebit,
        row.openingCredit,
        row.debit,
        row.credit,
        row.closingDebit,
        row.closingCredit,
      ]);
    }
    expect(byCode.get('')).toEqual([
      trial.totals.openingDebit,
      trial.totals.openingCredit,
      trial.totals.debit,
      trial.totals.credit,
      trial.totals.closingDebit,
      trial.totals.closingCredit,
    ]);
    const income = workbook.getWorksheet('收益及收益分配表')!;
    const net = income.getRows(1, income.rowCount)!.find((row) => row.getCell(1).value === '四、净收益')!;
    expect(Math.round(Number(net.getCell(2).value) * 100)).toBe(500000 - 123456);
    // the public cannot export
    const anonymous = await app.inject({
      method: 'GET',
      url: `/api/finance/books/${books.bookId}/reports/export?period=2025-01`,
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
