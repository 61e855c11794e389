import {
  formatFen,
  parseYuan,
  type Account,
  type BalanceSheet,
  type Book,
  type Disclosure,
  type IncomeStatement,
  type PeriodInfo,
  type Question,
  type TrialBalance,
  type Voucher,
} from '@minqing/contract';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { useT } from '../../shared/i18n.ts';
import { FormDialog } from '../common/FormDialog.tsx';
import { useRequest } from '../shell/use-request.ts';
import ContractsTab, { ContractsTabLabel } from './registers/ContractsTab.tsx';
import ResourcesTab from './registers/ResourcesTab.tsx';
import { AttachmentEditor, AttachmentList, type AttachmentDraft } from './VoucherAttachments.tsx';
import FundsTab from './registers/FundsTab.tsx';
import AssetsTab from './registers/AssetsTab.tsx';
import YearEndTab from './registers/YearEndTab.tsx';

const yuan = (fen: number) => `¥${formatFen(fen)}`;

const VOUCHER_STATE: Record<string, [string, string, string]> = {
  draft: ['草稿', 'Draft', 'default'],
  submitted: ['待审批', 'Awaiting approval', 'gold'],
  approved: ['待审核', 'Awaiting review', 'blue'],
  reviewed: ['待入账', 'Ready to post', 'cyan'],
  posted: ['已入账', 'Posted', 'green'],
  discarded: ['已作废', 'Discarded', 'default'],
};

const ACTION_LABEL: Record<string, [string, string]> = {
  submit: ['提交', 'Submit'],
  withdraw: ['撤回', 'Withdraw'],
  approve: ['审批', 'Approve'],
  review: ['审核', 'Review'],
  return: ['退回', 'Return'],
  post: ['入账', 'Post'],
  discard: ['作废', 'Discard'],
  reverse: ['冲销', 'Reverse'],
  seal: ['封存公开', 'Seal and publish'],
  close: ['结账', 'Close'],
  reopen: ['反结账', 'Reopen'],
};

/**
 * 三资与财务: one village's books in the console — vouchers and their workflow, months and disclosures,
 * the reports, villagers' questions. Every button is offered by the record's allowedActions.
 */
export default function FinancePage() {
  const t = useT();
  const books = useRequest(() => api.get<{ items: Book[] }>('/api/finance/books'), 'finance-books');
  const [bookId, setBookId] = useState<string>();
  useEffect(() => {
    if (!bookId && books.data?.items[0]) setBookId(books.data.items[0].id);
  }, [books.data, bookId]);
  const book = books.data?.items.find((b) => b.id === bookId);

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('三资与财务', 'Collective finances')}
      </Typography.Title>
      {books.error && <Alert type="error" message={books.error.text()} />}
      {books.data && books.data.items.length === 0 && (
        <Alert
          type="info"
          message={t(
            '您没有可以查看的账套。账套由报账员为村（社区）建立。',
            'No set of books for you. The bookkeeper opens one for the village.',
          )}
        />
      )}
      {books.data && books.data.items.length > 0 && (
        <Space wrap>
          <Select
            aria-label={t('账套', 'Set of books')}
            value={bookId}
            onChange={setBookId}
            style={{ minWidth: 280 }}
            options={books.data.items.map((b) => ({ value: b.id, label: `${b.unitName} · ${b.name}` }))}
          />
          {book && (
            <Tag color={book.state === 'active' ? 'green' : 'gold'}>
              {book.state === 'active'
                ? t(`已启用（${book.startMonth} 起）`, `Started ${book.startMonth}`)
                : t('建账中', 'Setting up')}
            </Tag>
          )}
          {book && (
            <a href={`/books/${book.id}`} target="_blank" rel="noreferrer">
              {t('村民看到的公开页', 'The villagers’ page')}
            </a>
          )}
        </Space>
      )}
      {book && (
        <Tabs
          items={[
            { key: 'vouchers', label: t('凭证', 'Vouchers'), children: <Vouchers book={book} /> },
            {
              key: 'periods',
              label: t('期间与公开', 'Months and disclosures'),
              children: <Periods book={book} />,
            },
            { key: 'reports', label: t('报表', 'Reports'), children: <Reports book={book} /> },
            { key: 'questions', label: t('村民意见', 'Questions'), children: <Questions book={book} /> },
            { key: 'funds', label: t('资金', 'Funds'), children: <FundsTab book={book} /> },
            { key: 'assets', label: t('资产', 'Assets'), children: <AssetsTab book={book} /> },
            { key: 'year-end', label: t('年终结账', 'Year end'), children: <YearEndTab book={book} /> },
            { key: 'resources', label: t('资源', 'Resources'), children: <ResourcesTab book={book} /> },
            {
              key: 'contracts',
              label: <ContractsTabLabel book={book} />,
              children: <ContractsTab book={book} />,
            },
          ]}
        />
      )}
    </Space>
  );
}

