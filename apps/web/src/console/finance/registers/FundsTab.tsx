import { formatFen, parseYuan, type Book, type Fund } from '@minqing/contract';
import { Alert, Button, DatePicker, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { FormDialog } from '../../common/FormDialog.tsx';
import { useRequest } from '../../shell/use-request.ts';

const yuan = (fen: number | null) => (fen === null ? '—' : `¥${formatFen(fen)}`);

interface FundForm {
  kind: 'cash' | 'bank';
  name: string;
  bankName?: string;
  accountNo?: string;
  accountCode: string;
}
interface StatementForm {
  statementBalance: string;
  statementDate: dayjs.Dayjs;
}

/**
 * 资金: the cash boxes and bank accounts, their balance in the books and — for reconciliation
 * (银行对账) — the bank statement's balance at a date beside it, with the difference.
 */
export default function FundsTab({ book }: { book: Book }) {
  const t = useT();
  const list = useRequest(
    () => api.get<{ items: Fund[]; ledgerTotal: number }>(`/api/finance/books/${book.id}/funds`),
    `funds:${book.id}`,
  );
  const [adding, setAdding] = useState(false);
  const [reconciling, setReconciling] = useState<Fund>();
  const canKeep = book.allowedActions.includes('keep');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {list.error && <Alert type="error" message={list.error.text()} />}
      <Space wrap>
        {canKeep && (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t('登记资金账户', 'Register a cash or bank account')}
          </Button>
        )}
        {list.data && (
          <Typography.Text>
            {t('账面货币资金合计（库存现金 + 银行存款）：', 'Cash and bank in the books: ')}
            <strong>{yuan(list.data.ledgerTotal)}</strong>
          </Typography.Text>
        )}
      </Space>
      <Table<Fund>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={false}
        locale={{
          emptyText: t(
            '还没有登记资金账户。把村里的现金和每个银行账户登记在这里，对应到 101/102 科目，就可以按月对账。',
            'No cash or bank accounts yet. Register each, tied to its 101/102 account, to reconcile them monthly.',
          ),
        }}
        columns={[
          {
            title: t('类型', 'Kind'),
            width: 70,
            render: (_, f) => (f.kind === 'cash' ? t('现金', 'Cash') : t('银行', 'Bank')),
          },
          { title: t('名称', 'Name'), dataIndex: 'name' },
          {
            title: t('开户行 / 账号', 'Bank / number'),
            render: (_, f) => (f.kind === 'bank' ? `${f.bankName ?? ''} ${f.accountNo ?? ''}` : '—'),
          },
          { title: t('科目', 'Account'), render: (_, f) => `${f.accountCode} ${f.accountName}` },
          {
            title: t('对账日期', 'Statement date'),
            width: 110,
            render: (_, f) => f.statementDate ?? t('未对账', 'Not reconciled'),
          },
          {
            title: t('账面余额', 'Books'),
            align: 'right',
            render: (_, f) => yuan(f.ledgerBalance),
          },
          {
            title: t('对账单余额', 'Statement'),
            align: 'right',
            render: (_, f) => yuan(f.statementBalance),
          },
          {
            title: t('差额', 'Difference'),
            align: 'right',
            render: (_, f) =>
              f.difference === null ? (
                '—'
              ) : f.difference === 0 ? (
                <Tag color="green">{t('相符', 'Agrees')}</Tag>
              ) : (
                <Tag color="red">{yuan(f.difference)}</Tag>
              ),
          },
          {
            title: t('操作', 'Actions'),
            width: 110,
            render: (_, f) =>
              f.allowedActions.includes('edit') ? (
                <Button size="small" onClick={() => setReconciling(f)}>
                  {t('录入对账单', 'Enter statement')}
                </Button>
              ) : null,
          },
        ]}
      />
      {adding && (
        <FormDialog<FundForm>
          title={t('登记资金账户', 'Register a cash or bank account')}
          okText={t('登记', 'Register')}
          initialValues={{ kind: 'bank', accountCode: '102' }}
          onClose={(changed) => {
            setAdding(false);
            if (changed) void list.reload();
          }}
          onSubmit={async (values) => {
            await api.post(`/api/finance/books/${book.id}/funds`, {
              ...values,
              bankName: values.kind === 'bank' ? values.bankName || null : null,
              accountNo: values.kind === 'bank' ? values.accountNo || null : null,
            });
          }}
        >
          <Form.Item name="kind" label={t('类型', 'Kind')} rules={[{ required: true }]}>
            <Select
              options={[
                { value: 'cash', label: t('库存现金', 'Cash') },
                { value: 'bank', label: t('银行存款', 'Bank account') },
              ]}
            />
          </Form.Item>
          <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, max: 40 }]}>
            <Input placeholder={t('如：农商银行基本户', 'e.g. the basic account')} />
          </Form.Item>
          <Form.Item name="bankName" label={t('开户银行', 'Bank')}>
            <Input />
          </Form.Item>
          <Form.Item
            name="accountNo"
            label={t('银行账号', 'Account number')}
            extra={t('只显示前四位和后四位', 'Only the first and last four digits are shown')}
          >
            <Input inputMode="numeric" />
          </Form.Item>
          <Form.Item
            name="accountCode"
            label={t('对应科目编码', 'Ledger account code')}
            extra={t(
              '现金为 101 或其明细，银行为 102 或其明细（如 10201）',
              'Cash: 101 or below; bank: 102 or below (e.g. 10201)',
            )}
            rules={[{ required: true, pattern: /^\d{3}(\d{2}){0,3}$/ }]}
          >
            <Input inputMode="numeric" style={{ width: 160 }} />
          </Form.Item>
        </FormDialog>
      )}
      {reconciling && (
        <FormDialog<StatementForm>
          title={t(`对账：${reconciling.name}`, `Reconcile: ${reconciling.name}`)}
          okText={t('保存', 'Save')}
          initialValues={{
            statementBalance:
              reconciling.statementBalance === null ? '' : formatFen(reconciling.statementBalance),
            statementDate: reconciling.statementDate
              ? dayjs(reconciling.statementDate)
              : dayjs().endOf('month'),
          }}
          onClose={(changed) => {
            setReconciling(undefined);
            if (changed) void list.reload();
          }}
          onSubmit={async (values, _form, version) => {
            await api.patch(`/api/finance/funds/${reconciling.id}`, {
              statementBalance: parseYuan(values.statementBalance),
              statementDate: values.statementDate.format('YYYY-MM-DD'),
              expectedVersion: version ?? reconciling.version,
            });
          }}
        >
          <Form.Item
            name="statementDate"
            label={t('对账单日期', 'Statement date')}
            rules={[{ required: true }]}
          >
            <DatePicker />
          </Form.Item>
          <Form.Item
            name="statementBalance"
            label={t('对账单余额（元）', 'Statement balance (yuan)')}
            rules={[
              { required: true },
              {
                validator: async (_, value: string) => {
                  if (value && parseYuan(value) === null) throw new Error();
                },
                message: t('请输入金额，最多两位小数', 'An amount with at most two decimals'),
              },
            ]}
          >
            <Input inputMode="decimal" style={{ width: 200 }} />
          </Form.Item>
        </FormDialog>
      )}
    </Space>
  );
}
