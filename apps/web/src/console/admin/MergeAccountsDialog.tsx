import type { MergeAccountsPreview, User } from '@minqing/contract';
import { Alert, Descriptions, Form, Input, Radio, Spin, Typography } from 'antd';
import { useState } from 'react';
import { api } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { FormDialog } from '../common/FormDialog.tsx';
import { useRequest } from '../shell/use-request.ts';

/**
 * 合并重复账号: the admin chooses which of the two accounts stays; the server's preview says what
 * moves (reports, ratings, inbox, household, sessions) before anything changes.
 */
export function MergeAccountsDialog({
  accounts,
  onClose,
}: {
  accounts: [User, User];
  onClose: (changed: boolean) => void;
}) {
  const t = useT();
  const [language] = useLanguage();
  // By default the older account stays: it is usually the one the person knows.
  const older = [...accounts].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const [keepId, setKeepId] = useState(older[0]!.id);
  const duplicateId = accounts.find((a) => a.id !== keepId)!.id;
  const preview = useRequest(
    () => api.post<MergeAccountsPreview>('/api/users/merge/preview', { keepId, duplicateId }),
    `merge:${keepId}:${duplicateId}`,
  );
  const label = (u: User) => `${u.displayName}（${u.phone ?? '—'}）`;
  const household = {
    none: t('重复账号未登记住户', 'The duplicate names no household'),
    moves: t('住户登记转到保留账号', 'Its household passes to the kept account'),
    same: t('两个账号住户相同', 'Both name the same household'),
    kept: t('住户不同，保留账号的住户不变', "Households differ; the kept account's stays"),
  };
  return (
    <FormDialog<{ reason: string }>
      title={t('合并重复账号', 'Merge duplicate accounts')}
      okText={t('确认合并', 'Merge')}
      danger
      width={620}
      initialValues={{ reason: t('同一人的重复账号', 'Duplicate account of the same person') }}
      onClose={onClose}
      onSubmit={async (values) => {
        await api.post('/api/users/merge', { keepId, duplicateId, reason: values.reason.trim() });
      }}
    >
      <Form.Item label={t('保留哪个账号', 'Keep which account')}>
        <Radio.Group
          value={keepId}
          onChange={(e) => setKeepId(e.target.value as string)}
          options={accounts.map((u) => ({ value: u.id, label: label(u) }))}
        />
      </Form.Item>
      {preview.loading && !preview.data && <Spin />}
      {preview.error && (
        <Alert type="error" showIcon title={preview.error.text()} style={{ marginBottom: 12 }} />
      )}
      {preview.data && !preview.error && (
        <>
          <Descriptions
            size="small"
            column={1}
            bordered
            data-testid="merge-preview"
            style={{ marginBottom: 12 }}
            items={[
              {
                key: 'dup',
                label: t('停用并合并', 'Deactivated and merged'),
                children: `${preview.data.duplicate.displayName}（${preview.data.duplicate.phone ?? '—'}）`,
              },
              {
                key: 'cases',
                label: t('上报的事件', 'Reports'),
                children: t(
                  `${preview.data.moves.cases} 件转到保留账号（其中 ${preview.data.moves.ratings} 件已评价）`,
                  `${preview.data.moves.cases} move to the kept account (${preview.data.moves.ratings} rated)`,
                ),
              },
              {
                key: 'inbox',
                label: t('消息', 'Notifications'),
                children: t(
                  `${preview.data.moves.notifications} 条转入`,
                  `${preview.data.moves.notifications} move`,
                ),
              },
              {
                key: 'household',
                label: t('住户', 'Household'),
                children: household[preview.data.moves.household],
              },
              {
                key: 'sessions',
                label: t('登录状态', 'Sessions'),
                children: t(
                  `结束 ${preview.data.moves.sessions} 个登录`,
                  `${preview.data.moves.sessions} signed out`,
                ),
              },
            ]}
          />
          {preview.data.notes.map((note) => (
            <Typography.Paragraph key={note.en} type="secondary" style={{ marginBottom: 4 }}>
              {pick(note, language)}
            </Typography.Paragraph>
          ))}
        </>
      )}
      <Form.Item
        name="reason"
        label={t('合并原因（记入安全日志）', 'Reason (kept in the security log)')}
        rules={[{ required: true, whitespace: true }, { min: 2 }, { max: 500 }]}
      >
        <Input.TextArea rows={2} />
      </Form.Item>
    </FormDialog>
  );
}