function useActions() {
  const { message, modal } = App.useApp();
  const t = useT();
  return async (url: string, body: object, done: () => void) => {
    try {
      await api.post(url, body);
      message.success(t('已完成', 'Done'));
      done();
    } catch (error) {
      modal.error({
        title: t('操作未完成', 'Not done'),
        content: error instanceof ApiError ? error.text() : String(error),
      });
    }
  };
}

function Vouchers({ book }: { book: Book }) {
  const t = useT();
  const [period, setPeriod] = useState<string>();
  const list = useRequest(
    () =>
      api.get<{ items: Voucher[] }>(
        `/api/finance/books/${book.id}/vouchers?limit=200${period ? `&period=${period}` : ''}`,
      ),
    `vouchers:${book.id}:${period ?? ''}`,
  );
  const act = useActions();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Voucher>();
  const [asking, setAsking] = useState<{ voucher: Voucher; action: string }>();
  const run = (voucher: Voucher, action: string) => {
    if (action === 'return' || action === 'reverse') setAsking({ voucher, action });
    else void act(`/api/finance/vouchers/${voucher.id}/${action}`, {}, () => void list.reload());
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        <DatePicker
          picker="month"
          aria-label={t('月份', 'Month')}
          onChange={(value) => setPeriod(value ? value.format('YYYY-MM') : undefined)}
          placeholder={t('全部月份', 'All months')}
        />
        {book.allowedActions.includes('keep') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('新建凭证', 'New voucher')}
          </Button>
        )}
      </Space>
      {list.error && <Alert type="error" message={list.error.text()} />}
      <Table<Voucher>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20 }}
        expandable={{
          expandedRowRender: (voucher) => (
            <>
              <Table
                size="small"
                rowKey="lineNo"
                pagination={false}
                dataSource={voucher.lines}
                columns={[
                  { title: t('摘要', 'Summary'), dataIndex: 'summary' },
                  {
                    title: t('科目', 'Account'),
                    render: (_, line) => `${line.accountCode} ${line.accountName}`,
                  },
                  {
                    title: t('借方', 'Debit'),
                    align: 'right',
                    render: (_, line) => (line.debit ? yuan(line.debit) : ''),
                  },
                  {
                    title: t('贷方', 'Credit'),
                    align: 'right',
                    render: (_, line) => (line.credit ? yuan(line.credit) : ''),
                  },
                ]}
              />
              <AttachmentList voucher={voucher} />
            </>
          ),
        }}
        columns={[
          { title: t('凭证号', 'Number'), dataIndex: 'label', width: 150 },
          { title: t('日期', 'Date'), dataIndex: 'date', width: 110 },
          {
            title: t('摘要', 'Summary'),
            render: (_, v) => (
              <>
                {v.summary}
                {v.attachments.length > 0 && (
                  <Tag style={{ marginLeft: 8 }} title={t('附件数', 'Attachments')}>
                    📎 {v.attachments.length}
                  </Tag>
                )}
              </>
            ),
          },
          { title: t('金额', 'Amount'), align: 'right', render: (_, v) => yuan(v.total), width: 130 },
          {
            title: t('状态', 'State'),
            width: 110,
            render: (_, v) => {
              const [zh, en, color] = VOUCHER_STATE[v.state] ?? [v.state, v.state, 'default'];
              return (
                <Space size={4}>
                  <Tag color={color}>{t(zh, en)}</Tag>
                  {v.reversedById && <Tag color="red">{t('已冲销', 'Reversed')}</Tag>}
                </Space>
              );
            },
          },
          {
            title: t('操作', 'Actions'),
            render: (_, v) => (
              <Space size={4} wrap>
                {v.allowedActions.includes('edit') && (
                  <Button size="small" onClick={() => setEditing(v)}>
                    {t('编辑/附件', 'Edit / attach')}
                  </Button>
                )}
                {v.allowedActions
                  .filter((action) => ACTION_LABEL[action])
                  .map((action) => (
                    <Button
                      key={action}
                      size="small"
                      onClick={() => run(v, action)}
                      danger={action === 'discard'}
                    >
                      {t(...ACTION_LABEL[action]!)}
                    </Button>
                  ))}
              </Space>
            ),
          },
        ]}
      />
      {creating && (
        <VoucherDialog book={book} onClose={() => setCreating(false)} onSaved={() => void list.reload()} />
      )}
      {editing && (
        <VoucherDialog
          key={editing.id}
          book={book}
          voucher={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => void list.reload()}
        />
      )}
      {asking && (
        <FormDialog<{ reason: string; date?: string }>
          title={`${t(...ACTION_LABEL[asking.action]!)} ${asking.voucher.label}`}
          okText={t(...ACTION_LABEL[asking.action]!)}
          danger={asking.action === 'reverse'}
          onClose={(changed) => {
            setAsking(undefined);
            if (changed) void list.reload();
          }}
          onSubmit={async (values) => {
            await api.post(`/api/finance/vouchers/${asking.voucher.id}/${asking.action}`, values);
          }}
        >
          {asking.action === 'reverse' && (
            <Form.Item
              name="date"
              label={t(
                '冲销凭证日期（YYYY-MM-DD，须在未结账的月份）',
                'Date of the reversing voucher (YYYY-MM-DD, an open month)',
              )}
              rules={[{ required: true }]}
            >
              <Input />
            </Form.Item>
          )}
          <Form.Item name="reason" label={t('原因', 'Reason')} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
        </FormDialog>
      )}
    </Space>
  );
}

