import type { HandlerRanking, HandlerRankings as Rankings } from '@minqing/contract';
import { Card, Table, Typography } from 'antd';
import { api, query } from '../../shared/api.ts';
import { useT } from '../../shared/i18n.ts';
import { formatPercent } from '../shell/format.ts';
import { useRequest } from '../shell/use-request.ts';

const percent = (value: number | null) => (value === null ? '—' : formatPercent(value));
/** Sorts rates with the unknown ("—") last whichever way the column is sorted. */
const byRate =
  (key: 'onTimeRate' | 'reworkRate' | 'satisfactionRate') => (a: HandlerRanking, b: HandlerRanking) =>
    (a[key] ?? -1) - (b[key] ?? -1);

/**
 * 处置人员排名: beside the grids' ranking, the people who handled the unit's cases in the period.
 * Shown only to those the server lets see named people's figures (admins and auditors over the unit).
 */
export function HandlerRankingsCard({
  unitId,
  from,
  to,
  category,
}: {
  unitId: string;
  from: string;
  to: string;
  category?: string | undefined;
}) {
  const t = useT();
  const params = { unitId, from, to, category };
  const rankings = useRequest(
    () => api.get<Rankings>(`/api/console/figures/handlers${query(params)}`),
    `handlers:${JSON.stringify(params)}`,
  );
  // 403/404: this person may not see named figures here; the page simply has no such card.
  if (rankings.error && [403, 404].includes(rankings.error.status)) return null;
  return (
    <Card size="small" title={t('处置人员排名', 'Handler ranking')}>
      {rankings.error && <Typography.Text type="danger">{rankings.error.text()}</Typography.Text>}
      <Table<HandlerRanking>
        size="small"
        rowKey="userId"
        loading={rankings.loading}
        dataSource={rankings.data?.rows ?? []}
        pagination={(rankings.data?.rows.length ?? 0) > 12 ? { pageSize: 12 } : false}
        locale={{
          emptyText: t('这一周期没有人员处置过事件。', 'Nobody handled a case reported in this period.'),
        }}
        columns={[
          { title: '#', width: 40, render: (_, __, index) => index + 1 },
          { title: t('处置人员', 'Handler'), dataIndex: 'name' },
          {
            title: t('处置单位', 'Organisation'),
            render: (_, row) => row.organisations.join('、') || '—',
          },
          {
            title: t('处置数', 'Handled'),
            dataIndex: 'handled',
            sorter: (a, b) => a.handled - b.handled,
            defaultSortOrder: 'descend',
          },
          {
            title: t('按期结案率', 'On time'),
            render: (_, row) => percent(row.onTimeRate),
            sorter: byRate('onTimeRate'),
          },
          {
            title: t('返工率', 'Rework rate'),
            render: (_, row) => percent(row.reworkRate),
            sorter: byRate('reworkRate'),
          },
          {
            title: t('满意率', 'Satisfaction'),
            render: (_, row) => percent(row.satisfactionRate),
            sorter: byRate('satisfactionRate'),
          },
        ]}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t(
          '按记录处置结果的人员统计本周期上报的事件；按期 = 在处置时限内提交结果；返工 = 曾被退回重办；满意率按回访评价计算。',
          'Cases reported in the period, per person who recorded the handling; on time = result within the handling limit; rework = sent back at least once; satisfaction from the follow-up ratings.',
        )}
      </Typography.Text>
    </Card>
  );
}
