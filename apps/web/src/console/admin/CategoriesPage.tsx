import { ORG_KINDS, type Category, type CategoryDictionary, type TimeLimitInput } from '@minqing/contract';
import {
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { FormDialog, type ShownFields } from '../common/FormDialog.tsx';
import { forgetCached } from '../common/data.ts';
import { useRequest } from '../shell/use-request.ts';
import { ORG_KIND_LABELS } from './OrganisationsPage.tsx';

const UNITS: { value: TimeLimitInput['unit']; zh: string; en: string }[] = [
  { value: 'working_hours', zh: '工作时', en: 'working hours' },
  { value: 'working_days', zh: '工作日', en: 'working days' },
  { value: 'calendar_hours', zh: '自然时', en: 'hours' },
  { value: 'calendar_days', zh: '自然日', en: 'days' },
];

function LimitField({ name, label }: { name: (string | number)[]; label: string }) {
  const t = useT();
  const [language] = useLanguage();
  return (
    <Form.Item label={label} required>
      <Space.Compact>
        <Form.Item
          name={[...name, 'amount']}
          noStyle
          rules={[
            { required: true, message: t('请填写时限', 'Enter the limit') },
            { type: 'number', min: 0.1, max: 1000 },
          ]}
        >
          <InputNumber min={0.1} max={1000} step={0.5} aria-label={`${label} ${t('数量', 'amount')}`} />
        </Form.Item>
        <Form.Item name={[...name, 'unit']} noStyle rules={[{ required: true }]}>
          <Select
            style={{ width: 110 }}
            aria-label={`${label} ${t('单位', 'unit')}`}
            options={UNITS.map((u) => ({ value: u.value, label: language === 'zh' ? u.zh : u.en }))}
          />
        </Form.Item>
      </Space.Compact>
    </Form.Item>
  );
}

function limitText(limit: TimeLimitInput | undefined, language: string): string {
  if (!limit) return '—';
  const unit = UNITS.find((u) => u.value === limit.unit)!;
  return `${limit.amount} ${language === 'zh' ? unit.zh : unit.en}`;
}

type CategoryForm = {
  code: string;
  nameZh: string;
  nameEn: string;
  majorNameZh?: string;
  majorNameEn?: string;
  acceptanceStandard?: string;
  closureStandard?: string;
  timeLimits: Category['timeLimits'];
  defaultOrgKind?: string | null;
  isSensitive?: boolean;
};

/** The category dictionary (GB/T 30428.2 shape) with each minor class's standards and time limits. */
export default function CategoriesPage() {
  const t = useT();
  const [language] = useLanguage();
  const { message } = App.useApp();
  const dictionary = useRequest(
    () => api.get<CategoryDictionary>(`/api/categories${query({ includeInactive: true })}`),
    'categories:all',
  );
  const [editing, setEditing] = useState<Category | 'new'>();
  const rows = (dictionary.data?.groups ?? []).flatMap((g) => g.categories);
  const shownFields = (c: Category): ShownFields => ({
    nameZh: { label: t('名称（中文）', 'Name (Chinese)'), value: c.name.zh },
    nameEn: { label: t('名称（英文）', 'Name (English)'), value: c.name.en },
    accept: { label: t('受理派遣时限', 'Accept limit'), value: limitText(c.timeLimits.accept, language) },
    normal: {
      label: t('处置时限（一般）', 'Handling limit'),
      value: limitText(c.timeLimits.handle.normal, language),
    },
    urgent: {
      label: t('处置时限（紧急）', 'Urgent handling limit'),
      value: limitText(c.timeLimits.handle.urgent, language),
    },
    followUp: { label: t('回访时限', 'Follow-up limit'), value: limitText(c.timeLimits.followUp, language) },
    acceptanceStandard: { label: t('受理标准', 'Acceptance standard'), value: c.acceptanceStandard || '—' },
    closureStandard: { label: t('结案标准', 'Closure standard'), value: c.closureStandard || '—' },
    isActive: {
      label: t('状态', 'Status'),
      value: c.isActive ? t('启用', 'Active') : t('已停用', 'Inactive'),
    },
  });
  const refresh = async () => {
    forgetCached('categories');
    await dictionary.reload();
  };
  const toggle = async (category: Category) => {
    try {
      await api.post(`/api/categories/${category.code}/${category.isActive ? 'deactivate' : 'activate'}`, {
        expectedVersion: category.version,
      });
    } catch (caught) {
      message.error((caught as ApiError).text());
    }
    await refresh();
  };
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('事件分类与时限', 'Categories and time limits')}
      </Typography.Title>
      <Card
        size="small"
        extra={
          dictionary.data?.allowedActions.includes('create') && (
            <Button type="primary" onClick={() => setEditing('new')}>
              {t('新增小类', 'New minor class')}
            </Button>
          )
        }
      >
        <Table<Category>
          size="small"
          rowKey="code"
          loading={dictionary.loading}
          dataSource={rows}
          pagination={{ pageSize: 25 }}
          columns={[
            { title: t('代码', 'Code'), dataIndex: 'code', width: 70 },
            { title: t('大类', 'Major'), render: (_, c) => pick(c.majorName, language) },
            { title: t('小类', 'Minor'), render: (_, c) => pick(c.name, language) },
            { title: t('受理派遣', 'Accept'), render: (_, c) => limitText(c.timeLimits.accept, language) },
            {
              title: t('处置（一般/紧急）', 'Handle (normal/urgent)'),
              render: (_, c) =>
                `${limitText(c.timeLimits.handle.normal, language)} / ${limitText(c.timeLimits.handle.urgent, language)}`,
            },
            { title: t('回访', 'Follow-up'), render: (_, c) => limitText(c.timeLimits.followUp, language) },
            {
              title: t('敏感', 'Sensitive'),
              render: (_, c) => (c.isSensitive ? <Tag color="orange">{t('是', 'yes')}</Tag> : ''),
            },
            {
              title: t('状态', 'Status'),
              render: (_, c) =>
                c.isActive ? (
                  <Tag color="green">{t('启用', 'Active')}</Tag>
                ) : (
                  <Tag>{t('停用', 'Inactive')}</Tag>
                ),
            },
            {
              title: '',
              render: (_, c) => (
                <Space>
                  {c.allowedActions.includes('update') && (
                    <Button size="small" onClick={() => setEditing(c)}>
                      {t('修改', 'Edit')}
                    </Button>
                  )}
                  {(c.allowedActions.includes('deactivate') || c.allowedActions.includes('activate')) && (
                    <Button size="small" danger={c.isActive} onClick={() => void toggle(c)}>
                      {c.isActive ? t('停用', 'Deactivate') : t('启用', 'Activate')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && (
        <FormDialog<CategoryForm>
          width={720}
          title={
            editing === 'new'
              ? t('新增小类', 'New minor class')
              : t(`修改 ${editing.code}`, `Edit ${editing.code}`)
          }
          okText={t('保存', 'Save')}
          initialValues={
            editing === 'new'
              ? {
                  timeLimits: {
                    accept: { amount: 2, unit: 'working_hours' },
                    handle: {
                      normal: { amount: 2, unit: 'working_days' },
                      urgent: { amount: 4, unit: 'working_hours' },
                    },
                    followUp: { amount: 3, unit: 'working_days' },
                  },
                  isSensitive: false,
                }
              : {
                  code: editing.code,
                  nameZh: editing.name.zh,
                  nameEn: editing.name.en,
                  acceptanceStandard: editing.acceptanceStandard,
                  closureStandard: editing.closureStandard,
                  timeLimits: editing.timeLimits,
                  defaultOrgKind: editing.defaultOrgKind,
                  isSensitive: editing.isSensitive,
                }
          }
          onClose={async (changed) => {
            setEditing(undefined);
            if (changed) await refresh();
          }}
          conflict={
            editing === 'new'
              ? undefined
              : {
                  shown: shownFields(editing),
                  load: async () => {
                    const all = await api.get<CategoryDictionary>(
                      `/api/categories${query({ includeInactive: true })}`,
                    );
                    const now = all.groups.flatMap((g) => g.categories).find((c) => c.code === editing.code)!;
                    return {
                      version: now.version,
                      fields: shownFields(now),
                      values: {
                        nameZh: now.name.zh,
                        nameEn: now.name.en,
                        acceptanceStandard: now.acceptanceStandard,
                        closureStandard: now.closureStandard,
                        timeLimits: now.timeLimits,
                        defaultOrgKind: now.defaultOrgKind,
                        isSensitive: now.isSensitive,
                      },
                    };
                  },
                }
          }
          onSubmit={async (values, _form, version) => {
            const body = {
              nameZh: values.nameZh.trim(),
              nameEn: values.nameEn.trim(),
              acceptanceStandard: values.acceptanceStandard?.trim() ?? '',
              closureStandard: values.closureStandard?.trim() ?? '',
              timeLimits: values.timeLimits,
              defaultOrgKind: values.defaultOrgKind ?? null,
              isSensitive: values.isSensitive ?? false,
              ...(values.majorNameZh?.trim() ? { majorNameZh: values.majorNameZh.trim() } : {}),
              ...(values.majorNameEn?.trim() ? { majorNameEn: values.majorNameEn.trim() } : {}),
            };
            if (editing === 'new') await api.post('/api/categories', { code: values.code, ...body });
            else
              await api.patch(`/api/categories/${editing.code}`, {
                expectedVersion: version ?? editing.version,
                ...body,
              });
          }}
        >
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item
                name="code"
                label={t('代码（大类2位+小类2位）', 'Code (2+2 digits)')}
                rules={[
                  { required: true },
                  {
                    pattern: /^(0[1-9]|[1-9][0-9])(0[1-9]|[1-9][0-9])$/,
                    message: t('4 位数字，大类和小类均从 01 起', '4 digits, each part from 01'),
                  },
                ]}
              >
                <Input disabled={editing !== 'new'} maxLength={4} inputMode="numeric" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="nameZh"
                label={t('中文名称', 'Chinese name')}
                rules={[{ required: true, whitespace: true }, { max: 40 }]}
              >
                <Input />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item
                name="nameEn"
                label={t('英文名称', 'English name')}
                rules={[{ required: true, whitespace: true }, { max: 100 }]}
              >
                <Input />
              </Form.Item>
            </Col>
          </Row>
          {editing === 'new' && (
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item
                  name="majorNameZh"
                  label={t('大类中文名（新大类时填写）', 'Major class, Chinese (new major only)')}
                >
                  <Input />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="majorNameEn" label={t('大类英文名', 'Major class, English')}>
                  <Input />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Row gutter={12}>
            <Col span={12}>
              <LimitField name={['timeLimits', 'accept']} label={t('受理派遣时限', 'Accept and dispatch')} />
            </Col>
            <Col span={12}>
              <LimitField name={['timeLimits', 'followUp']} label={t('回访时限', 'Follow-up window')} />
            </Col>
            <Col span={12}>
              <LimitField
                name={['timeLimits', 'handle', 'normal']}
                label={t('处置时限（一般）', 'Handling (normal)')}
              />
            </Col>
            <Col span={12}>
              <LimitField
                name={['timeLimits', 'handle', 'urgent']}
                label={t('处置时限（紧急）', 'Handling (urgent)')}
              />
            </Col>
          </Row>
          <Form.Item
            name="acceptanceStandard"
            label={t('立案标准', 'Acceptance standard')}
            rules={[{ max: 1000 }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.Item name="closureStandard" label={t('结案标准', 'Closure standard')} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="defaultOrgKind" label={t('默认处置单位类型', 'Default organisation kind')}>
                <Select
                  allowClear
                  options={ORG_KINDS.map((k) => ({
                    value: k,
                    label: t(ORG_KIND_LABELS[k]![0], ORG_KIND_LABELS[k]![1]),
                  }))}
                />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item
                name="isSensitive"
                label={t('敏感（纠纷、个人求助）', 'Sensitive (disputes, personal help)')}
                valuePropName="checked"
              >
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        </FormDialog>
      )}
    </Space>
  );
}
