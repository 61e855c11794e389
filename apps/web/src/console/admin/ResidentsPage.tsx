import type { User } from '@minqing/contract';
import { MergeAccountsDialog } from './MergeAccountsDialog.tsx';
import { App, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { useLanguage, useT } from '../../shared/i18n.ts';
import { FormDialog } from '../common/FormDialog.tsx';
import { formatTime } from '../shell/format.ts';
import { useRequest } from '../shell/use-request.ts';

/**
 * Resident accounts: masked phones (a reveal states its purpose and is logged), deactivation instead
 * of deletion. A complete mobile number finds an account, which is how duplicates are spotted.
 */
export default function ResidentsPage() {
  const t = useT();
  const [language] = useLanguage();
  const { message } = App.useApp();
  const [q, setQ] = useState('');
  const [active, setActive] = useState<'true' | 'false' | undefined>('true');
  const list = useRequest(
    () =>
      api.get<{ items: User[]; nextCursor: string | null }>(
        `/api/users${query({ kind: 'resident', q: q || undefined, isActive: active, limit: 100 })}`,
      ),
    `residents:${q}:${active}`,
  );
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [revealing, setRevealing] = useState<User>();
  const [deactivating, setDeactivating] = useState<{ user: User; action: 'deactivate' | 'reactivate' }>();
  const [selected, setSelected] = useState<User[]>([]);
  const [merging, setMerging] = useState(false);
  const byId = new Map((list.data?.items ?? []).map((u) => [u.id, u]));
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('居民账号', 'Resident accounts')}
      </Typography.Title>
      <Card
        size="small"
        title={
          <Space wrap>
            <Input.Search
              aria-label={t('搜索姓名或完整手机号', 'Search name or full mobile')}
              placeholder={t('姓名，或完整手机号', 'Name, or the full mobile number')}
              allowClear
              onSearch={(v) => setQ(v.trim())}
              style={{ width: 260 }}
            />
            <Select
              aria-label={t('状态', 'Status')}
              value={active ?? 'all'}
              onChange={(v: string) => setActive(v === 'all' ? undefined : (v as 'true' | 'false'))}
              options={[
                { value: 'true', label: t('正常', 'Active') },
                { value: 'false', label: t('已停用', 'Deactivated') },
                { value: 'all', label: t('全部', 'All') },
              ]}
              style={{ width: 120 }}
            />
          </Space>
        }
      >
        <Typography.Paragraph type="secondary">
          {t(
            '手机号默认打码显示；查看完整号码须说明用途，并记入访问日志。账号不删除，只停用。',
            'Mobile numbers are masked; showing one in full needs a purpose and is logged. Accounts are deactivated, never deleted.',
          )}
        </Typography.Paragraph>
        <Space style={{ marginBottom: 8 }} wrap>
          <Button
            disabled={selected.length !== 2}
            onClick={() => setMerging(true)}
            data-testid="merge-accounts"
          >
            {t('合并重复账号', 'Merge duplicate accounts')}
          </Button>
          <Typography.Text type="secondary">
            {selected.length === 2
              ? t('已选择两个账号', 'Two accounts chosen')
              : t(
                  '勾选同一人的两个居民账号（可先搜索姓名）后合并',
                  'Tick two resident accounts of the same person (search by name first) to merge them',
                )}
          </Typography.Text>
        </Space>
        <Table<User>
          size="small"
          rowKey="id"
          rowSelection={{
            selectedRowKeys: selected.map((u) => u.id),
            onChange: (keys) =>
              setSelected(
                keys
                  .map((key) => byId.get(String(key)) ?? selected.find((u) => u.id === key))
                  .filter((u): u is User => !!u)
                  .slice(-2),
              ),
            getCheckboxProps: (u) => ({
              disabled: !u.allowedActions.includes('merge'),
              'aria-label': t(`选择 ${u.displayName}`, `Choose ${u.displayName}`),
            }),
          }}
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          locale={{ emptyText: t('没有符合条件的居民账号', 'No resident account matches') }}
          columns={[
            { title: t('姓名', 'Name'), dataIndex: 'displayName' },
            {
              title: t('手机', 'Mobile'),
              render: (_, u) => (
                <Space>
                  <span>{revealed[u.id] ?? u.phone ?? '—'}</span>
                  {u.allowedActions.includes('reveal-phone') && !revealed[u.id] && (
                    <Button size="small" onClick={() => setRevealing(u)}>
                      {t('查看', 'Show')}
                    </Button>
                  )}
                </Space>
              ),
            },
            { title: t('所在社区', 'Community'), render: (_, u) => u.homeUnit?.name ?? '—' },
            { title: t('注册时间', 'Since'), render: (_, u) => formatTime(u.createdAt, language) },
            { title: t('最近登录', 'Last sign-in'), render: (_, u) => formatTime(u.lastLoginAt, language) },
            {
              title: t('状态', 'Status'),
              render: (_, u) =>
                u.isActive ? (
                  <Tag color="green">{t('正常', 'Active')}</Tag>
                ) : u.mergedIntoId ? (
                  <Tag color="purple">{t('已合并', 'Merged')}</Tag>
                ) : (
                  <Tag>{t('已停用', 'Deactivated')}</Tag>
                ),
            },
            {
              title: '',
              render: (_, u) =>
                u.allowedActions.includes('deactivate') ? (
                  <Button
                    size="small"
                    danger
                    onClick={() => setDeactivating({ user: u, action: 'deactivate' })}
                  >
                    {t('停用', 'Deactivate')}
                  </Button>
                ) : u.allowedActions.includes('reactivate') ? (
                  <Button size="small" onClick={() => setDeactivating({ user: u, action: 'reactivate' })}>
                    {t('启用', 'Reactivate')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
      {revealing && (
        <FormDialog<{ purpose: string }>
          title={t(
            `查看 ${revealing.displayName} 的完整手机号`,
            `Show ${revealing.displayName}'s full number`,
          )}
          okText={t('查看', 'Show')}
          initialValues={{ purpose: t('核实身份，联系本人', 'Verify identity, contact the person') }}
          onClose={() => setRevealing(undefined)}
          onSubmit={async (values) => {
            const result = await api.post<{ phone: string | null }>(`/api/users/${revealing.id}/reveal`, {
              purpose: values.purpose.trim(),
            });
            setRevealed((all) => ({ ...all, [revealing.id]: result.phone ?? '—' }));
          }}
        >
          <Form.Item
            name="purpose"
            label={t('用途（记入访问日志）', 'Purpose (kept in the access log)')}
            rules={[{ required: true, whitespace: true }, { min: 4 }, { max: 200 }]}
          >
            <Input />
          </Form.Item>
        </FormDialog>
      )}
      {merging && selected.length === 2 && (
        <MergeAccountsDialog
          accounts={[selected[0]!, selected[1]!]}
          onClose={async (changed) => {
            setMerging(false);
            if (changed) {
              setSelected([]);
              message.success(t('账号已合并', 'Accounts merged'));
              await list.reload();
            }
          }}
        />
      )}
      {deactivating && (
        <FormDialog<{ reason: string }>
          title={
            deactivating.action === 'deactivate'
              ? t('停用居民账号', 'Deactivate the account')
              : t('重新启用', 'Reactivate')
          }
          okText={deactivating.action === 'deactivate' ? t('停用', 'Deactivate') : t('启用', 'Reactivate')}
          danger={deactivating.action === 'deactivate'}
          onClose={async (changed) => {
            setDeactivating(undefined);
            if (changed) await list.reload();
          }}
          onSubmit={async (values) => {
            try {
              await api.post(`/api/users/${deactivating.user.id}/${deactivating.action}`, {
                reason: values.reason.trim(),
              });
            } catch (caught) {
              message.error((caught as ApiError).text());
              throw caught;
            }
          }}
        >
          <Form.Item
            name="reason"
            label={t(
              '原因（例如：重复账号，已合并到另一账号）',
              'Reason (e.g. duplicate of another account)',
            )}
            rules={[{ required: true, whitespace: true }, { min: 2 }, { max: 500 }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
        </FormDialog>
      )}
    </Space>
  );
}