interface LineDraft {
  accountCode?: string;
  summary: string;
  debit: string;
  credit: string;
}

function VoucherDialog({
  book,
  voucher,
  onClose,
  onSaved,
}: {
  book: Book;
  /** A draft to edit; absent: a new voucher. */
  voucher?: Voucher;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const accounts = useRequest(
    () => api.get<{ items: Account[] }>(`/api/finance/books/${book.id}/accounts`),
    `accounts:${book.id}`,
  );
  const leaves = (accounts.data?.items ?? []).filter((a) => a.isLeaf && a.state === 'active');
  const [date, setDate] = useState(voucher?.date ?? dayjs().format('YYYY-MM-DD'));
  const [summary, setSummary] = useState(voucher?.summary ?? '');
  const [handler, setHandler] = useState(voucher?.handlerName ?? '');
  const [lines, setLines] = useState<LineDraft[]>(
    voucher?.lines.map((line) => ({
      accountCode: line.accountCode,
      summary: line.summary,
      debit: line.debit ? formatFen(line.debit).replaceAll(',', '') : '',
      credit: line.credit ? formatFen(line.credit).replaceAll(',', '') : '',
    })) ?? [
      { summary: '', debit: '', credit: '' },
      { summary: '', debit: '', credit: '' },
    ],
  );
  const [attachments, setAttachments] = useState<AttachmentDraft[]>(voucher?.attachments ?? []);
  const [error, setError] = useState<string>();
  const debit = lines.reduce((sum, line) => sum + (parseYuan(line.debit) ?? 0), 0);
  const credit = lines.reduce((sum, line) => sum + (parseYuan(line.credit) ?? 0), 0);
  const set = (index: number, change: Partial<LineDraft>) =>
    setLines((previous) => previous.map((line, i) => (i === index ? { ...line, ...change } : line)));
  const save = async () => {
    setError(undefined);
    try {
      const body = {
        date,
        summary,
        handlerName: handler || null,
        lines: lines.map((line) => ({
          accountCode: line.accountCode ?? '',
          summary: line.summary || summary,
          debit: parseYuan(line.debit) ?? 0,
          credit: parseYuan(line.credit) ?? 0,
        })),
        attachments: attachments.map((a) => ({ attachmentId: a.id, isPublic: a.isPublic })),
      };
      if (voucher) {
        await api.put(`/api/finance/vouchers/${voucher.id}`, { ...body, expectedVersion: voucher.version });
      } else {
        await api.post(`/api/finance/books/${book.id}/vouchers`, body);
      }
      onSaved();
      onClose();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.text() : String(caught));
    }
  };
  return (
    <Card
      title={voucher ? t('编辑凭证草稿', 'Edit the draft voucher') : t('新建记账凭证', 'New voucher')}
      extra={<Button onClick={onClose}>{t('取消', 'Cancel')}</Button>}
      style={{ marginTop: 8 }}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Input
            aria-label={t('日期', 'Date')}
            value={date}
            onChange={(e) => setDate(e.target.value)}
            style={{ width: 130 }}
          />
          <Input
            aria-label={t('凭证摘要', 'Summary')}
            placeholder={t('凭证摘要', 'Summary')}
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
            style={{ width: 320 }}
          />
          <Input
            aria-label={t('经手人', 'Handled by')}
            placeholder={t('经手人', 'Handled by')}
            value={handler}
            onChange={(e) => setHandler(e.target.value)}
            style={{ width: 140 }}
          />
        </Space>
        {lines.map((line, index) => (
          <Space key={index} wrap>
            <Select
              aria-label={t(`第 ${index + 1} 行科目`, `Account of line ${index + 1}`)}
              showSearch
              placeholder={t('科目', 'Account')}
              value={line.accountCode}
              onChange={(value) => set(index, { accountCode: value })}
              style={{ width: 260 }}
              optionFilterProp="label"
              options={leaves.map((a) => ({ value: a.code, label: `${a.code} ${a.name}` }))}
            />
            <Input
              aria-label={t(`第 ${index + 1} 行摘要`, `Summary of line ${index + 1}`)}
              placeholder={t('摘要', 'Summary')}
              value={line.summary}
              onChange={(e) => set(index, { summary: e.target.value })}
              style={{ width: 200 }}
            />
            <Input
              aria-label={t(`第 ${index + 1} 行借方`, `Debit of line ${index + 1}`)}
              placeholder={t('借方（元）', 'Debit (yuan)')}
              value={line.debit}
              onChange={(e) => set(index, { debit: e.target.value, credit: '' })}
              style={{ width: 130 }}
              status={line.debit && parseYuan(line.debit) === null ? 'error' : undefined}
            />
            <Input
              aria-label={t(`第 ${index + 1} 行贷方`, `Credit of line ${index + 1}`)}
              placeholder={t('贷方（元）', 'Credit (yuan)')}
              value={line.credit}
              onChange={(e) => set(index, { credit: e.target.value, debit: '' })}
              style={{ width: 130 }}
              status={line.credit && parseYuan(line.credit) === null ? 'error' : undefined}
            />
          </Space>
        ))}
        <Space>
          <Button
            onClick={() => setLines((previous) => [...previous, { summary: '', debit: '', credit: '' }])}
          >
            {t('加一行', 'Add a line')}
          </Button>
          <Typography.Text type={debit === credit ? 'success' : 'danger'}>
            {t(
              `借方合计 ${yuan(debit)}，贷方合计 ${yuan(credit)}`,
              `Debits ${yuan(debit)}, credits ${yuan(credit)}`,
            )}
            {debit !== credit &&
              t(`，相差 ${yuan(Math.abs(debit - credit))}`, `, off by ${yuan(Math.abs(debit - credit))}`)}
          </Typography.Text>
        </Space>
        <AttachmentEditor bookId={book.id} value={attachments} onChange={setAttachments} />
        {error && <Alert type="error" message={error} />}
        <Button type="primary" onClick={() => void save()}>
          {t('保存草稿', 'Save draft')}
        </Button>
      </Space>
    </Card>
  );
}

