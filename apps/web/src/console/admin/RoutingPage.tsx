import type { CategoryDictionary, Organisation, RouteTestResult, RoutingRule } from '@minqing/contract';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { FormDialog } from '../common/FormDialog.tsx';
import { loadCategories, loadTeams } from '../common/data.ts';
import { roleUnits, useSession } from '../shell/session.tsx';
import { useRequest } from '../shell/use-request.ts';

function categoryOptions(
  dictionary: CategoryDictionary | undefined,
  language: 'zh' | 'en',
  withWildcards: boolean,
) {
  const out: { value: string; label: string }[] = withWildcards
    ? [{ value: '*', label: language === 'zh' ? '* 全部分类' : '* every category' }]
    : [];
  for (const group of dictionary?.groups ?? []) {
    if (withWildcards)
      out.push({ value: group.majorCode, label: `${group.majorCode} ${pick(group.name, language)}` });
    for (const c of group.categories)
      out.push({ value: c.code, label: `${c.code} ${pick(c.name, language)}` });
  }
  return out;
}

/** Routing rules (分拨规则) and the "test this location and category" tool. */
export default function RoutingPage() {
  const { me } = useSession();
  const t = useT();
  const [language] = useLanguage();
  const { message } = App.useApp();
  const units = roleUnits(me).filter((u) => ['street', 'community', 'grid'].includes(u.kind));
  const [unitId, setUnitId] = useState(units[0]?.id);
  const rules = useRequest(
    () => api.get<{ items: RoutingRule[] }>(`/api/routing/rules${query({ unitId, includeInactive: true })}`),
    `rules:${unitId}`,
  );
  const categories = useRequest(loadCategories, 'categories');
  const [creating, setCreating] = useState(false);
  const [result, setResult] = useState<RouteTestResult>();
  const [testError, setTestError] = useState<ApiError>();
  const [testing, setTesting] = useState(false);

  const toggle = async (rule: RoutingRule) => {
    try {
      await api.post(`/api/routing/rules/${rule.id}/${rule.isActive ? 'deactivate' : 'activate'}`, {
        expectedVersion: rule.version,
      });
    } catch (caught) {
      message.error((caught as ApiError).text());
    }
    await rules.reload();
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('分拨规则', 'Routing rules')}
      </Typography.Title>
      <Card size="small" title={t('测试：这个位置、这个分类会派给谁？', 'Test: where would this report go?')}>
        <Form
          layout="inline"
          onFinish={async (values: { lng: number; lat: number; category: string }) => {
            setTesting(true);
            setTestError(undefined);
            try {
              setResult(await api.get<RouteTestResult>(`/api/routing/resolve${query(values)}`));
            } catch (caught) {
              setTestError(caught as ApiError);
              setResult(undefined);
            } finally {
              setTesting(false);
            }
          }}
        >
          <Form.Item
            name="lng"
            label={t('经度', 'Longitude')}
            rules={[{ required: true }, { type: 'number', min: -180, max: 180 }]}
          >
            <InputNumber step={0.0001} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item
            name="lat"
            label={t('纬度', 'Latitude')}
            rules={[{ required: true }, { type: 'number', min: -90, max: 90 }]}
          >
            <InputNumber step={0.0001} style={{ width: 140 }} />
          </Form.Item>
          <Form.Item
            name="category"
            label={t('分类', 'Category')}
            rules={[{ required: true, message: t('请选择分类', 'Choose a category') }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: 220 }}
              options={categoryOptions(categories.data, language, false)}
            />
          </Form.Item>
          <Button htmlType="submit" type="primary" loading={testing}>
            {t('测试', 'Test')}
          </Button>
        </Form>
        {testError && <Alert type="error" showIcon title={testError.text()} style={{ marginTop: 12 }} />}
        {result && (
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, md: 2 }}
            style={{ marginTop: 12 }}
            data-testid="route-result"
          >
            <Descriptions.Item label={t('位置', 'Location')}>
              {result.location
                ? [result.location.street.name, result.location.community?.name, result.location.grid?.name]
                    .filter(Boolean)
                    .join(' / ')
                : t('不在任何街道内', 'Outside every street')}
            </Descriptions.Item>
            <Descriptions.Item label={t('处置单位', 'Organisation')}>
              {result.org ? (
                result.org.name
              ) : (
                <Typography.Text type="warning">
                  {t('没有规则或默认单位能处理', 'No rule or default organisation answers')}
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('依据', 'Because of')} span={2}>
              {result.matchedBy === 'rule' && result.rule
                ? t(
                    `规则：${result.rule.category} @ ${result.rule.unit.name}`,
                    `Rule ${result.rule.category} @ ${result.rule.unit.name}`,
                  )
                : result.matchedBy === 'default_org_kind'
                  ? t('分类的默认处置单位类型', 'The category’s default organisation kind')
                  : '—'}
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>
      <Card
        size="small"
        title={
          units.length > 1 ? (
            <Select
              aria-label={t('单位', 'Unit')}
              value={unitId}
              onChange={setUnitId}
              options={units.map((u) => ({ value: u.id, label: u.name }))}
              style={{ width: 200 }}
            />
          ) : (
            units[0]?.name
          )
        }
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('新增规则', 'New rule')}
          </Button>
        }
      >
        <Table<RoutingRule>
          size="small"
          rowKey="id"
          loading={rules.loading}
          dataSource={rules.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('分类', 'Category'),
              render: (_, r) =>
                `${r.category} ${r.categoryName ? pick(r.categoryName, language) : t('全部', 'all')}`,
            },
            { title: t('范围', 'Within'), render: (_, r) => r.unit.name },
            { title: t('处置单位', 'Organisation'), render: (_, r) => r.org.name },
            { title: t('说明', 'Note'), dataIndex: 'note' },
            {
              title: t('状态', 'Status'),
              render: (_, r) =>
                r.isActive ? (
                  <Tag color="green">{t('启用', 'Active')}</Tag>
                ) : (
                  <Tag>{t('停用', 'Inactive')}</Tag>
                ),
            },
            {
              title: '',
              render: (_, r) =>
                (r.allowedActions.includes('deactivate') || r.allowedActions.includes('activate')) && (
                  <Button size="small" danger={r.isActive} onClick={() => void toggle(r)}>
                    {r.isActive ? t('停用', 'Deactivate') : t('启用', 'Activate')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      {creating && unitId && (
        <NewRuleDialog
          unitId={unitId}
          categories={categoryOptions(categories.data, language, true)}
          onClose={async (changed) => {
            setCreating(false);
            if (changed) await rules.reload();
          }}
        />
      )}
    </Space>
  );
}

function NewRuleDialog({
  unitId,
  categories,
  onClose,
}: {
  unitId: string;
  categories: { value: string; label: string }[];
  onClose: (changed: boolean) => void;
}) {
  const t = useT();
  const teams = useRequest(() => loadTeams(unitId), `teams:${unitId}`);
  return (
    <FormDialog<{ category: string; orgId: string; note?: string }>
      title={t('新增分拨规则', 'New routing rule')}
      okText={t('保存', 'Save')}
      onClose={onClose}
      onSubmit={async (values) => {
        await api.post('/api/routing/rules', {
          category: values.category,
          unitId,
          orgId: values.orgId,
          ...(values.note?.trim() ? { note: values.note.trim() } : {}),
        });
      }}
    >
      <Row gutter={12}>
        <Col span={24}>
          <Form.Item
            name="category"
            label={t('分类（小类、大类或 *）', 'Category (minor, major or *)')}
            rules={[{ required: true }]}
          >
            <Select showSearch optionFilterProp="label" options={categories} />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="orgId" label={t('处置单位', 'Organisation')} rules={[{ required: true }]}>
            <Select
              loading={teams.loading}
              options={(teams.data ?? []).map((o: Organisation) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
        </Col>
        <Col span={24}>
          <Form.Item name="note" label={t('说明（可选）', 'Note (optional)')} rules={[{ max: 500 }]}>
            <Input />
          </Form.Item>
        </Col>
      </Row>
    </FormDialog>
  );
}
