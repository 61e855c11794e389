import {
  formatFen,
  parseYuan,
  type Book,
  type Contract,
  type OverdueRentList,
  type Resource,
  type Voucher,
} from '@minqing/contract';
import {
  Alert,
  Badge,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { api } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { FormDialog } from '../../common/FormDialog.tsx';
import { useRequest } from '../../shell/use-request.ts';
import { CONTRACT_STATE, FREQUENCY } from './labels.ts';

const yuan = (fen: number) => `¥${formatFen(fen)}`;

function useAlerts(book: Book) {
  return useRequest(
    () => api.get<OverdueRentList>(`/api/finance/books/${book.id}/alerts`),
    `rent-alerts:${book.id}`,
  );
}

/** The tab's label: 合同 with a red badge counting overdue instalments (欠租预警). */
export function ContractsTabLabel({ book }: { book: Book }) {
  const t = useT();
  const alerts = useAlerts(book);
  const count = alerts.data?.items.length ?? 0;
  return (
    <Space size={6}>
      {t('合同与租金', 'Contracts and rent')}
      {count > 0 && <Badge count={count} title={t(`欠租 ${count} 笔`, `${count} overdue`)} />}
    </Space>
  );
}

function Alerts({ alerts }: { alerts: OverdueRentList }) {
  const t = useT();
  if (alerts.items.length === 0 && alerts.endingSoon.length === 0) {
    return <Alert type="success" showIcon message={t('没有逾期未收的租金。', 'No rent is overdue.')} />;
  }
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {alerts.items.length > 0 && (
        <Card
          size="small"
          title={
            <Typography.Text type="danger">
              {t(
                `欠租预警：${alerts.items.length} 笔，共 ${yuan(alerts.amount)}`,
                `Overdue rent: ${alerts.items.length} instalments, ${yuan(alerts.amount)}`,
              )}
            </Typography.Text>
          }
        >
          <Table
            size="small"
            rowKey="instalmentId"
            pagination={false}
            dataSource={alerts.items}
            columns={[
              { title: t('合同', 'Contract'), render: (_, a) => `${a.contractCode} ${a.title}` },
              { title: t('承包/承租方', 'Holder'), dataIndex: 'holderName' },
              { title: t('应收日', 'Due'), dataIndex: 'dueDate', width: 110 },
              { title: t('欠收', 'Unpaid'), align: 'right', render: (_, a) => yuan(a.amount - a.paidAmount) },
              {
                title: t('逾期天数', 'Days overdue'),
                align: 'right',
                render: (_, a) => <Tag color={a.overdueDays > 90 ? 'red' : 'orange'}>{a.overdueDays}</Tag>,
              },
            ]}
          />
        </Card>
      )}
      {alerts.endingSoon.length > 0 && (
        <Alert
          type="warning"
          showIcon
          message={t('90 天内到期的合同', 'Contracts ending within 90 days')}
          description={alerts.endingSoon
            .map((c) =>
              t(
                `${c.contractCode} ${c.title}（${c.holderName}）${c.endDate} 到期，剩 ${c.daysLeft} 天`,
                `${c.contractCode} ${c.title} (${c.holderName}) ends ${c.endDate}, ${c.daysLeft} days left`,
              ),
            )
            .join('；')}
        />
      )}
    </Space>
  );
}

interface ContractForm {
  code: string;
  title: string;
  counterpartyName: string;
  counterpartyKind: 'person' | 'organisation';
  counterpartyIdNo?: string;
  counterpartyPhone?: string;
  resourceId: string;
  term: [Dayjs, Dayjs];
  totalYuan: string;
  annualYuan?: string;
  frequency: 'year' | 'half_year' | 'quarter';
  note?: string;
}

interface ReceiptForm {
  amountYuan: string;
  paidOn: Dayjs;
  voucherId?: string;
}

const yuanRule = (t: ReturnType<typeof useT>, required = true) => ({
  validator: async (_: unknown, value: string | undefined) => {
    if (!value && !required) return;
    const fen = parseYuan(value ?? '');
    if (fen === null || fen <= 0)
      throw new Error(t('请输入金额（元，最多两位小数）', 'An amount in yuan, two decimals at most'));
  },
});

/**
 * 合同与租金: contracts letting the village's resources, their rent schedules and receipts, and the
 * overdue-rent alert (欠租预警) with the contracts ending within 90 days.
 */
