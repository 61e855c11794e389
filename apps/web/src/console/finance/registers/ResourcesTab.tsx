import { formatFen, type Book, type Resource } from '@minqing/contract';
import { Alert, Button, Form, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { api } from '../../../shared/api.ts';
import { useT } from '../../../shared/i18n.ts';
import { FormDialog } from '../../common/FormDialog.tsx';
import { useRequest } from '../../shell/use-request.ts';
import { LET_HOW, RESOURCE_KIND } from './labels.ts';

interface ResourceForm {
  code: string;
  name: string;
  kind: string;
  areaMu: number;
  certificateNo?: string;
  letHow: string;
  geometryText?: string;
  note?: string;
}

/** Reads the outline typed or pasted as GeoJSON (a Polygon, a MultiPolygon or a Feature holding one). */
function parseOutline(text: string | undefined): unknown {
  if (!text?.trim()) return null;
  const value = JSON.parse(text) as { type?: string; geometry?: unknown };
  return value.type === 'Feature' ? value.geometry : value;
}

/**
 * 资源登记簿: the village's land, forest, water surface… with area, outline, certificate, how it is let
 * and the contract letting it (the holder in full: this is the finance people's console).
 */
export default function ResourcesTab({ book }: { book: Book }) {
  const t = useT();
  const list = useRequest(
    () => api.get<{ items: Resource[] }>(`/api/finance/books/${book.id}/resources`),
    `resources:${book.id}`,
  );
  const [adding, setAdding] = useState(false);
  const canKeep = book.allowedActions.includes('keep') || book.allowedActions.includes('start');
  const totalCentimu = (list.data?.items ?? []).reduce((sum, r) => sum + Math.round(r.areaMu * 100), 0);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {list.error && <Alert type="error" message={list.error.text()} />}
      <Space wrap>
        {canKeep && (
          <Button type="primary" onClick={() => setAdding(true)}>
            {t('登记资源', 'Register a resource')}
          </Button>
        )}
        <span>
          {t(
            `共 ${list.data?.items.length ?? 0} 项，${(totalCentimu / 100).toFixed(2)} 亩`,
            `${list.data?.items.length ?? 0} entries, ${(totalCentimu / 100).toFixed(2)} mu`,
          )}
        </span>
      </Space>
      <Table<Resource>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.data?.items ?? []}
        locale={{
          emptyText: t(
            '还没有登记资源。耕地、林地、水面等集体资源在这里登记，连同边界和承包合同。',
            'No resources yet. Register the collective land, forest and water here, with outlines and contracts.',
          ),
        }}
        columns={[
          { title: t('编号', 'Code'), dataIndex: 'code', width: 90 },
          { title: t('名称', 'Name'), dataIndex: 'name' },
          {
            title: t('类别', 'Kind'),
            width: 90,
            render: (_, r) => t(...(RESOURCE_KIND[r.kind] ?? [r.kind, r.kind])),
          },
          {
            title: t('面积（亩）', 'Area (mu)'),
            align: 'right',
            width: 100,
            render: (_, r) => r.areaMu.toFixed(2),
          },
          {
            title: t('经营方式', 'Let as'),
            width: 90,
            render: (_, r) => t(...(LET_HOW[r.letHow] ?? [r.letHow, r.letHow])),
          },
          {
            title: t('承包/承租方', 'Holder'),
            render: (_, r) => r.contract?.holderName ?? '—',
          },
          {
            title: t('期限', 'Term'),
            render: (_, r) => (r.contract ? `${r.contract.startDate} ~ ${r.contract.endDate}` : '—'),
          },
          {
            title: t('年租金', 'Annual rent'),
            align: 'right',
            render: (_, r) => (r.contract ? `¥${formatFen(r.contract.annualRent)}` : '—'),
          },
          {
            title: t('权证号', 'Certificate'),
            dataIndex: 'certificateNo',
            render: (v: string | null) => v ?? '—',
          },
          {
            title: t('边界', 'Outline'),
            width: 80,
            render: (_, r) =>
              r.geometry ? <Tag color="green">{t('已绘', 'Drawn')}</Tag> : <Tag>{t('未绘', 'None')}</Tag>,
          },
        ]}
      />
      {adding && (
        <FormDialog<ResourceForm>
          title={t('登记资源', 'Register a resource')}
          okText={t('登记', 'Register')}
          width={640}
          initialValues={{ kind: 'cultivated', letHow: 'unlet' }}
          onClose={(changed) => {
            setAdding(false);
            if (changed) void list.reload();
          }}
          onSubmit={async (values) => {
            const { geometryText, ...rest } = values;
            await api.post(`/api/finance/books/${book.id}/resources`, {
              ...rest,
              certificateNo: rest.certificateNo || null,
              note: rest.note || null,
              geometry: parseOutline(geometryText),
            });
          }}
        >
          <Form.Item name="code" label={t('资源编号', 'Code')} rules={[{ required: true, max: 30 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label={t('名称', 'Name')} rules={[{ required: true, max: 60 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('类别', 'Kind')} rules={[{ required: true }]}>
            <Select
              options={Object.entries(RESOURCE_KIND).map(([value, label]) => ({ value, label: t(...label) }))}
            />
          </Form.Item>
          <Form.Item
            name="areaMu"
            label={t('面积（亩，两位小数）', 'Area (mu, two decimals)')}
            rules={[{ required: true }]}
          >
            <InputNumber min={0.01} step={0.01} precision={2} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="letHow" label={t('经营方式', 'Let as')} rules={[{ required: true }]}>
            <Select
              options={Object.entries(LET_HOW).map(([value, label]) => ({ value, label: t(...label) }))}
            />
          </Form.Item>
          <Form.Item name="certificateNo" label={t('所有权证号', 'Ownership certificate')}>
            <Input />
          </Form.Item>
          <Form.Item
            name="geometryText"
            label={t('边界（GeoJSON 多边形，WGS-84）', 'Outline (GeoJSON polygon, WGS-84)')}
            extra={t(
              '可从测绘成果或地图工具导出后粘贴；须闭合、不自相交，且在本村范围附近。',
              'Paste from a survey or a map tool; it must be closed, not cross itself, and lie in or near the village.',
            )}
            rules={[
              {
                validator: async (_, value: string | undefined) => {
                  parseOutline(value);
                },
                message: t('不是有效的 JSON', 'Not valid JSON'),
              },
            ]}
          >
            <Input.TextArea rows={4} spellCheck={false} />
          </Form.Item>
          <Form.Item name="note" label={t('备注', 'Note')}>
            <Input />
          </Form.Item>
        </FormDialog>
      )}
    </Space>
  );
}