function Periods({ book }: { book: Book }) {
  const t = useT();
  const periods = useRequest(
    () => api.get<{ items: PeriodInfo[] }>(`/api/finance/books/${book.id}/periods`),
    `periods:${book.id}`,
  );
  const disclosures = useRequest(
    () => api.get<{ items: Omit<Disclosure, 'content'>[] }>(`/api/finance/books/${book.id}/disclosures`),
    `disclosures:${book.id}`,
  );
  const act = useActions();
  const reload = () => {
    void periods.reload();
    void disclosures.reload();
  };
  const byPeriod = new Map(
    (disclosures.data?.items ?? []).filter((d) => d.kind === 'month').map((d) => [d.label, d]),
  );
  return (
    <Table<PeriodInfo>
      rowKey="period"
      size="small"
      loading={periods.loading}
      dataSource={periods.data?.items ?? []}
      pagination={{ pageSize: 12 }}
      columns={[
        { title: t('期间', 'Month'), dataIndex: 'period', width: 100 },
        {
          title: t('状态', 'State'),
          width: 100,
          render: (_, p) => (
            <Tag color={p.state === 'sealed' ? 'green' : p.state === 'closed' ? 'blue' : 'default'}>
              {p.state === 'sealed'
                ? t('已封存', 'Sealed')
                : p.state === 'closed'
                  ? t('已结账', 'Closed')
                  : t('未结账', 'Open')}
            </Tag>
          ),
        },
        { title: t('已入账', 'Posted'), dataIndex: 'postedCount', width: 80 },
        { title: t('待处理', 'Pending'), dataIndex: 'pendingCount', width: 80 },
        { title: t('借方发生额', 'Debits'), align: 'right', render: (_, p) => yuan(p.debit) },
        {
          title: t('财务公开', 'Disclosure'),
          render: (_, p) => {
            const d = byPeriod.get(p.period);
            if (!d) {
              return p.state === 'closed' && book.allowedActions.includes('keep') ? (
                <Button
                  size="small"
                  onClick={() =>
                    void act(
                      `/api/finance/books/${book.id}/disclosures`,
                      { kind: 'month', label: p.period },
                      reload,
                    )
                  }
                >
                  {t('编制公开', 'Prepare')}
                </Button>
              ) : null;
            }
            return (
              <Space size={4}>
                <Tag>
                  {d.state === 'sealed'
                    ? t('已公开', 'Published')
                    : d.state === 'reviewed'
                      ? t('已审核', 'Reviewed')
                      : t('草稿', 'Draft')}
                </Tag>
                {d.allowedActions
                  .filter((a) => a === 'review' || a === 'seal')
                  .map((a) => (
                    <Button
                      key={a}
                      size="small"
                      type={a === 'seal' ? 'primary' : 'default'}
                      onClick={() => void act(`/api/finance/disclosures/${d.id}/${a}`, {}, reload)}
                    >
                      {t(...(ACTION_LABEL[a] ?? [a, a]))}
                    </Button>
                  ))}
              </Space>
            );
          },
        },
        {
          title: t('操作', 'Actions'),
          render: (_, p) =>
            p.allowedActions.map((a) => (
              <Button
                key={a}
                size="small"
                onClick={() => void act(`/api/finance/books/${book.id}/periods/${p.period}/${a}`, {}, reload)}
              >
                {t(...(ACTION_LABEL[a] ?? [a, a]))}
              </Button>
            )),
        },
      ]}
    />
  );
}

