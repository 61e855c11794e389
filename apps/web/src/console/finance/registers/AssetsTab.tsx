import { formatFen, parseYuan, type Asset, type Book, type DepreciationRun } from '@minqing/contract';
import {
  Alert,
  Button,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { api, ApiError } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { FormDialog } from '../../common/FormDialog.tsx';
import { useRequest } from '../../shell/use-request.ts';
import { ACQUIRED_HOW, ASSET_CATEGORY, ASSET_STATE } from './asset-labels.ts';

const yuan = (fen: number) => `¥${formatFen(fen)}`;

interface AssetForm {
  code: string;
  name: string;
  category: string;
  isOperating: boolean;
  originalValue: string;
  openingDepreciation?: string;
  salvageValue?: string;
  depreciated: boolean;
  usefulLifeYears?: number;
  acquiredOn: dayjs.Dayjs;
  acquiredHow: string;
  lng?: number;
  lat?: number;
  locationText?: string;
  note?: string;
}

interface EditForm {
  name: string;
  isOperating: boolean;
  state: 'in_use' | 'idle' | 'let';
  lng?: number | null;
  lat?: number | null;
  locationText?: string;
  note?: string;
}

const money = (text: string | undefined) => (text ? (parseYuan(text) ?? NaN) : 0);

/**
 * 资产登记簿 and 计提折旧: the fixed assets with original value, accumulated depreciation and net value,
 * where they stand, and the month's depreciation run (one draft voucher for approval).
 */
export default function AssetsTab({ book }: { book: Book }) {
  const t = useT();
  const list = useRequest(
    () =>
      api.get<{
        items: Asset[];
        totals: { originalValue: number; accumulatedDepreciation: number; netValue: number };
      }>(`/api/finance/books/${book.id}/assets`),
    `assets:${book.id}`,
  );
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Asset>();
  const [running, setRunning] = useState(false);
  // new assets start at the village's label point, to be moved to where they stand
  const unit = useRequest(
    () => api.get<{ centroid: { lng: number; lat: number } | null }>(`/api/units/${book.unitId}`),
    `unit-centre:${book.unitId}`,
  );
  const canKeep = book.allowedActions.includes('keep');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {list.error && <Alert type="error" message={list.error.text()} />}
      <Space wrap>
        {canKeep && (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t('登记资产', 'Register an asset')}
          </Button>
        )}
        <Button onClick={() => setRunning(true)}>{t('计提折旧', 'Depreciation')}</Button>
        {list.data && (
          <Typography.Text>
            {t('原值合计', 'Original value')} <strong>{yuan(list.data.totals.originalValue)}</strong> ·{' '}
            {t('累计折旧', 'Depreciation')} <strong>{yuan(list.data.totals.accumulatedDepreciation)}</strong>{' '}
            · {t('净值', 'Net value')} <strong>{yuan(list.data.totals.netValue)}</strong>
          </Typography.Text>
        )}
      </Space>
      <Table<Asset>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{
          emptyText: t(
            '还没有登记资产。办公楼、文化礼堂、路灯、车辆等固定资产在这里登记，每月计提折旧。',
            'No assets yet. Register the office, halls, street lights, vehicles… here; depreciation runs monthly.',
          ),
        }}
        columns={[
          { title: t('编号', 'Code'), dataIndex: 'code', width: 90 },
          { title: t('名称', 'Name'), dataIndex: 'name' },
          {
            title: t('类别', 'Category'),
            width: 100,
            render: (_, a) => t(...(ASSET_CATEGORY[a.category] ?? [a.category, a.category])),
          },
          {
            title: t('性质', 'Use'),
            width: 80,
            render: (_, a) => (a.isOperating ? t('经营性', 'Operating') : t('非经营性', 'Non-operating')),
          },
          { title: t('原值', 'Original'), align: 'right', render: (_, a) => yuan(a.originalValue) },
          {
            title: t('累计折旧', 'Depreciation'),
            align: 'right',
            render: (_, a) => yuan(a.accumulatedDepreciation),
          },
          { title: t('净值', 'Net'), align: 'right', render: (_, a) => yuan(a.netValue) },
          {
            title: t('月折旧额', 'Monthly'),
            align: 'right',
            render: (_, a) =>
              a.usefulLifeMonths === null ? t('不提折旧', 'Not depreciated') : yuan(a.monthlyDepreciation),
          },
          {
            title: t('取得', 'Acquired'),
            width: 130,
            render: (_, a) =>
              `${a.acquiredOn} ${t(...(ACQUIRED_HOW[a.acquiredHow] ?? [a.acquiredHow, a.acquiredHow]))}`,
          },
          {
            title: t('位置', 'Location'),
            render: (_, a) =>
              a.locationText ??
              (a.location ? `${a.location.lng.toFixed(5)}, ${a.location.lat.toFixed(5)}` : '—'),
          },
          {
            title: t('状态', 'State'),
            width: 80,
            render: (_, a) => {
              const [zh, en, color] = ASSET_STATE[a.state] ?? [a.state, a.state, 'default'];
              return <Tag color={color}>{t(zh, en)}</Tag>;
            },
          },
          {
            title: t('操作', 'Actions'),
            width: 130,
            render: (_, a) =>
              a.allowedActions.includes('edit') && a.state !== 'disposed' ? (
                <Space size={4}>
                  <Button size="small" onClick={() => setEditing(a)}>
                    {t('修改', 'Edit')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      Modal.confirm({
                        title: t(`处置资产 ${a.name}？`, `Dispose of ${a.name}?`),
                        content: t(
                          '处置后不再计提折旧，也不能再修改。',
                          'It is no longer depreciated or changed.',
                        ),
                        okText: t('处置', 'Dispose'),
                        cancelText: t('取消', 'Cancel'),
                        onOk: async () => {
                          await api.patch(`/api/finance/assets/${a.id}`, {
                            state: 'disposed',
                            expectedVersion: a.version,
                          });
                          void list.reload();
                        },
                      })
                    }
                  >
                    {t('处置', 'Dispose')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      {adding && (
        <FormDialog<AssetForm>
          title={t('登记资产', 'Register an asset')}
          okText={t('登记', 'Register')}
          width={680}
          initialValues={{
            category: 'building',
            isOperating: false,
            depreciated: true,
            usefulLifeYears: 20,
            acquiredHow: 'purchase',
            acquiredOn: dayjs(),
            lng: unit.data?.centroid?.lng,
            lat: unit.data?.centroid?.lat,
          }}
          onClose={(changed) => {
            setAdding(false);
            if (changed) void list.reload();
          }}
          onSubmit={async (v) => {
            await api.post(`/api/finance/books/${book.id}/assets`, {
              code: v.code,
              name: v.name,
              category: v.category,
              isOperating: v.isOperating,
              originalValue: money(v.originalValue),
              openingDepreciation: money(v.openingDepreciation),
              salvageValue: v.depreciated ? money(v.salvageValue) : 0,
              usefulLifeMonths:
                v.depreciated && v.usefulLifeYears ? Math.round(v.usefulLifeYears * 12) : null,
              acquiredOn: v.acquiredOn.format('YYYY-MM-DD'),
              acquiredHow: v.acquiredHow,
              location:
                v.lng !== undefined && v.lat !== undefined && v.lng !== null && v.lat !== null
                  ? { lng: v.lng, lat: v.lat }
                  : null,
              locationText: v.locationText || null,
              note: v.note || null,
            });
          }}
        >
          <Space wrap>
            <Form.Item name="code" label={t('资产编号', 'Code')} rules={[{ required: true, max: 30 }]}>
              <Input style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, max: 60 }]}>
              <Input style={{ width: 260 }} />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="category" label={t('类别', 'Category')} rules={[{ required: true }]}>
              <Select
                style={{ width: 160 }}
                options={Object.entries(ASSET_CATEGORY).map(([value, label]) => ({
                  value,
                  label: t(...label),
                }))}
              />
            </Form.Item>
            <Form.Item name="isOperating" label={t('经营性资产', 'Operating')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="acquiredHow" label={t('取得方式', 'Acquired by')} rules={[{ required: true }]}>
              <Select
                style={{ width: 130 }}
                options={Object.entries(ACQUIRED_HOW).map(([value, label]) => ({
                  value,
                  label: t(...label),
                }))}
              />
            </Form.Item>
            <Form.Item name="acquiredOn" label={t('取得日期', 'Acquired on')} rules={[{ required: true }]}>
              <DatePicker />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item
              name="originalValue"
              label={t('原值（元）', 'Original value (yuan)')}
              rules={[
                { required: true },
                { pattern: /^\d{1,13}(\.\d{1,2})?$/, message: t('金额最多两位小数', 'At most two decimals') },
              ]}
            >
              <Input inputMode="decimal" style={{ width: 160 }} />
            </Form.Item>
            <Form.Item
              name="openingDepreciation"
              label={t('建账前已提折旧（元）', 'Depreciation before these books')}
              rules={[
                { pattern: /^\d{1,13}(\.\d{1,2})?$/, message: t('金额最多两位小数', 'At most two decimals') },
              ]}
            >
              <Input inputMode="decimal" style={{ width: 160 }} />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="depreciated" label={t('计提折旧', 'Depreciated')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="usefulLifeYears" label={t('使用年限（年）', 'Useful life (years)')}>
              <InputNumber min={0.5} max={100} step={1} style={{ width: 120 }} />
            </Form.Item>
            <Form.Item
              name="salvageValue"
              label={t('预计净残值（元）', 'Salvage value (yuan)')}
              rules={[
                { pattern: /^\d{1,13}(\.\d{1,2})?$/, message: t('金额最多两位小数', 'At most two decimals') },
              ]}
            >
              <Input inputMode="decimal" style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <Typography.Paragraph type="secondary">
            {t(
              '平均年限法按月计提，取得当月不提、次月起提；最后一个月补足尾差。土地等不提折旧的资产请关闭“计提折旧”。',
              'Straight line by month from the month after acquisition; the last month takes the remainder. Turn “Depreciated” off for land and the like.',
            )}
          </Typography.Paragraph>
          <Space wrap>
            <Form.Item name="lng" label={t('经度', 'Longitude')}>
              <InputNumber min={73} max={136} step={0.0001} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="lat" label={t('纬度', 'Latitude')}>
              <InputNumber min={3} max={54} step={0.0001} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="locationText" label={t('位置说明', 'Where')}>
              <Input style={{ width: 220 }} placeholder={t('如：村委会大院', 'e.g. the committee yard')} />
            </Form.Item>
          </Space>
          <Form.Item name="note" label={t('备注（不公开）', 'Note (not public)')}>
            <Input />
          </Form.Item>
        </FormDialog>
      )}
      {editing && (
        <FormDialog<EditForm>
          title={t(`修改资产 ${editing.code}`, `Edit asset ${editing.code}`)}
          okText={t('保存', 'Save')}
          initialValues={{
            name: editing.name,
            isOperating: editing.isOperating,
            state: editing.state === 'disposed' ? 'in_use' : editing.state,
            lng: editing.location?.lng,
            lat: editing.location?.lat,
            locationText: editing.locationText ?? '',
            note: editing.note ?? '',
          }}
          onClose={(changed) => {
            setEditing(undefined);
            if (changed) void list.reload();
          }}
          onSubmit={async (v, _form, version) => {
            await api.patch(`/api/finance/assets/${editing.id}`, {
              name: v.name,
              isOperating: v.isOperating,
              state: v.state,
              location:
                typeof v.lng === 'number' && typeof v.lat === 'number' ? { lng: v.lng, lat: v.lat } : null,
              locationText: v.locationText || null,
              note: v.note || null,
              expectedVersion: version ?? editing.version,
            });
          }}
        >
          <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Space wrap>
            <Form.Item name="isOperating" label={t('经营性资产', 'Operating')} valuePropName="checked">
              <Switch />
            </Form.Item>
            <Form.Item name="state" label={t('状态', 'State')}>
              <Select
                style={{ width: 120 }}
                options={(['in_use', 'idle', 'let'] as const).map((value) => ({
                  value,
                  label: t(ASSET_STATE[value]![0], ASSET_STATE[value]![1]),
                }))}
              />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="lng" label={t('经度', 'Longitude')}>
              <InputNumber min={73} max={136} step={0.0001} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="lat" label={t('纬度', 'Latitude')}>
              <InputNumber min={3} max={54} step={0.0001} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="locationText" label={t('位置说明', 'Where')}>
              <Input style={{ width: 220 }} />
            </Form.Item>
          </Space>
          <Form.Item name="note" label={t('备注（不公开）', 'Note (not public)')}>
            <Input />
          </Form.Item>
          <Typography.Text type="secondary">
            {t(
              '原值、折旧年限等入账数据不能修改；如有差错，请处置后重新登记并以凭证调整。',
              'Values and useful life are fixed once registered; to correct them, dispose and register again with an adjusting voucher.',
            )}
          </Typography.Text>
        </FormDialog>
      )}
      {running && (
        <DepreciationDialog book={book} onClose={() => setRunning(false)} onRun={() => void list.reload()} />
      )}
    </Space>
  );
}

/** 计提折旧: pick a month, see each asset's charge and the voucher lines, then make the draft voucher. */
function DepreciationDialog({
  book,
  onClose,
  onRun,
}: {
  book: Book;
  onClose: () => void;
  onRun: () => void;
}) {
  const t = useT();
  const [period, setPeriod] = useState(dayjs().format('YYYY-MM'));
  const run = useRequest(
    () => api.get<DepreciationRun>(`/api/finance/books/${book.id}/depreciation?period=${period}`),
    `depreciation:${book.id}:${period}`,
  );
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const canKeep = book.allowedActions.includes('keep');
  return (
    <Modal
      open
      width={720}
      title={t('计提折旧', 'Depreciation run')}
      onCancel={onClose}
      footer={[
        <Button key="close" onClick={onClose}>
          {t('关闭', 'Close')}
        </Button>,
        canKeep && (
          <Button
            key="run"
            type="primary"
            loading={busy}
            disabled={!run.data || run.data.voucherId !== null || run.data.total === 0}
            onClick={async () => {
              setBusy(true);
              setError(undefined);
              try {
                await api.post(`/api/finance/books/${book.id}/depreciation`, { period });
                onRun();
                await run.reload();
              } catch (e) {
                if (e instanceof ApiError) setError(e);
                else throw e;
              } finally {
                setBusy(false);
              }
            }}
          >
            {t('生成折旧凭证', 'Make the voucher')}
          </Button>
        ),
      ]}
    >
      <Space direction="vertical" style={{ width: '100%' }}>
        <DatePicker
          picker="month"
          value={dayjs(`${period}-01`)}
          allowClear={false}
          onChange={(value) => value && setPeriod(value.format('YYYY-MM'))}
          aria-label={t('会计期间', 'Month')}
        />
        {error && <Alert type="error" message={error.text()} />}
        {run.error && <Alert type="error" message={run.error.text()} />}
        {run.data && (
          <>
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('本月折旧合计', 'Total')}>{yuan(run.data.total)}</Descriptions.Item>
              <Descriptions.Item label={t('凭证', 'Voucher')}>
                {run.data.voucherId
                  ? t(
                      `已生成（${run.data.voucherState === 'posted' ? '已入账' : '待审批入账'}）`,
                      `Made (${run.data.voucherState})`,
                    )
                  : t('未生成（预览）', 'Not made yet (preview)')}
              </Descriptions.Item>
            </Descriptions>
            <Table
              size="small"
              rowKey="assetId"
              pagination={false}
              dataSource={run.data.items}
              locale={{ emptyText: t('本月没有需要计提折旧的资产', 'No asset is depreciated this month') }}
              columns={[
                { title: t('编号', 'Code'), dataIndex: 'code', width: 90 },
                { title: t('名称', 'Name'), dataIndex: 'name' },
                { title: t('费用科目', 'Expense'), dataIndex: 'expenseAccount', width: 90 },
                {
                  title: t('折旧额', 'Amount'),
                  align: 'right',
                  render: (_, i) => (
                    <>
                      {yuan(i.amount)} {i.isLastMonth && <Tag>{t('末月补差', 'last month')}</Tag>}
                    </>
                  ),
                },
              ]}
            />
            <Typography.Text type="secondary">
              {t('凭证分录：', 'Voucher lines: ')}
              {run.data.lines
                .map((l) =>
                  l.debit > 0
                    ? `借 ${l.accountCode} ${formatFen(l.debit)}`
                    : `贷 ${l.accountCode} ${formatFen(l.credit)}`,
                )
                .join('；')}
            </Typography.Text>
          </>
        )}
      </Space>
    </Modal>
  );
}
