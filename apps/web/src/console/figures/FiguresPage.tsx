import {
  LOWER_IS_BETTER,
  RATE_LABELS,
  type FigureRow,
  type Figures,
  type RateName,
  type UnitDetail,
} from '@minqing/contract';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Cascader,
  Col,
  DatePicker,
  Empty,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { api, query } from '../../shared/api.ts';
import { getLanguage, pick, useLanguage, useT } from '../../shared/i18n.ts';
import { loadCategories } from '../common/data.ts';
import { formatPercent, formatTime } from '../shell/format.ts';
import { setSearch, useLocation } from '../shell/router.ts';
import { roleUnits, useSession } from '../shell/session.tsx';
import { useRequest } from '../shell/use-request.ts';
import { Chart } from './Chart.tsx';
import { HandlerRankingsCard } from './HandlerRankings.tsx';

const HEADLINE: RateName[] = [
  'onTimeClosureRate',
  'closureRate',
  'satisfactionRate',
  'responseRate',
  'reworkRate',
  'meanHandlingHours',
];
/** What the rows of a unit are, one level down: street → communities → grids. */
const CHILD_GROUP: Record<string, 'community' | 'grid' | 'none'> = {
  street: 'community',
  community: 'grid',
  grid: 'none',
};

function rateText(rate: RateName, value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return rate === 'meanHandlingHours' ? value.toFixed(1) : formatPercent(value);
}

/**
 * The performance figures (docs/kpis.md) of a unit over a period: the headline rates with 同比/环比,
 * a chart and a ranking of the units one level down (or of categories, organisations), drill-down by
 * clicking a row, and the same table as an Excel workbook.
 */