export default function ContractsTab({ book }: { book: Book }) {
  const t = useT();
  const list = useRequest(
    () => api.get<{ items: Contract[] }>(`/api/finance/books/${book.id}/contracts`),
    `contracts:${book.id}`,
  );
  const alerts = useAlerts(book);
  const [adding, setAdding] = useState(false);
  const [paying, setPaying] = useState<Contract>();
  const canKeep = book.allowedActions.includes('keep') || book.allowedActions.includes('start');
  const reload = () => {
    void list.reload();
    void alerts.reload();
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {list.error && <Alert type="error" message={list.error.text()} />}
      {alerts.data && <Alerts alerts={alerts.data} />}
      {canKeep && (
        <Button type="primary" onClick={() => setAdding(true)}>
          {t('登记合同', 'Record a contract')}
        </Button>
      )}
      <Table<Contract>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText: t(
            '还没有合同。发包、出租资源或资产的合同在这里登记，系统按年、半年或季度生成收租计划。',
            'No contracts yet. Record each contract letting a resource or asset; the rent schedule is generated.',
          ),
        }}
        expandable={{
          expandedRowRender: (c) => (
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={c.schedule}
              columns={[
                { title: t('应收日', 'Due'), dataIndex: 'dueDate' },
                { title: t('应收', 'Amount'), align: 'right', render: (_, i) => yuan(i.amount) },
                { title: t('已收', 'Received'), align: 'right', render: (_, i) => yuan(i.paidAmount) },
                { title: t('收款日', 'Paid on'), render: (_, i) => i.paidOn ?? '—' },
                {
                  title: t('状态', 'State'),
                  render: (_, i) =>
                    i.paidAmount >= i.amount ? (
                      <Tag color="green">{t('已收清', 'Paid')}</Tag>
                    ) : i.isOverdue ? (
                      <Tag color="red">{t(`逾期 ${i.overdueDays} 天`, `${i.overdueDays} days overdue`)}</Tag>
                    ) : i.paidAmount > 0 ? (
                      <Tag color="gold">{t('部分收取', 'Part paid')}</Tag>
                    ) : (
                      <Tag>{t('未到期', 'Not due')}</Tag>
                    ),
                },
              ]}
            />
          ),
        }}
        columns={[
          { title: t('编号', 'Code'), dataIndex: 'code', width: 110 },
          { title: t('合同', 'Contract'), dataIndex: 'title' },
          {
            title: t('承包/承租方', 'Holder'),
            render: (_, c) => (
              <span>
                {c.counterpartyName}
                {c.counterpartyPhone && (
                  <Typography.Text type="secondary"> {c.counterpartyPhone}</Typography.Text>
                )}
              </span>
            ),
          },
          { title: t('标的', 'Subject'), render: (_, c) => c.resource?.name ?? c.asset?.name ?? '—' },
          {
            title: t('期限', 'Term'),
            render: (_, c) => (
              <span>
                {c.startDate} ~ {c.endDate}{' '}
                {c.isEndingSoon && (
                  <Tag color="orange">{t(`${c.daysToEnd} 天后到期`, `ends in ${c.daysToEnd} d`)}</Tag>
                )}
              </span>
            ),
          },
          { title: t('总额', 'Total'), align: 'right', render: (_, c) => yuan(c.totalRent) },
          { title: t('年租金', 'Annual'), align: 'right', render: (_, c) => yuan(c.annualRent) },
          { title: t('已收', 'Received'), align: 'right', render: (_, c) => yuan(c.paidTotal) },
          {
            title: t('欠收', 'Overdue'),
            align: 'right',
            render: (_, c) =>
              c.overdueAmount > 0 ? (
                <Typography.Text type="danger" style={{ whiteSpace: 'nowrap' }}>
                  {yuan(c.overdueAmount)}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            title: t('状态', 'State'),
            render: (_, c) => {
              const [zh, en, color] = CONTRACT_STATE[c.state] ?? [c.state, c.state, 'default'];
              return <Tag color={color}>{t(zh, en)}</Tag>;
            },
          },
          {
            title: t('操作', 'Actions'),
            width: 90,
            render: (_, c) =>
              c.allowedActions.includes('pay') && (
                <Button size="small" onClick={() => setPaying(c)}>
                  {t('收租', 'Receive')}
                </Button>
              ),
          },
        ]}
      />
      {adding && <NewContract book={book} onClose={(changed) => (setAdding(false), changed && reload())} />}
      {paying && (
        <Receipt
          book={book}
          contract={paying}
          onClose={(changed) => (setPaying(undefined), changed && reload())}
        />
      )}
    </Space>
  );
}

