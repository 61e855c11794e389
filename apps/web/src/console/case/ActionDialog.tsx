import type {
  Case,
  CaseAction,
  CaseDetail,
  CasePage,
  Category,
  OrganisationDetail,
  TimeLimitInput,
  UnitTreeNode,
  Upload as UploadRecord,
} from '@minqing/contract';
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { loadTeams } from '../common/data.ts';
import { formatTime } from '../shell/format.ts';
import { ACTION_LABELS, RATING_LABELS } from '../shell/labels.ts';
import { useRequest } from '../shell/use-request.ts';
import type { CaseChange } from './changes.ts';

/** Actions whose body carries expectedVersion (optimistic concurrency): a stale one answers 409. */
const VERSIONED: CaseAction[] = [
  'accept',
  'reject',
  'dispatch',
  'return',
  'start',
  'submit',
  'verify',
  'rate',
  'follow-up',
  'merge',
  'assign-grid',
];

/** The fields each action's body takes (besides expectedVersion and photos). */
const FIELDS: Record<CaseAction, (keyof Values)[]> = {
  accept: ['note'],
  reject: ['reason'],
  dispatch: ['orgId', 'assigneeId', 'note'],
  return: ['reason'],
  start: ['note'],
  submit: ['result'],
  verify: ['passed', 'note'],
  rate: ['rating', 'comment'],
  'follow-up': ['method', 'rating', 'comment'],
  merge: ['intoCaseId', 'note'],
  note: ['text'],
  remind: ['note'],
  escalate: ['reason'],
  'assign-grid': ['gridId'],
};

interface Values {
  note?: string;
  reason?: string;
  result?: string;
  text?: string;
  orgId?: string;
  assigneeId?: string;
  passed?: boolean;
  method?: 'phone' | 'visit';
  rating?: string;
  comment?: string;
  intoCaseId?: string;
  gridId?: string;
}

const UNIT_NAMES: Record<TimeLimitInput['unit'], [string, string]> = {
  working_hours: ['个工作时', 'working hours'],
  working_days: ['个工作日', 'working days'],
  calendar_hours: ['小时', 'hours'],
  calendar_days: ['天', 'days'],
};

function limitText(limit: TimeLimitInput | undefined, zh: boolean): string {
  if (!limit) return '—';
  const [cn, en] = UNIT_NAMES[limit.unit];
  return zh ? `${limit.amount} ${cn}` : `${limit.amount} ${en}`;
}

/**
 * One workflow action: asks only for what that action needs, sends it with the version the person
 * saw, and keeps what they typed whatever happens. A 409 stale_version shows what someone else
 * changed meanwhile and lets them send the same input again against the current case.
 */