export default function FiguresPage() {
  const { me } = useSession();
  const t = useT();
  const [language] = useLanguage();
  const { search } = useLocation();
  const units = roleUnits(me).filter((u) => ['street', 'community', 'grid'].includes(u.kind));
  const unitId = search.get('unitId') ?? units[0]?.id;
  const unit = useRequest(
    unitId ? () => api.get<UnitDetail>(`/api/units/${unitId}`) : null,
    `unit:${unitId}`,
  );
  const groupBy = search.get('groupBy') ?? (unit.data ? (CHILD_GROUP[unit.data.kind] ?? 'none') : 'none');
  const compare = search.get('compare') ?? 'previous';
  const to = search.get('to') ?? dayjs().format('YYYY-MM-DD');
  const from = search.get('from') ?? dayjs(to).subtract(29, 'day').format('YYYY-MM-DD');
  const category = search.get('category') ?? undefined;
  const rate = (search.get('rate') as RateName | null) ?? 'onTimeClosureRate';
  const params = { unitId, from, to, groupBy, compare, category };
  const figures = useRequest(
    unit.data ? () => api.get<Figures>(`/api/figures${query(params)}`) : null,
    JSON.stringify(params) + (unit.data?.id ?? ''),
  );
  const categories = useRequest(loadCategories, 'categories');

  const update = (change: Record<string, string | undefined>) =>
    setSearch({
      unitId,
      from,
      to,
      groupBy: search.get('groupBy') ?? undefined,
      compare,
      category,
      rate,
      ...change,
    });

  const previous = useMemo(
    () => new Map((figures.data?.comparison?.rows ?? []).map((row) => [row.key, row])),
    [figures.data],
  );
  const rows = useMemo(
    () => [...(figures.data?.rows ?? [])].sort((a, b) => (b.score ?? -1) - (a.score ?? -1)),
    [figures.data],
  );
  const drillable = groupBy === 'community' || groupBy === 'grid' || groupBy === 'street';

  const delta = (name: RateName | 'score', now: number | null, before: number | null | undefined) => {
    if (now === null || before === null || before === undefined) return null;
    const diff = now - before;
    const better = name !== 'score' && LOWER_IS_BETTER.includes(name) ? diff < 0 : diff > 0;
    const sign = diff > 0 ? '+' : '';
    const text =
      name === 'meanHandlingHours' || name === 'score'
        ? `${sign}${diff.toFixed(1)}`
        : `${sign}${(diff * 100).toFixed(1)}pt`;
    return (
      <Typography.Text
        type={diff === 0 ? 'secondary' : better ? 'success' : 'danger'}
        style={{ fontSize: 12 }}
      >
        {compare === 'year' ? t('同比 ', 'YoY ') : t('环比 ', 'vs prev. ')}
        {text}
      </Typography.Text>
    );
  };

  const chartOption = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 64 },
      xAxis: {
        type: 'category',
        data: rows.map((row) => pick(row.name, language)),
        axisLabel: { rotate: rows.length > 4 ? 30 : 0, interval: 0 },
      },
      yAxis: { type: 'value', max: rate === 'meanHandlingHours' ? undefined : 100 },
      series: [
        {
          name: pick(RATE_LABELS[rate], language),
          type: 'bar',
          itemStyle: { color: '#1d4ed8' },
          data: rows.map((row) =>
            row.rates[rate] === null
              ? null
              : rate === 'meanHandlingHours'
                ? row.rates[rate]
                : Math.round(row.rates[rate]! * 1000) / 10,
          ),
        },
        ...(figures.data?.comparison
          ? [
              {
                name:
                  compare === 'year'
                    ? t('去年同期', 'Same period last year')
                    : t('上一周期', 'Previous period'),
                type: 'bar',
                itemStyle: { color: '#94a3b8' },
                data: rows.map((row) => {
                  const value = previous.get(row.key)?.rates[rate];
                  return value === null || value === undefined
                    ? null
                    : rate === 'meanHandlingHours'
                      ? value
                      : Math.round(value * 1000) / 10;
                }),
              },
            ]
          : []),
      ],
    }),
    [rows, rate, language, figures.data, previous, compare, t],
  );

  const exportHref = `/api/console/figures/export${query({ ...params, compare: compare === 'none' ? undefined : compare })}`;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
          {t('绩效指标', 'Performance figures')}
        </Typography.Title>
        <Button type="primary" href={exportHref} download>
          {t('导出 Excel', 'Export to Excel')}
        </Button>
      </Space>
      <Card size="small">
        <Space wrap>
          <Breadcrumb
            items={[
              ...(unit.data?.ancestors ?? [])
                .filter((a) => ['street', 'community'].includes(a.kind))
                .map((a) => ({
                  title: <a onClick={() => update({ unitId: a.id, groupBy: undefined })}>{a.name}</a>,
                })),
              { title: unit.data?.name ?? '…' },
            ]}
          />
          {units.length > 1 && (
            <Select
              aria-label={t('统计单位', 'Unit')}
              value={unitId}
              onChange={(value: string) => update({ unitId: value, groupBy: undefined })}
              options={units.map((u) => ({ value: u.id, label: u.name }))}
              style={{ width: 160 }}
            />
          )}
          <DatePicker.RangePicker
            aria-label={t('统计周期', 'Period')}
            allowClear={false}
            value={[dayjs(from), dayjs(to)]}
            onChange={(range) =>
              range?.[0] &&
              range[1] &&
              update({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') })
            }
          />
          <Segmented
            aria-label={t('对比', 'Compare')}
            value={compare}
            onChange={(value) => update({ compare: String(value) })}
            options={[
              { value: 'previous', label: t('环比', 'Previous period') },
              { value: 'year', label: t('同比', 'Year on year') },
              { value: 'none', label: t('不对比', 'None') },
            ]}
          />
          <Select
            aria-label={t('分组', 'Group by')}
            value={groupBy}
            onChange={(value: string) => update({ groupBy: value })}
            style={{ width: 150 }}
            options={[
              { value: 'community', label: t('按社区/村', 'By community') },
              { value: 'grid', label: t('按网格', 'By grid') },
              { value: 'org', label: t('按处置单位', 'By organisation') },
              { value: 'major', label: t('按大类', 'By major class') },
              { value: 'category', label: t('按小类', 'By category') },
              { value: 'none', label: t('不分组', 'No grouping') },
            ]}
          />
          <Cascader
            aria-label={t('分类', 'Category')}
            placeholder={t('全部分类', 'All categories')}
            changeOnSelect
            value={category ? (category.length === 4 ? [category.slice(0, 2), category] : [category]) : []}
            onChange={(value) => update({ category: (value?.at(-1) as string | undefined) ?? undefined })}
            options={(categories.data?.groups ?? []).map((group) => ({
              value: group.majorCode,
              label: pick(group.name, language),
              children: group.categories.map((c) => ({ value: c.code, label: pick(c.name, language) })),
            }))}
            style={{ width: 180 }}
          />
        </Space>
      </Card>
      {figures.error && <Alert type="error" showIcon title={figures.error.text()} />}
      {figures.data && (
        <>
          <Row gutter={[12, 12]}>
            <Col xs={12} md={6} xl={3}>
              <Card size="small">
                <Statistic
                  title={t('综合得分', 'Score')}
                  value={figures.data.total.score ?? '—'}
                  precision={1}
                />
                {figures.data.comparison &&
                  delta('score', figures.data.total.score, figures.data.comparison.total.score)}
              </Card>
            </Col>
            <Col xs={12} md={6} xl={3}>
              <Card size="small">
                <Statistic title={t('应结案数', 'Due')} value={figures.data.total.counts.due} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(
                    `超期未结 ${figures.data.total.counts.overdueOpen}`,
                    `${figures.data.total.counts.overdueOpen} overdue`,
                  )}
                </Typography.Text>
              </Card>
            </Col>
            {HEADLINE.map((name) => (
              <Col xs={12} md={6} xl={3} key={name}>
                <Card
                  size="small"
                  hoverable
                  onClick={() => update({ rate: name })}
                  style={{ borderColor: name === rate ? '#1d4ed8' : undefined }}
                >
                  <Statistic
                    title={pick(RATE_LABELS[name], language)}
                    value={rateText(name, figures.data!.total.rates[name])}
                  />
                  {figures.data!.comparison &&
                    delta(name, figures.data!.total.rates[name], figures.data!.comparison.total.rates[name])}
                </Card>
              </Col>
            ))}
          </Row>
          {rows.length > 0 ? (
            <Row gutter={[12, 12]}>
              <Col xs={24} xl={11}>
                <Card
                  size="small"
                  title={`${pick(RATE_LABELS[rate], language)}${rate === 'meanHandlingHours' ? '' : ' (%)'}`}
                >
                  <Chart
                    option={chartOption}
                    height={340}
                    label={t('指标柱状图', 'Bar chart of the figure')}
                  />
                </Card>
              </Col>
              <Col xs={24} xl={13}>
                <Card size="small" title={t('排名（按综合得分）', 'Ranking (by score)')}>
                  <Table<FigureRow>
                    size="small"
                    rowKey={(row) => row.key ?? 'none'}
                    dataSource={rows}
                    pagination={rows.length > 12 ? { pageSize: 12 } : false}
                    onRow={(row) => ({
                      style: { cursor: drillable && row.key ? 'pointer' : undefined },
                      onClick: () =>
                        drillable &&
                        row.key &&
                        groupBy !== 'grid' &&
                        update({ unitId: row.key, groupBy: undefined }),
                    })}
                    columns={[
                      { title: '#', width: 40, render: (_, __, index) => index + 1 },
                      { title: t('名称', 'Name'), render: (_, row) => pick(row.name, language) },
                      {
                        title: t('得分', 'Score'),
                        render: (_, row) => (row.score === null ? '—' : row.score.toFixed(1)),
                      },
                      ...(['onTimeClosureRate', 'satisfactionRate', 'reworkRate'] as RateName[]).map(
                        (name) => ({
                          title: pick(RATE_LABELS[name], language),
                          render: (_: unknown, row: FigureRow) => rateText(name, row.rates[name]),
                        }),
                      ),
                      { title: t('应结案', 'Due'), render: (_, row) => row.counts.due },
                      { title: t('超期', 'Overdue'), render: (_, row) => row.counts.overdueOpen },
                    ]}
                  />
                </Card>
              </Col>
            </Row>
          ) : (
            groupBy !== 'none' && (
              <Empty description={t('这一周期没有上报的事件。', 'No case was reported in this period.')} />
            )
          )}
          {unitId && <HandlerRankingsCard unitId={unitId} from={from} to={to} category={category} />}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t(
              `统计周期 ${figures.data.period.from} 至 ${figures.data.period.to}，按上报时间统计；计算于 ${formatTime(figures.data.generatedAt, getLanguage())}。近期周期的指标会随办结而上升。`,
              `Cases reported ${figures.data.period.from} to ${figures.data.period.to}; computed ${formatTime(figures.data.generatedAt, getLanguage())}. Recent periods rise as cases close.`,
            )}
          </Typography.Text>
        </>
      )}
    </Space>
  );
}