function NewContract({ book, onClose }: { book: Book; onClose: (changed: boolean) => void }) {
  const t = useT();
  const resources = useRequest(
    () => api.get<{ items: Resource[] }>(`/api/finance/books/${book.id}/resources`),
    `resources:${book.id}`,
  );
  return (
    <FormDialog<ContractForm>
      title={t('登记合同', 'Record a contract')}
      okText={t('登记', 'Record')}
      width={640}
      initialValues={{ counterpartyKind: 'person', frequency: 'year' }}
      onClose={onClose}
      onSubmit={async (values) => {
        await api.post(`/api/finance/books/${book.id}/contracts`, {
          code: values.code,
          title: values.title,
          counterpartyName: values.counterpartyName,
          counterpartyKind: values.counterpartyKind,
          counterpartyIdNo: values.counterpartyIdNo || null,
          counterpartyPhone: values.counterpartyPhone || null,
          resourceId: values.resourceId,
          startDate: values.term[0].format('YYYY-MM-DD'),
          endDate: values.term[1].format('YYYY-MM-DD'),
          totalRent: parseYuan(values.totalYuan),
          annualRent: values.annualYuan ? parseYuan(values.annualYuan) : null,
          frequency: values.frequency,
          note: values.note || null,
        });
      }}
    >
      <Form.Item name="code" label={t('合同编号', 'Code')} rules={[{ required: true, max: 30 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="title" label={t('合同名称', 'Title')} rules={[{ required: true, max: 80 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="resourceId" label={t('标的资源', 'Resource let')} rules={[{ required: true }]}>
        <Select
          loading={resources.loading}
          options={(resources.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.code} ${r.name}` }))}
        />
      </Form.Item>
      <Form.Item
        name="counterpartyKind"
        label={t('承包/承租方类别', 'Holder is')}
        rules={[{ required: true }]}
      >
        <Select
          options={[
            {
              value: 'person',
              label: t(
                '个人（姓名、证件、电话加密保存，公开时打码）',
                'A person (encrypted, masked in public)',
              ),
            },
            { value: 'organisation', label: t('单位', 'An organisation') },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="counterpartyName"
        label={t('承包/承租方', 'Holder')}
        rules={[{ required: true, max: 60 }]}
      >
        <Input />
      </Form.Item>
      <Form.Item name="counterpartyIdNo" label={t('身份证号 / 统一社会信用代码', 'ID or credit code')}>
        <Input />
      </Form.Item>
      <Form.Item name="counterpartyPhone" label={t('联系电话', 'Phone')}>
        <Input />
      </Form.Item>
      <Form.Item name="term" label={t('合同期限', 'Term')} rules={[{ required: true }]}>
        <DatePicker.RangePicker />
      </Form.Item>
      <Form.Item
        name="totalYuan"
        label={t('合同总金额（元）', 'Total (yuan)')}
        rules={[{ required: true }, yuanRule(t)]}
      >
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item
        name="annualYuan"
        label={t('年租金（元，可不填：按总额和年限计算）', 'Annual rent (yuan; default: total ÷ years)')}
        rules={[yuanRule(t, false)]}
      >
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item
        name="frequency"
        label={t('收租方式', 'Rent falls due')}
        extra={t(
          '从起始日起预收，总额平均分到各期，零头分在前几期。',
          'In advance from the start; the total split evenly, odd fen first.',
        )}
      >
        <Select
          options={(['year', 'half_year', 'quarter'] as const).map((value) => ({
            value,
            label: t(...FREQUENCY[value]!),
          }))}
        />
      </Form.Item>
      <Form.Item name="note" label={t('备注', 'Note')}>
        <Input />
      </Form.Item>
    </FormDialog>
  );
}

function Receipt({
  book,
  contract,
  onClose,
}: {
  book: Book;
  contract: Contract;
  onClose: (changed: boolean) => void;
}) {
  const t = useT();
  const vouchers = useRequest(
    () => api.get<{ items: Voucher[] }>(`/api/finance/books/${book.id}/vouchers?state=posted&limit=200`),
    `posted-vouchers:${book.id}`,
  );
  const owed = contract.schedule.reduce((sum, i) => sum + i.amount - i.paidAmount, 0);
  return (
    <FormDialog<ReceiptForm>
      title={t(
        `登记收租：${contract.code} ${contract.title}`,
        `Rent received: ${contract.code} ${contract.title}`,
      )}
      okText={t('登记', 'Record')}
      onClose={onClose}
      onSubmit={async (values) => {
        await api.post(`/api/finance/contracts/${contract.id}/receipts`, {
          amount: parseYuan(values.amountYuan),
          paidOn: values.paidOn.format('YYYY-MM-DD'),
          voucherId: values.voucherId ?? null,
        });
      }}
    >
      <Typography.Paragraph>
        {t(
          `应收未收 ${yuan(owed)}。收款先冲抵最早的一期，可部分收取。`,
          `${yuan(owed)} still owed. A receipt pays the oldest instalment first; part payments are fine.`,
        )}
      </Typography.Paragraph>
      <Form.Item
        name="amountYuan"
        label={t('金额（元）', 'Amount (yuan)')}
        rules={[{ required: true }, yuanRule(t)]}
      >
        <Input inputMode="decimal" />
      </Form.Item>
      <Form.Item name="paidOn" label={t('收款日期', 'Received on')} rules={[{ required: true }]}>
        <DatePicker />
      </Form.Item>
      <Form.Item
        name="voucherId"
        label={t('收款凭证（已入账，可不选）', 'Receipt voucher (posted; optional)')}
      >
        <Select
          allowClear
          loading={vouchers.loading}
          options={(vouchers.data?.items ?? []).map((v) => ({
            value: v.id,
            label: `${v.label} ${v.summary} ${yuan(v.total)}`,
          }))}
        />
      </Form.Item>
    </FormDialog>
  );
}
