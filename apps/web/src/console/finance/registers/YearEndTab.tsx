import { formatFen, type Book, type YearEnd } from '@minqing/contract';
import { Alert, Button, InputNumber, Space, Steps, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { useRequest } from '../../shell/use-request.ts';

const yuan = (fen: number) => `¥${formatFen(fen)}`;

/**
 * 年终结账: the year's income and expenses carried into 本年收益 and 收益分配 by a closing voucher
 * (approved, reviewed and posted like any other), then every month of the year closed.
 */
export default function YearEndTab({ book }: { book: Book }) {
  const t = useT();
  const [year, setYear] = useState(() => {
    const now = new Date().getFullYear();
    return Math.max(Number(book.startMonth.slice(0, 4)), now - 1);
  });
  const status = useRequest(
    () => api.get<YearEnd>(`/api/finance/books/${book.id}/year-end?year=${year}`),
    `year-end:${book.id}:${year}`,
  );
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const act = async (path: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await api.post(`/api/finance/books/${book.id}/year-end/${path}`, { year });
      await status.reload();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      else throw e;
    } finally {
      setBusy(false);
    }
  };
  const s = status.data;
  const step = !s
    ? 0
    : s.state === 'open'
      ? 0
      : s.state === 'voucher_pending'
        ? 1
        : s.state === 'ready'
          ? 2
          : 3;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <label htmlFor="year-end-year">{t('年度', 'Year')}</label>
        <InputNumber
          id="year-end-year"
          min={2000}
          max={2100}
          value={year}
          onChange={(v) => v && setYear(v)}
        />
      </Space>
      {status.error && <Alert type="error" message={status.error.text()} />}
      {error && <Alert type="error" message={error.text()} />}
      {s && (
        <>
          <Steps
            size="small"
            current={step}
            items={[
              { title: t('结转损益', 'Carry forward') },
              { title: t('审批入账', 'Approve and post') },
              { title: t('结账', 'Close the year') },
              { title: t('已结账', 'Closed') },
            ]}
          />
          <Typography.Paragraph>
            {t(
              `${year} 年收入 ${yuan(s.income)}，费用 ${yuan(s.expense)}，本年收益 ${yuan(s.netIncome)}。`,
              `${year}: income ${yuan(s.income)}, expenses ${yuan(s.expense)}, net ${yuan(s.netIncome)}.`,
            )}
            {s.pendingCount > 0 &&
              t(
                ` 还有 ${s.pendingCount} 张凭证未入账，请先入账或作废。`,
                ` ${s.pendingCount} vouchers are not posted yet; post or discard them first.`,
              )}
            {s.state === 'voucher_pending' &&
              t(
                ' 结账凭证已生成，请在“凭证”中提交审批、审核并入账。',
                ' The closing voucher is drafted: take it through approval and posting under Vouchers.',
              )}
            {s.state === 'closed' &&
              t(' 本年度已结账，不能再录入该年度的凭证。', ' The year is closed; no voucher is dated in it.')}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey={(l) => `${l.accountCode}-${l.debit}-${l.credit}`}
            pagination={false}
            dataSource={s.lines}
            locale={{
              emptyText: t('本年度收入、费用科目没有余额', 'No income or expense account has a balance'),
            }}
            columns={[
              { title: t('科目', 'Account'), render: (_, l) => `${l.accountCode} ${l.name}` },
              { title: t('借方', 'Debit'), align: 'right', render: (_, l) => (l.debit ? yuan(l.debit) : '') },
              {
                title: t('贷方', 'Credit'),
                align: 'right',
                render: (_, l) => (l.credit ? yuan(l.credit) : ''),
              },
            ]}
          />
          <Space>
            {s.allowedActions.includes('draft-closing') && (
              <Button type="primary" loading={busy} onClick={() => void act('closing-voucher')}>
                {t('生成结账凭证', 'Draft the closing voucher')}
              </Button>
            )}
            {s.allowedActions.includes('close-year') && (
              <Button type="primary" danger loading={busy} onClick={() => void act('close')}>
                {t(`${year} 年结账`, `Close ${year}`)}
              </Button>
            )}
          </Space>
        </>
      )}
    </Space>
  );
}
