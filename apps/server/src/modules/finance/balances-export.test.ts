import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp, type Client } from '../../../test/harness.ts';
import { multipart } from '../../../test/multipart.ts';
import {
  buildVillageBooks,
  line,
  postVoucher,
  rentVoucher,
  type VillageBooks,
} from './finance-test-helpers.ts';

let app: App;
beforeAll(async () => {
  app = await buildTestApp();
});
afterAll(async () => {
  await app.close();
});

async function download(client: Client, url: string) {
  const response = await app.inject({ method: 'GET', url, headers: { cookie: client.cookie! } });
  return {
    status: response.statusCode,
    bytes: response.rawPayload,
    headers: response.headers,
    json: () => response.json(),
  };
}

/** The rows of the first sheet as [code, name, debit, credit] (yuan numbers, null when empty). */
async function rowsOf(bytes: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0]!;
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push([1, 2, 3, 4].map((column) => row.getCell(column).value ?? null)));
  return rows;
}

/** Leaf balances (signed fen, debit positive) at the end of `period`, from the API's trial balance. */
async function leafBalances(books: VillageBooks, period: string) {
  const trial = await books.bookkeeper.client.get(
    `/api/finance/books/${books.bookId}/reports/trial-balance?from=${books.startMonth}&to=${period}`,
  );
  expect(trial.status, JSON.stringify(trial.body)).toBe(200);
  return Object.fromEntries(
    (trial.body.rows as { code: string; isLeaf: boolean; closingDebit: number; closingCredit: number }[])
      .filter((row) => row.isLeaf && row.closingDebit - row.closingCredit !== 0)
      .map((row) => [row.code, row.closingDebit - row.closingCredit]),
  );
}

describe('balances export in the opening-balance layout', () => {
  it('exports a month’s closing balances that open a new set of books with the same balances', async () => {
    const source = await buildVillageBooks(app);
    const added = await source.bookkeeper.client.post(`/api/finance/books/${source.bookId}/accounts`, {
      parentCode: '511',
      code: '51101',
      name: '村道保洁费',
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    await postVoucher(source, rentVoucher('2025-01-10', 8_000_37));
    await postVoucher(source, {
      date: '2025-01-15',
      summary: '支付村道保洁费',
      lines: [line('51101', 'debit', 1_234_56, '保洁费'), line('102', 'credit', 1_234_56, '银行付款')],
    });

    const exported = await download(
      source.bookkeeper.client,
      `/api/finance/books/${source.bookId}/balances/export?period=2025-01`,
    );
    expect(exported.status).toBe(200);
    expect(String(exported.headers['content-type'])).toContain('spreadsheetml');
    expect(String(exported.headers['content-disposition'])).toContain('balances-2025-01.xlsx');
    const rows = await rowsOf(exported.bytes);
    expect(rows[0]).toEqual(['科目编码', '科目名称', '借方余额', '贷方余额']);
    expect(rows).toContainEqual(['51101', '村道保洁费', 1234.56, null]);
    expect(rows).toContainEqual(['102', '银行存款', 1_006_765.81, null]);

    // A new set of books (another group's) takes the file as its opening balances, unchanged.
    const target = await buildVillageBooks(app, { opening: false });
    const { body, headers } = multipart([
      {
        name: 'file',
        data: exported.bytes,
        filename: 'balances.xlsx',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    ]);
    const imported = await target.bookkeeper.client.request(
      'POST',
      `/api/finance/books/${target.bookId}/opening-balances/import?commit=true`,
      body,
      headers,
    );
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body.refused).toEqual([]);
    expect(imported.body.isBalanced).toBe(true);
    const started = await target.bookkeeper.client.post(`/api/finance/books/${target.bookId}/start`, {});
    expect(started.status, JSON.stringify(started.body)).toBe(200);

    const expected = await leafBalances(source, '2025-01');
    expect(Object.keys(expected).length).toBeGreaterThan(4);
    expect(expected['51101']).toBe(1_234_56);
    expect(await leafBalances(target, target.startMonth)).toEqual(expected);

    // Exported again (the opening balances this time), the same rows come out.
    const again = await download(
      target.bookkeeper.client,
      `/api/finance/books/${target.bookId}/balances/export`,
    );
    expect(again.status).toBe(200);
    expect(await rowsOf(again.bytes)).toEqual(rows);
  });

  it('refuses a month before the books and a malformed month, and people outside the books', async () => {
    const books = await buildVillageBooks(app);
    const early = await download(
      books.bookkeeper.client,
      `/api/finance/books/${books.bookId}/balances/export?period=2024-12`,
    );
    expect(early.status).toBe(422);
    expect(early.json().error.messages.zh).toContain('早于');
    const malformed = await download(
      books.bookkeeper.client,
      `/api/finance/books/${books.bookId}/balances/export?period=2025-13`,
    );
    expect(malformed.status).toBe(400);
    const resident = await download(
      books.c.people.resident.client,
      `/api/finance/books/${books.bookId}/balances/export`,
    );
    expect(resident.status).toBe(404);
  });
});
