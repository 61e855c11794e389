import {
  COUNT_LABELS,
  RATE_LABELS,
  type CountName,
  type FigureRow,
  type Figures,
  type FiguresQuery,
  type RateName,
} from '@minqing/contract';
import type ExcelJS from 'exceljs';
import { newWorkbook } from '../../workbook.ts';
import type { App } from '../../app.ts';
import type { Language } from '../../errors.ts';
import type { Actor } from '../../policy/index.ts';
import { computeFigures } from '../figures/compute-figures.ts';
import { parseWeights } from '../figures/formulas.ts';
import { mayRankHandlers, rankHandlers } from '../figures/rank-handlers.ts';
import { unitPathOf } from '../figures/repository.ts';

const PERCENT_RATES: readonly RateName[] = (Object.keys(RATE_LABELS) as RateName[]).filter(
  (name) => name !== 'meanHandlingHours',
);

const GROUP_NAMES: Record<Figures['groupBy'], { zh: string; en: string }> = {
  none: { zh: '合计', en: 'Total' },
  street: { zh: '街道/乡镇', en: 'Street' },
  community: { zh: '社区/村', en: 'Community' },
  grid: { zh: '网格', en: 'Grid' },
  category: { zh: '小类', en: 'Category' },
  major: { zh: '大类', en: 'Major class' },
  org: { zh: '处置单位', en: 'Organisation' },
};

/**
 * The figures of GET /api/figures as an Excel workbook (.xlsx): one sheet with the rows and their
 * score, one with the comparison period (同比/环比) when asked, and one stating the period, the
 * weights and when it was computed — the figures of a recent period rise as its cases close, so a
 * printed table must say when it was made.
 */
export async function exportFigures(
  app: App,
  query: FiguresQuery,
  language: Language,
  actor?: Actor,
): Promise<{ fileName: string; body: Buffer }> {
  const figures = await computeFigures(app.db, query, parseWeights(app.config.kpiWeights));
  const t = (text: { zh: string; en: string }) => (language === 'zh' ? text.zh : text.en);
  const workbook = await newWorkbook();
  workbook.creator = 'minqing';
  workbook.created = new Date(figures.generatedAt);

  addFigureSheet(workbook, t({ zh: '指标', en: 'Figures' }), figures, figures.rows, figures.total, t);
  if (figures.comparison) {
    const kind =
      figures.comparison.kind === 'year'
        ? { zh: '同比', en: 'Year on year' }
        : { zh: '环比', en: 'Previous period' };
    addFigureSheet(
      workbook,
      `${t(kind)} ${figures.comparison.period.from}~${figures.comparison.period.to}`.slice(0, 31),
      figures,
      figures.comparison.rows,
      figures.comparison.total,
      t,
    );
  }
  // 处置人员排名: named people, so only for those who may see them (the admins and auditors over the unit).
  const unitPath = query.unitId ? await unitPathOf(app.db, query.unitId) : null;
  if (actor && query.unitId && unitPath && mayRankHandlers(actor, unitPath)) {
    const ranking = await rankHandlers(app.db, actor, {
      unitId: query.unitId,
      from: figures.period.from,
      to: figures.period.to,
      category: query.category,
    });
    const sheet = workbook.addWorksheet(t({ zh: '处置人员', en: 'Handlers' }));
    sheet.columns = [
      { header: t({ zh: '处置人员', en: 'Handler' }), key: 'name', width: 16 },
      { header: t({ zh: '处置单位', en: 'Organisations' }), key: 'orgs', width: 24 },
      { header: t({ zh: '处置数', en: 'Handled' }), key: 'handled', width: 10 },
      { header: t({ zh: '按期结案率', en: 'On time' }), key: 'onTime', width: 12, style: { numFmt: '0.0%' } },
      { header: t({ zh: '返工率', en: 'Rework rate' }), key: 'rework', width: 12, style: { numFmt: '0.0%' } },
      {
        header: t({ zh: '满意率', en: 'Satisfaction' }),
        key: 'satisfaction',
        width: 12,
        style: { numFmt: '0.0%' },
      },
      { header: t({ zh: '已结案', en: 'Closed' }), key: 'closed', width: 10 },
      { header: t({ zh: '回访数', en: 'Rated' }), key: 'followUps', width: 10 },
    ];
    sheet.getRow(1).font = { bold: true };
    for (const row of ranking.rows) {
      sheet.addRow({
        name: row.name,
        orgs: row.organisations.join('、'),
        handled: row.handled,
        onTime: row.onTimeRate,
        rework: row.reworkRate,
        satisfaction: row.satisfactionRate,
        closed: row.closed,
        followUps: row.followUps,
      });
    }
  }
  const about = workbook.addWorksheet(t({ zh: '说明', en: 'About' }));
  about.columns = [{ width: 28 }, { width: 60 }];
  about.addRow([t({ zh: '统计周期', en: 'Period' }), `${figures.period.from} ~ ${figures.period.to}`]);
  about.addRow([t({ zh: '分组', en: 'Grouped by' }), t(GROUP_NAMES[figures.groupBy])]);
  about.addRow([t({ zh: '生成时间', en: 'Computed at' }), figures.generatedAt]);
  about.addRow([
    t({ zh: '统计口径', en: 'Method' }),
    t({
      zh: '按上报时间统计的案卷队列（见 docs/kpis.md）',
      en: 'The cohort of cases reported in the period (docs/kpis.md)',
    }),
  ]);
  for (const [name, weight] of Object.entries(figures.weights)) {
    about.addRow([
      `${t({ zh: '权重', en: 'Weight' })} ${t(RATE_LABELS[name as RateName] ?? { zh: name, en: name })}`,
      weight,
    ]);
  }
  const body = Buffer.from(await workbook.xlsx.writeBuffer());
  const fileName = `figures-${figures.period.from}-${figures.period.to}-${figures.groupBy}.xlsx`;
  return { fileName, body };
}

function addFigureSheet(
  workbook: ExcelJS.Workbook,
  title: string,
  figures: Figures,
  rows: FigureRow[],
  total: FigureRow,
  t: (text: { zh: string; en: string }) => string,
): void {
  const sheet = workbook.addWorksheet(title.replace(/[\\/?*[\]:]/g, '-'));
  const counts = Object.keys(COUNT_LABELS) as CountName[];
  const rates = Object.keys(RATE_LABELS) as RateName[];
  sheet.columns = [
    { header: t(GROUP_NAMES[figures.groupBy]), key: 'name', width: 24 },
    { header: t({ zh: '综合得分', en: 'Score' }), key: 'score', width: 10, style: { numFmt: '0.0' } },
    ...rates.map((rate) => ({
      header: t(RATE_LABELS[rate]),
      key: rate,
      width: 14,
      style: { numFmt: PERCENT_RATES.includes(rate) ? '0.0%' : '0.0' },
    })),
    ...counts.map((count) => ({ header: t(COUNT_LABELS[count]), key: count, width: 11 })),
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.views = [{ state: 'frozen', xSplit: 1, ySplit: 1 }];
  const line = (row: FigureRow) => ({
    name: t(row.name),
    score: row.score,
    ...Object.fromEntries(rates.map((rate) => [rate, row.rates[rate]])),
    ...Object.fromEntries(counts.map((count) => [count, row.counts[count]])),
  });
  for (const row of rows) sheet.addRow(line(row));
  const totalRow = sheet.addRow(line(total));
  totalRow.font = { bold: true };
}
