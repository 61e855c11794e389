import { passwordProblems, type Me } from '@minqing/contract';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { useLanguage, useT } from '../../shared/i18n.ts';

/** A password an administrator set must be changed before anything else (the server enforces it). */
export function ChangePasswordPage({ me, onChanged }: { me: Me; onChanged: () => Promise<void> }) {
  const t = useT();
  const [language] = useLanguage();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f4fa' }}>
      <Card style={{ width: 440, maxWidth: '94vw' }}>
        <Typography.Title level={1} style={{ fontSize: 20 }}>
          {t('请先设置新密码', 'Choose a new password first')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">
          {t(
            '您的密码由管理员设置，需要改成只有您知道的密码。',
            'An administrator set your password; replace it with one only you know.',
          )}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error.text()} style={{ marginBottom: 16 }} />}
        <Form
          layout="vertical"
          onFinish={async (values: { currentPassword: string; newPassword: string }) => {
            setBusy(true);
            setError(undefined);
            try {
              await api.post('/api/me/password', values);
              await onChanged();
            } catch (caught) {
              setError(caught as ApiError);
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item
            name="currentPassword"
            label={t('当前密码', 'Current password')}
            rules={[{ required: true }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Form.Item
            name="newPassword"
            label={t('新密码', 'New password')}
            validateFirst
            rules={[
              { required: true, message: t('请填写新密码', 'Enter a new password') },
              {
                validator: async (_rule, value: string) => {
                  const problems = passwordProblems(value ?? '', { username: me.username });
                  if (problems.length > 0)
                    throw new Error(problems.map((p) => (language === 'zh' ? p.zh : p.en)).join('；'));
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('保存新密码', 'Save the new password')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
