import type { BulkCaseResult, Case } from '@minqing/contract';
import { Alert, Form, Input, Modal, Result, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { loadTeams } from '../common/data.ts';
import { useRequest } from '../shell/use-request.ts';

/**
 * One action on the selected cases (批量受理/派遣/催办). The server takes each case on its own and
 * answers case by case; the summary shows what succeeded and, for every refusal, the reason.
 */
export function BulkDialog({
  action,
  cases,
  onClose,
}: {
  action: 'accept' | 'dispatch' | 'remind';
  cases: Case[];
  onClose: (changed: boolean) => void;
}) {
  const t = useT();
  const [language] = useLanguage();
  const [form] = Form.useForm<{ orgId?: string; note?: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [result, setResult] = useState<BulkCaseResult>();
  const unitId = cases[0]?.communityId ?? cases[0]?.streetId;
  const teams = useRequest(
    unitId && action === 'dispatch' ? () => loadTeams(unitId) : null,
    `teams:${unitId}`,
  );
  const title =
    action === 'accept'
      ? t('批量受理', 'Accept all')
      : action === 'dispatch'
        ? t('批量派遣', 'Dispatch all')
        : t('批量催办', 'Remind all');
  const categories = [...new Set(cases.map((c) => pick(c.category.name, language)))];

  if (result) {
    const codes = new Map(cases.map((c) => [c.id, c.code]));
    return (
      <Modal
        open
        title={title}
        onOk={() => onClose(true)}
        onCancel={() => onClose(true)}
        cancelButtonProps={{ style: { display: 'none' } }}
        okText={t('完成', 'Done')}
        width={720}
      >
        <Result
          status={
            result.refused.length === 0 ? 'success' : result.succeeded.length === 0 ? 'error' : 'warning'
          }
          title={t(
            `成功 ${result.succeeded.length} 件，未执行 ${result.refused.length} 件`,
            `${result.succeeded.length} done, ${result.refused.length} refused`,
          )}
          style={{ padding: 12 }}
        />
        {result.refused.length > 0 && (
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={result.refused}
            columns={[
              {
                title: t('编号', 'Number'),
                render: (_, row) => row.code ?? codes.get(row.id) ?? row.id.slice(0, 8),
              },
              { title: t('原因', 'Reason'), render: (_, row) => pick(row.message, language) },
            ]}
          />
        )}
      </Modal>
    );
  }

  return (
    <Modal
      open
      title={title}
      okText={t(`确定（${cases.length} 件）`, `Go (${cases.length})`)}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
    >
      <Typography.Paragraph>
        {t(`已选 ${cases.length} 件事件：`, `${cases.length} cases: `)}
        {categories.join('、')}
      </Typography.Paragraph>
      {categories.length > 1 && action === 'dispatch' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(
            '所选事件分类不同，请确认派给同一单位是否合适。',
            'The cases are of different categories: check that one organisation fits all.',
          )}
        />
      )}
      {error && <Alert type="error" showIcon title={error.text()} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={async (values) => {
          setBusy(true);
          setError(undefined);
          try {
            setResult(
              await api.post<BulkCaseResult>('/api/console/cases/bulk', {
                action,
                cases: cases.map((c) => ({ id: c.id, expectedVersion: c.version })),
                ...(values.orgId ? { orgId: values.orgId } : {}),
                ...(values.note?.trim() ? { note: values.note.trim() } : {}),
              }),
            );
          } catch (caught) {
            setError(caught as ApiError);
          } finally {
            setBusy(false);
          }
        }}
      >
        {action === 'dispatch' && (
          <Form.Item
            name="orgId"
            label={t('处置单位', 'Organisation')}
            extra={t(
              '不选则按分拨规则派给各事件的责任单位。',
              'Leave empty to use each case’s routed organisation.',
            )}
          >
            <Select
              allowClear
              loading={teams.loading}
              placeholder={t('按分拨规则', 'As routed')}
              options={(teams.data ?? []).map((org) => ({ value: org.id, label: org.name }))}
            />
          </Form.Item>
        )}
        <Form.Item name="note" label={t('备注（可选）', 'Note (optional)')} rules={[{ max: 1000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