function Reports({ book }: { book: Book }) {
  const t = useT();
  const [period, setPeriod] = useState(dayjs().subtract(1, 'month').format('YYYY-MM'));
  const from = `${period.slice(0, 4)}-01` < book.startMonth ? book.startMonth : `${period.slice(0, 4)}-01`;
  const trial = useRequest(
    () =>
      api.get<TrialBalance>(`/api/finance/books/${book.id}/reports/trial-balance?from=${from}&to=${period}`),
    `trial:${book.id}:${period}`,
  );
  const sheet = useRequest(
    () => api.get<BalanceSheet>(`/api/finance/books/${book.id}/reports/balance-sheet?period=${period}`),
    `sheet:${book.id}:${period}`,
  );
  const income = useRequest(
    () => api.get<IncomeStatement>(`/api/finance/books/${book.id}/reports/income-statement?period=${period}`),
    `income:${book.id}:${period}`,
  );
  const money = (value: number) => (value ? yuan(value) : '');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <DatePicker
          picker="month"
          aria-label={t('月份', 'Month')}
          value={dayjs(`${period}-01`)}
          onChange={(v) => v && setPeriod(v.format('YYYY-MM'))}
          allowClear={false}
        />
        <Button href={`/api/finance/books/${book.id}/reports/export?period=${period}`}>
          {t('导出报表（Excel）', 'Export reports (Excel)')}
        </Button>
        <Tooltip
          title={t(
            '各末级科目的月末余额，格式与期初余额导入相同，可直接用于新账套建账',
            'Month-end balances of every leaf account in the opening-balance layout, to open new books with',
          )}
        >
          <Button href={`/api/finance/books/${book.id}/balances/export?period=${period}`}>
            {t('导出余额（期初格式）', 'Export balances (opening layout)')}
          </Button>
        </Tooltip>
      </Space>
      {trial.error && <Alert type="error" message={trial.error.text()} />}
      <Card
        size="small"
        title={t(`科目余额表 ${from} 至 ${period}`, `Trial balance ${from} to ${period}`)}
        extra={
          trial.data && (
            <Tag color={trial.data.isBalanced ? 'green' : 'red'}>
              {trial.data.isBalanced ? t('借贷平衡', 'Balanced') : t('不平衡', 'Unbalanced')}
            </Tag>
          )
        }
      >
        <Table
          size="small"
          rowKey="code"
          pagination={false}
          dataSource={trial.data?.rows ?? []}
          columns={[
            {
              title: t('科目', 'Account'),
              render: (_, r) => (
                <span style={{ paddingLeft: (r.level - 1) * 16 }}>{`${r.code} ${r.name}`}</span>
              ),
            },
            { title: t('期初借方', 'Opening Dr'), align: 'right', render: (_, r) => money(r.openingDebit) },
            { title: t('期初贷方', 'Opening Cr'), align: 'right', render: (_, r) => money(r.openingCredit) },
            { title: t('本期借方', 'Debits'), align: 'right', render: (_, r) => money(r.debit) },
            { title: t('本期贷方', 'Credits'), align: 'right', render: (_, r) => money(r.credit) },
            { title: t('期末借方', 'Closing Dr'), align: 'right', render: (_, r) => money(r.closingDebit) },
            { title: t('期末贷方', 'Closing Cr'), align: 'right', render: (_, r) => money(r.closingCredit) },
          ]}
        />
      </Card>
      <Space align="start" wrap style={{ width: '100%' }}>
        <Card size="small" title={t('资产负债表', 'Balance sheet')} style={{ minWidth: 420 }}>
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={[...(sheet.data?.assets ?? []), ...(sheet.data?.liabilitiesAndEquity ?? [])]}
            columns={[
              { title: t('项目', 'Line'), render: (_, l) => (l.isTotal ? <b>{l.label}</b> : l.label) },
              { title: t('年初数', 'Start of year'), align: 'right', render: (_, l) => yuan(l.opening) },
              { title: t('期末数', 'End'), align: 'right', render: (_, l) => yuan(l.closing) },
            ]}
          />
        </Card>
        <Card size="small" title={t('收益及收益分配表', 'Income and distribution')} style={{ minWidth: 420 }}>
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={income.data?.lines ?? []}
            columns={[
              { title: t('项目', 'Line'), render: (_, l) => (l.isTotal ? <b>{l.label}</b> : l.label) },
              { title: t('本月数', 'Month'), align: 'right', render: (_, l) => yuan(l.month) },
              { title: t('本年累计', 'Year to date'), align: 'right', render: (_, l) => yuan(l.ytd) },
            ]}
          />
        </Card>
      </Space>
    </Space>
  );
}

