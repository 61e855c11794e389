import type { Me } from '@minqing/contract';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { useT } from '../../shared/i18n.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';

interface LoginForm {
  login: string;
  password: string;
  totp?: string;
}

/** Staff sign-in: username or mobile and password; the authenticator code once the server asks for it. */
export function LoginPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const t = useT();
  const [form] = Form.useForm<LoginForm>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [needsTotp, setNeedsTotp] = useState(false);

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.post<{ me: Me }>('/api/auth/login', {
        login: values.login.trim(),
        password: values.password,
        ...(values.totp ? { totp: values.totp } : {}),
      });
      onSignedIn(result.me);
    } catch (caught) {
      const failure = caught as ApiError;
      if (failure.code === 'totp_required') setNeedsTotp(true);
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f0f4fa' }}>
      <Card style={{ width: 400, maxWidth: '94vw' }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t('民情 · 工作台', 'minqing · Staff console')}
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('社区、街道工作人员登录', 'Sign in as community or street staff')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error.text()} style={{ marginBottom: 16 }} />}
        <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item
            name="login"
            label={t('用户名或手机号', 'Username or mobile')}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('请填写用户名或手机号', 'Enter your username or mobile'),
              },
            ]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('密码', 'Password')}
            rules={[{ required: true, message: t('请填写密码', 'Enter your password') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          {needsTotp && (
            <Form.Item
              name="totp"
              label={t('动态验证码', 'Authenticator code')}
              rules={[
                { pattern: /^\d{6}$/, required: true, message: t('请输入 6 位数字', 'Enter the 6 digits') },
              ]}
            >
              <Input inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t('登录', 'Sign in')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
