import type { PublicBook } from '@minqing/contract';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLanguage, useT } from '../shared/i18n.ts';
import { Chart } from './Chart.tsx';
import { formatDateTime, periodLabel, shortYuan, useApi, yuan } from './data.ts';
import { useBooksPublished } from './live.ts';
import { Problem, Waiting } from './parts.tsx';
import { navigate } from './router.ts';
import { Registers } from './Registers.tsx';
import { Assets } from './Assets.tsx';

/**
 * How often the page asks whether a new period has been published while the live stream is not open
 * (a cheap read; decisions 0702, 0705).
 */
const REFRESH_MS = 30_000;

const COLORS = ['#b45309', '#0f766e', '#1d4ed8', '#7c3aed', '#be123c', '#4d7c0f', '#0e7490', '#a16207'];

/** A village's books as disclosed: balances, income and expenditure by month and category, each disclosure. */
export function BookPage({ bookId }: { bookId: string }) {
  const t = useT();
  const [language] = useLanguage();
  const book = useApi<PublicBook>(`/api/public/books/${bookId}`);
  const [news, setNews] = useState<string | null>(null);
  const known = useRef<string | null>(null);

  // Live: when a new disclosure is sealed, the figures refresh and a notice says so.
  useEffect(() => {
    if (!book.data) return;
    const latest = book.data.disclosures[0]?.id ?? '';
    if (known.current !== null && known.current !== latest && book.data.disclosures[0]) {
      setNews(book.data.disclosures[0].label);
    }
    known.current = latest;
  }, [book.data]);
  // Pushed: the seal of this village's disclosure arrives on the live stream (decision 0705).
  const isLive = useBooksPublished((event) => {
    if (event.bookId === bookId) book.reload();
  });
  useEffect(() => {
    const timer = setInterval(() => {
      if (!isLive && document.visibilityState === 'visible') book.reload();
    }, REFRESH_MS);
    const onVisible = () => document.visibilityState === 'visible' && book.reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [book.reload, isLive]);

  const months = useMemo(() => book.data?.months.slice(-24) ?? [], [book.data]);
  const monthOption = useMemo(
    () => ({
      color: ['#0f766e', '#b45309'],
      tooltip: {
        trigger: 'axis',
        valueFormatter: (value: number) => yuan(Math.round(value * 100)),
      },
      legend: { top: 0, itemWidth: 12, itemHeight: 8 },
      grid: { left: 8, right: 8, top: 28, bottom: 4, containLabel: true },
      xAxis: {
        type: 'category',
        data: months.map((m) => (language === 'zh' ? `${Number(m.period.slice(5))}月` : m.period.slice(2))),
        axisLabel: { fontSize: 10 },
      },
      yAxis: {
        type: 'value',
        axisLabel: { fontSize: 10, formatter: (value: number) => shortYuan(value * 100, language) },
      },
      series: [
        { name: t('收入', 'Income'), type: 'bar', data: months.map((m) => m.income / 100) },
        { name: t('支出', 'Spending'), type: 'bar', data: months.map((m) => m.expenditure / 100) },
      ],
    }),
    [months, language, t],
  );
  const pieOption = (items: PublicBook['incomeByAccount']) => ({
    color: COLORS,
    tooltip: { trigger: 'item', valueFormatter: (value: number) => yuan(Math.round(value * 100)) },
    legend: { bottom: 0, type: 'scroll', itemWidth: 10, itemHeight: 8, textStyle: { fontSize: 11 } },
    series: [
      {
        type: 'pie',
        radius: ['38%', '62%'],
        center: ['50%', '42%'],
        label: { show: false },
        data: items
          .filter((item) => item.amount > 0)
          .map((item) => ({ name: item.name, value: item.amount / 100 })),
      },
    ],
  });
  const incomePie = useMemo(() => pieOption(book.data?.incomeByAccount ?? []), [book.data]);
  const spendingPie = useMemo(() => pieOption(book.data?.expenditureByAccount ?? []), [book.data]);
  const yearOption = useMemo(() => {
    const years = book.data?.years ?? [];
    return {
      color: ['#0f766e', '#b45309'],
      tooltip: { trigger: 'axis', valueFormatter: (value: number) => yuan(Math.round(value * 100)) },
      legend: { top: 0, itemWidth: 12, itemHeight: 8 },
      grid: { left: 8, right: 8, top: 28, bottom: 4, containLabel: true },
      xAxis: { type: 'category', data: years.map((y) => String(y.year)) },
      yAxis: {
        type: 'value',
        axisLabel: { fontSize: 10, formatter: (value: number) => shortYuan(value * 100, language) },
      },
      series: [
        { name: t('收入', 'Income'), type: 'line', data: years.map((y) => y.income / 100), smooth: true },
        {
          name: t('支出', 'Spending'),
          type: 'line',
          data: years.map((y) => y.expenditure / 100),
          smooth: true,
        },
      ],
    };
  }, [book.data, language, t]);

  if (book.error && !book.data) return <Problem error={book.error} retry={book.reload} />;
  if (!book.data) return <Waiting />;
  const data = book.data;
  const lastYear = data.asOf?.slice(0, 4);

  return (
    <section>
      {news && (
        <div className="bk-news" role="status">
          {t(
            `新一期公开已发布：${periodLabel(news, 'zh')}`,
            `A new disclosure is out: ${periodLabel(news, 'en')}`,
          )}
          <button type="button" className="bk-link-button" onClick={() => setNews(null)}>
            {t('知道了', 'OK')}
          </button>
        </div>
      )}
      <h1 className="bk-h1">{data.unitName}</h1>
      <p className="bk-muted">
        {data.streetName} · {data.name}
      </p>
      {data.asOf === null ? (
        <div className="bk-empty">
          {t('本村还没有封存公开的账目。', 'This village has not sealed a disclosure yet.')}
        </div>
      ) : (
        <>
          <p className="bk-asof">
            {t(
              `以下数字截至 ${periodLabel(data.asOf, 'zh')}末，均为已封存公开的数据`,
              `Figures as of the end of ${periodLabel(data.asOf, 'en')}, all from sealed disclosures`,
            )}
          </p>
          {data.balances && (
            <div className="bk-cards">
              <Figure label={t('货币资金', 'Cash and bank')} value={data.balances.funds} strong />
              <Figure label={t('资产总额', 'Total assets')} value={data.balances.totalAssets} />
              <Figure label={t('负债', 'Liabilities')} value={data.balances.totalLiabilities} />
              <Figure label={t('净资产', 'Net assets')} value={data.balances.totalEquity} />
              <Figure label={t('应收款项（债权）', 'Claims')} value={data.balances.claims} />
              <Figure label={t('应付款项（债务）', 'Debts')} value={data.balances.debts} />
            </div>
          )}

          <h2 className="bk-h2">{t('每月收支', 'Income and spending by month')}</h2>
          <div className="bk-panel">
            <Chart
              option={monthOption}
              height={220}
              label={t('每月收入和支出柱状图', 'Bar chart of income and spending by month')}
            />
          </div>

          <h2 className="bk-h2">{t(`${lastYear}年收支构成`, `${lastYear}: where it came from and went`)}</h2>
          <div className="bk-two">
            <div className="bk-panel">
              <div className="bk-panel-title">{t('收入', 'Income')}</div>
              {data.incomeByAccount.length ? (
                <Chart
                  option={incomePie}
                  height={220}
                  label={t('收入构成饼图', 'Pie chart of income by category')}
                />
              ) : (
                <div className="bk-empty">{t('本年暂无收入', 'No income this year')}</div>
              )}
              <AmountList items={data.incomeByAccount} />
            </div>
            <div className="bk-panel">
              <div className="bk-panel-title">{t('支出', 'Spending')}</div>
              {data.expenditureByAccount.length ? (
                <Chart
                  option={spendingPie}
                  height={220}
                  label={t('支出构成饼图', 'Pie chart of spending by category')}
                />
              ) : (
                <div className="bk-empty">{t('本年暂无支出', 'No spending this year')}</div>
              )}
              <AmountList items={data.expenditureByAccount} />
            </div>
          </div>

          {data.years.length > 1 && (
            <>
              <h2 className="bk-h2">{t('历年走势', 'Over the years')}</h2>
              <div className="bk-panel">
                <Chart
                  option={yearOption}
                  height={200}
                  label={t('历年收入支出折线图', 'Line chart of income and spending by year')}
                />
              </div>
            </>
          )}

          <h2 className="bk-h2">{t('三资', 'Funds, assets and resources')}</h2>
          <div className="bk-cards bk-cards-4">
            <Count label={t('固定资产', 'Fixed assets')} value={data.counts.assets} unit={t('项', '')} />
            <Count label={t('资源', 'Resources')} value={data.counts.resources} unit={t('处', '')} />
            <Count label={t('合同', 'Contracts')} value={data.counts.contracts} unit={t('份', '')} />
            <Count
              label={t('逾期租金', 'Overdue rent')}
              value={data.counts.overdueInstalments}
              unit={t('笔', '')}
              warn
            />
          </div>
          <Assets bookId={data.id} unitId={data.unitId} />
          <Registers bookId={data.id} />
        </>
      )}

      <h2 className="bk-h2">{t('历次公开', 'Disclosures')}</h2>
      {data.disclosures.length === 0 && <div className="bk-empty">{t('暂无', 'None yet')}</div>}
      <ul className="bk-list">
        {data.disclosures.map((disclosure) => (
          <li key={disclosure.id}>
            <a
              className="bk-card bk-link bk-disclosure"
              href={`/books/${data.id}/${disclosure.id}`}
              onClick={(event) => {
                event.preventDefault();
                navigate(`/books/${data.id}/${disclosure.id}`);
              }}
            >
              <div className="bk-row">
                <span className="bk-card-title">{periodLabel(disclosure.label, language)}</span>
                <span className="bk-tag">
                  {disclosure.kind === 'quarter' ? t('季度', 'Quarter') : t('月度', 'Month')}
                </span>
              </div>
              <div className="bk-row bk-small">
                <span>
                  {t('收入', 'Income')} <b className="bk-in">{yuan(disclosure.summary.income)}</b>
                </span>
                <span>
                  {t('支出', 'Spending')} <b className="bk-out">{yuan(disclosure.summary.expenditure)}</b>
                </span>
              </div>
              <div className="bk-muted bk-small">
                {t(
                  `${disclosure.summary.voucherCount} 张凭证`,
                  `${disclosure.summary.voucherCount} vouchers`,
                )}{' '}
                · {t('封存于', 'sealed')} {formatDateTime(disclosure.sealedAt, language)}
                {disclosure.questionCount > 0 &&
                  ` · ${t(`${disclosure.questionCount} 条意见`, `${disclosure.questionCount} questions`)}`}
              </div>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Figure({ label, value, strong }: { label: string; value: number; strong?: boolean }) {
  return (
    <div className={`bk-figure${strong ? ' bk-figure-strong' : ''}`}>
      <div className="bk-figure-label">{label}</div>
      <div className="bk-figure-value">{yuan(value)}</div>
    </div>
  );
}

function Count({ label, value, unit, warn }: { label: string; value: number; unit: string; warn?: boolean }) {
  return (
    <div className={`bk-figure${warn && value > 0 ? ' bk-figure-warn' : ''}`}>
      <div className="bk-figure-label">{label}</div>
      <div className="bk-figure-value">
        {value}
        <small>{unit}</small>
      </div>
    </div>
  );
}

export function AmountList({ items }: { items: { code: string; name: string; amount: number }[] }) {
  if (items.length === 0) return null;
  return (
    <table className="bk-table">
      <tbody>
        {items.map((item) => (
          <tr key={item.code}>
            <td>{item.name}</td>
            <td className="bk-num">{yuan(item.amount)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