function Questions({ book }: { book: Book }) {
  const t = useT();
  const list = useRequest(
    () => api.get<{ items: Question[] }>(`/api/finance/books/${book.id}/questions`),
    `questions:${book.id}`,
  );
  const [answering, setAnswering] = useState<Question>();
  return (
    <>
      <Table<Question>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        columns={[
          { title: t('公开期间', 'Disclosure'), dataIndex: 'disclosureLabel', width: 100 },
          { title: t('提问人', 'Asked by'), dataIndex: 'askerName', width: 100 },
          { title: t('意见', 'Question'), dataIndex: 'text' },
          {
            title: t('答复', 'Answer'),
            render: (_, q) => q.answer ?? <Tag color="gold">{t('待答复', 'Open')}</Tag>,
          },
          {
            title: t('操作', 'Actions'),
            width: 90,
            render: (_, q) =>
              q.allowedActions.includes('answer') && (
                <Button size="small" onClick={() => setAnswering(q)}>
                  {t('答复', 'Answer')}
                </Button>
              ),
          },
        ]}
      />
      {answering && (
        <FormDialog<{ answer: string }>
          title={t('公开答复', 'Answer in public')}
          okText={t('答复', 'Answer')}
          onClose={(changed) => {
            setAnswering(undefined);
            if (changed) void list.reload();
          }}
          onSubmit={async (values) => {
            await api.post(`/api/finance/questions/${answering.id}/answer`, values);
          }}
        >
          <Typography.Paragraph>{answering.text}</Typography.Paragraph>
          <Form.Item
            name="answer"
            label={t('答复（村民可见）', 'Answer (public)')}
            rules={[{ required: true, min: 2 }]}
          >
            <Input.TextArea rows={4} />
          </Form.Item>
        </FormDialog>
      )}
    </>
  );
}