export function ActionDialog({
  action,
  current,
  category,
  onDone,
  reload,
}: {
  action: CaseAction;
  current: CaseDetail;
  category: Category | undefined;
  onDone: (updated: Case | null, message?: string) => void;
  reload: () => Promise<{
    fresh: CaseDetail;
    changes: { fields: CaseChange[]; entries: CaseDetail['timeline'] };
  }>;
}) {
  const t = useT();
  const [language] = useLanguage();
  const zh = language === 'zh';
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [version, setVersion] = useState(current.version);
  const [conflict, setConflict] = useState<{
    fields: CaseChange[];
    entries: CaseDetail['timeline'];
    fresh: CaseDetail;
  }>();
  const [photoIds, setPhotoIds] = useState<string[]>([]);
  const orgId = Form.useWatch('orgId', form) ?? current.org?.id;
  const unitId = current.communityId ?? current.streetId;

  const teams = useRequest(action === 'dispatch' ? () => loadTeams(unitId) : null, `teams:${unitId}`);
  const members = useRequest(
    action === 'dispatch' && orgId ? () => api.get<OrganisationDetail>(`/api/organisations/${orgId}`) : null,
    `org:${orgId}`,
  );
  const grids = useRequest(
    action === 'assign-grid' && current.communityId
      ? () => api.get<{ root: UnitTreeNode }>(`/api/units/${current.communityId}/tree${query({ depth: 1 })}`)
      : null,
    `grids:${current.communityId}`,
  );
  const [mergeSearch, setMergeSearch] = useState('');
  const candidates = useRequest(
    action === 'merge' && mergeSearch.length >= 2
      ? () => api.get<CasePage>(`/api/cases${query({ q: mergeSearch, limit: 20 })}`)
      : null,
    `merge:${mergeSearch}`,
  );

  const send = async (values: Values, expected: number) => {
    setBusy(true);
    setError(undefined);
    const body: Record<string, unknown> = VERSIONED.includes(action) ? { expectedVersion: expected } : {};
    const keep = (key: keyof Values) => {
      const value = values[key];
      if (typeof value === 'string' ? value.trim() : value !== undefined)
        body[key] = typeof value === 'string' ? value.trim() : value;
    };
    for (const key of FIELDS[action]) keep(key);
    if (photoIds.length > 0 && ['start', 'submit', 'verify'].includes(action)) body.photoIds = photoIds;
    try {
      const updated = await api.post<Case>(`/api/cases/${current.id}/${action}`, body);
      onDone(updated, t(`已${ACTION_LABELS[action].zh}`, `${ACTION_LABELS[action].en}: done`));
    } catch (caught) {
      const failure = caught as ApiError;
      if (failure.status === 409) {
        // Someone else acted first: show what changed, keep the form as it is.
        const { fresh, changes } = await reload().catch(() => ({ fresh: undefined, changes: undefined }));
        if (fresh && changes) setConflict({ ...changes, fresh });
      }
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const retry = async () => {
    if (!conflict) return;
    setVersion(conflict.fresh.version);
    const values = form.getFieldsValue();
    setConflict(undefined);
    await send(values, conflict.fresh.version);
  };

  const handleLimit = category?.timeLimits.handle[current.priority];

  return (
    <Modal
      open
      width={620}
      title={`${pick(ACTION_LABELS[action], language)} · ${current.code}`}
      okText={pick(ACTION_LABELS[action], language)}
      okButtonProps={{ danger: action === 'reject', disabled: !!conflict }}
      confirmLoading={busy}
      onCancel={() => onDone(null)}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      {error && !conflict && (
        <Alert type="error" showIcon title={error.text()} style={{ marginBottom: 12 }} />
      )}
      {conflict && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('这件事件刚被他人修改过', 'Someone else just changed this case')}
          description={
            <Space orientation="vertical" style={{ width: '100%' }} data-testid="conflict">
              {conflict.fields.length > 0 && (
                <Table
                  size="small"
                  pagination={false}
                  rowKey="field"
                  dataSource={conflict.fields}
                  columns={[
                    { title: t('项目', 'Field'), dataIndex: 'field' },
                    { title: t('您看到的', 'You saw'), dataIndex: 'before' },
                    { title: t('现在', 'Now'), dataIndex: 'after' },
                  ]}
                />
              )}
              {conflict.entries.map((entry) => (
                <Typography.Text key={entry.seq}>
                  {formatTime(entry.at, language)} {entry.actor.name ?? t('系统', 'System')}{' '}
                  {pick(entry.label, language)}
                </Typography.Text>
              ))}
              <Space>
                {conflict.fresh.allowedActions.includes(action) ? (
                  <Button type="primary" onClick={() => void retry()} loading={busy}>
                    {t('按现在的情况再次提交', 'Submit again on the current case')}
                  </Button>
                ) : (
                  <Typography.Text type="danger">
                    {t('事件当前状态下已不能执行此操作。', 'This action is no longer possible on the case.')}
                  </Typography.Text>
                )}
                <Button onClick={() => onDone(conflict.fresh)}>
                  {t('关闭并查看最新情况', 'Close and look at the case')}
                </Button>
              </Space>
            </Space>
          }
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ orgId: current.org?.id, passed: true, method: 'phone' }}
        onFinish={(values) => void send(values, version)}
        validateTrigger={['onChange', 'onBlur']}
      >
        {(action === 'reject' || action === 'return' || action === 'escalate') && (
          <Form.Item
            name="reason"
            label={
              action === 'reject'
                ? t('不予受理的原因（会告知上报人）', 'Why not accepted (sent to the reporter)')
                : action === 'return'
                  ? t('退回原因（为什么不属于本单位）', 'Why it is not ours')
                  : t('督办原因', 'Why escalate')
            }
            rules={[
              { required: true, whitespace: true, message: t('请填写原因', 'Give a reason') },
              { min: 2, message: t('至少 2 个字', 'At least 2 characters') },
              { max: 1000, message: t('最多 1000 字', 'At most 1000 characters') },
            ]}
          >
            <Input.TextArea rows={3} autoFocus />
          </Form.Item>
        )}
        {action === 'dispatch' && (
          <>
            <Typography.Paragraph type="secondary">
              {t('处置时限：', 'Handling time limit: ')}
              {limitText(handleLimit, zh)}
              {current.priority === 'urgent' ? t('（紧急）', ' (urgent)') : ''}
              {t('，自派遣起按工作日历计算。', ', counted on the working calendar from dispatch.')}
            </Typography.Paragraph>
            <Form.Item
              name="orgId"
              label={t('处置单位', 'Organisation')}
              rules={[{ required: true, message: t('请选择处置单位', 'Choose the organisation') }]}
            >
              <Select
                showSearch
                optionFilterProp="label"
                loading={teams.loading}
                options={(teams.data ?? []).map((org) => ({ value: org.id, label: org.name }))}
                onChange={() => form.setFieldValue('assigneeId', undefined)}
              />
            </Form.Item>
            <Form.Item name="assigneeId" label={t('处置人（可选）', 'Handler (optional)')}>
              <Select
                allowClear
                loading={members.loading}
                options={(members.data?.members ?? []).map((m) => ({
                  value: m.userId,
                  label: m.title ? `${m.displayName}（${m.title}）` : m.displayName,
                }))}
                notFoundContent={t(
                  '该单位暂无成员，可只派给单位',
                  'No members listed: dispatch to the organisation',
                )}
              />
            </Form.Item>
          </>
        )}
        {action === 'submit' && (
          <Form.Item
            name="result"
            label={t('处置结果', 'What was done')}
            rules={[
              { required: true, whitespace: true, message: t('请填写处置结果', 'Describe the result') },
              { min: 2, message: t('至少 2 个字', 'At least 2 characters') },
              { max: 2000 },
            ]}
          >
            <Input.TextArea rows={4} autoFocus />
          </Form.Item>
        )}
        {action === 'verify' && (
          <>
            {current.resultSummary && (
              <Typography.Paragraph>
                {t('处置结果：', 'Result: ')}
                {current.resultSummary}
              </Typography.Paragraph>
            )}
            <Form.Item name="passed" label={t('现场核查', 'On-site check')}>
              <Radio.Group
                options={[
                  { value: true, label: t('通过，进入回访', 'Passed: on to follow-up') },
                  { value: false, label: t('未通过，返工', 'Failed: rework') },
                ]}
              />
            </Form.Item>
          </>
        )}
        {action === 'follow-up' && (
          <>
            <Form.Item name="method" label={t('回访方式', 'Method')}>
              <Radio.Group
                options={[
                  { value: 'phone', label: t('电话', 'Phone') },
                  { value: 'visit', label: t('上门', 'Visit') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="rating"
              label={t('群众评价', 'Rating given')}
              rules={[{ required: true, message: t('请选择评价', 'Choose the rating') }]}
            >
              <Radio.Group
                options={(['satisfied', 'basically_satisfied', 'unsatisfied'] as const).map((r) => ({
                  value: r,
                  label: pick(RATING_LABELS[r]!, language),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="comment"
              label={t('回访记录（可选）', 'Notes (optional)')}
              rules={[{ max: 1000 }]}
            >
              <Input.TextArea rows={2} />
            </Form.Item>
          </>
        )}
        {action === 'merge' && (
          <Form.Item
            name="intoCaseId"
            label={t('合并到（重复的原事件）', 'Merge into (the original case)')}
            rules={[{ required: true, message: t('请选择事件', 'Choose the case') }]}
          >
            <Select
              showSearch
              filterOption={false}
              onSearch={setMergeSearch}
              loading={candidates.loading}
              placeholder={t('输入编号或描述搜索', 'Search by number or words')}
              options={(candidates.data?.items ?? [])
                .filter((item) => item.id !== current.id)
                .map((item) => ({ value: item.id, label: `${item.code} ${item.description.slice(0, 30)}` }))}
            />
          </Form.Item>
        )}
        {action === 'assign-grid' && (
          <Form.Item
            name="gridId"
            label={t('网格', 'Grid')}
            rules={[{ required: true, message: t('请选择网格', 'Choose the grid') }]}
          >
            <Select
              loading={grids.loading}
              options={(grids.data?.root.children ?? [])
                .filter((u) => u.kind === 'grid' && u.isActive)
                .map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` }))}
            />
          </Form.Item>
        )}
        {action === 'note' && (
          <Form.Item
            name="text"
            label={t('内部备注（居民看不到）', 'Internal note (residents do not see it)')}
            rules={[
              { required: true, whitespace: true, message: t('请填写备注', 'Write the note') },
              { max: 2000 },
            ]}
          >
            <Input.TextArea rows={3} autoFocus />
          </Form.Item>
        )}
        {(['accept', 'dispatch', 'start', 'verify', 'merge', 'remind'] as CaseAction[]).includes(action) && (
          <Form.Item name="note" label={t('备注（可选）', 'Note (optional)')} rules={[{ max: 1000 }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
        )}
        {(['start', 'submit', 'verify'] as CaseAction[]).includes(action) && (
          <Form.Item label={t('照片（可选，最多 9 张）', 'Photos (optional, up to 9)')}>
            <Upload
              listType="picture-card"
              accept="image/jpeg,image/png,image/webp"
              maxCount={9}
              customRequest={async ({ file, onSuccess, onError }) => {
                const body = new FormData();
                body.append('file', file as Blob);
                try {
                  const uploaded = await api.post<UploadRecord>('/api/uploads', body);
                  setPhotoIds((ids) => [...ids, uploaded.id]);
                  onSuccess?.(uploaded);
                } catch (caught) {
                  setError(caught as ApiError);
                  onError?.(caught as Error);
                }
              }}
              onRemove={(file) => {
                const uploaded = file.response as UploadRecord | undefined;
                if (uploaded) setPhotoIds((ids) => ids.filter((id) => id !== uploaded.id));
              }}
            >
              {t('上传', 'Upload')}
            </Upload>
          </Form.Item>
        )}
        {(action === 'accept' || action === 'start' || action === 'remind') && (
          <Typography.Paragraph type="secondary">
            {action === 'accept'
              ? t('受理后进入待派遣。', 'Accepted cases wait for dispatch.')
              : action === 'start'
                ? t('开始处置后，事件显示为处置中。', 'The case shows as in progress.')
                : t(
                    '催办会通知当前环节的负责人。',
                    'The people answerable for the current stage are reminded.',
                  )}
          </Typography.Paragraph>
        )}
      </Form>
    </Modal>
  );
}
