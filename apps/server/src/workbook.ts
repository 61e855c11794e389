import type ExcelJS from 'exceljs';

/**
 * A new Excel workbook. exceljs (with its zip and stream libraries) is loaded on the first import or
 * export rather than at start: it took seconds and ~25 MB of a fresh server (docs/decisions/0007).
 */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import('exceljs');
  return new Excel.Workbook();
}
