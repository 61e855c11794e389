import type { Me, UnitSummary } from '@minqing/contract';
import { Button, Form, Input, List, SpinLoading, Tabs, Toast } from 'antd-mobile';
import { PageBar } from '../components/PageBar.tsx';
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { useLanguage, useT } from '../../shared/i18n.ts';
import { useDraftState } from '../offline/drafts.ts';
import { goBack, navigate } from '../router.ts';
import { setMe, useSession } from '../session.ts';

function nextPath(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/m/') ? next : '/m/home';
}

/** /m/login: residents with their phone number and a one-time code; staff with their password. */
export default function SignInPage() {
  const t = useT();
  const { me } = useSession();
  const [tab, setTab] = useState<'resident' | 'staff'>('resident');
  if (me?.needsCommunity) return <ChooseCommunity />;
  return (
    <div className="m-scroll">
      <PageBar onBack={() => goBack()}>{t('登录', 'Sign in')}</PageBar>
      <div className="m-signin-head">
        <h1>{t('民情 · 随手拍', 'Minqing')}</h1>
        <p>{t('登录后可上报问题、查看处理进展。', 'Sign in to report problems and follow them.')}</p>
      </div>
      <Tabs activeKey={tab} onChange={(key) => setTab(key as 'resident')}>
        <Tabs.Tab title={t('居民登录', 'Residents')} key="resident">
          <SmsSignIn />
        </Tabs.Tab>
        <Tabs.Tab title={t('工作人员', 'Staff')} key="staff">
          <StaffSignIn />
        </Tabs.Tab>
      </Tabs>
    </div>
  );
}

function errorText(error: unknown, language: 'zh' | 'en'): string {
  return error instanceof ApiError ? error.messages[language] : String(error);
}

function SmsSignIn() {
  const t = useT();
  const [language] = useLanguage();
  const [form, setForm] = useDraftState('signin', { phone: '' });
  const [code, setCode] = useState('');
  const [wait, setWait] = useState(0);
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);
  const phone = form.phone.replace(/\s/g, '');
  const phoneOk = /^1[3-9]\d{9}$/.test(phone);

  async function sendCode() {
    if (!phoneOk) {
      Toast.show({ content: t('请输入 11 位手机号', 'Enter an 11-digit mobile number') });
      return;
    }
    try {
      const answer = await api.post<{ phone: string; resendAfterSeconds: number }>('/api/auth/sms-code', {
        phone,
      });
      setSent(answer.phone);
      setWait(answer.resendAfterSeconds);
    } catch (error) {
      Toast.show({ content: errorText(error, language) });
    }
  }

  async function signIn() {
    setBusy(true);
    try {
      const answer = await api.post<{ me: Me }>('/api/auth/sms-login', { phone, code });
      setMe(answer.me);
      if (!answer.me.needsCommunity) navigate(nextPath(), { replace: true });
    } catch (error) {
      Toast.show({ content: errorText(error, language) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Form layout="vertical" className="m-form" footer={null}>
      <Form.Item label={t('手机号', 'Mobile number')}>
        <Input
          aria-label={t('手机号', 'Mobile number')}
          type="tel"
          inputMode="numeric"
          autoComplete="tel"
          maxLength={13}
          placeholder={t('请输入手机号', 'Your mobile number')}
          value={form.phone}
          onChange={(value) => setForm({ phone: value })}
        />
      </Form.Item>
      <Form.Item
        label={t('验证码', 'Code')}
        extra={
          <Button size="small" disabled={wait > 0} onClick={() => void sendCode()}>
            {wait > 0 ? t(`${wait} 秒后重发`, `Resend in ${wait}s`) : t('获取验证码', 'Get code')}
          </Button>
        }
        description={sent ? t(`验证码已发送至 ${sent}`, `Code sent to ${sent}`) : undefined}
      >
        <Input
          aria-label={t('验证码', 'Code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={6}
          placeholder={t('6 位数字', '6 digits')}
          value={code}
          onChange={setCode}
        />
      </Form.Item>
      <div className="m-actions">
        <Button
          block
          color="primary"
          size="large"
          loading={busy}
          disabled={!phoneOk || code.length !== 6}
          onClick={() => void signIn()}
        >
          {t('登录', 'Sign in')}
        </Button>
        <p className="m-fineprint">
          {t(
            '首次登录即注册。手机号仅用于登录和办理进度联系，加密保存。',
            'The first sign-in creates your account. The number is stored encrypted and used only to sign in and contact you about your reports.',
          )}
        </p>
      </div>
    </Form>
  );
}

function StaffSignIn() {
  const t = useT();
  const [language] = useLanguage();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  async function signIn() {
    setBusy(true);
    try {
      const answer = await api.post<{ me: Me }>('/api/auth/login', {
        login,
        password,
        ...(needsTotp ? { totp } : {}),
      });
      setMe(answer.me);
      navigate(nextPath(), { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.code.includes('totp')) setNeedsTotp(true);
      Toast.show({ content: errorText(error, language) });
    } finally {
      setBusy(false);
    }
  }
  return (
    <Form layout="vertical" className="m-form" footer={null}>
      <Form.Item label={t('用户名或手机号', 'Username or mobile')}>
        <Input
          aria-label={t('用户名或手机号', 'Username or mobile')}
          autoComplete="username"
          value={login}
          onChange={setLogin}
        />
      </Form.Item>
      <Form.Item label={t('密码', 'Password')}>
        <Input
          aria-label={t('密码', 'Password')}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
      </Form.Item>
      {needsTotp && (
        <Form.Item label={t('动态验证码', 'Authenticator code')}>
          <Input
            aria-label={t('动态验证码', 'Authenticator code')}
            inputMode="numeric"
            maxLength={6}
            value={totp}
            onChange={setTotp}
          />
        </Form.Item>
      )}
      <div className="m-actions">
        <Button
          block
          color="primary"
          size="large"
          loading={busy}
          disabled={!login || !password}
          onClick={() => void signIn()}
        >
          {t('登录', 'Sign in')}
        </Button>
      </div>
    </Form>
  );
}

/** A new resident picks their community (or village), level by level from the streets down. */
function ChooseCommunity() {
  const t = useT();
  const [language] = useLanguage();
  const [trail, setTrail] = useState<UnitSummary[]>([]);
  const [items, setItems] = useState<UnitSummary[] | null>(null);
  const parent = trail.at(-1);
  useEffect(() => {
    let live = true;
    setItems(null);
    api
      .get<{ items: UnitSummary[] }>(parent ? `/api/units/${parent.id}/children` : '/api/units')
      .then((page) => live && setItems(page.items.filter((unit) => unit.kind !== 'grid')))
      .catch(() => live && setItems([]));
    return () => {
      live = false;
    };
  }, [parent?.id]);
  async function choose(unit: UnitSummary) {
    try {
      const me = await api.post<Me>('/api/me/community', { communityId: unit.id });
      setMe(me);
      navigate(nextPath(), { replace: true });
    } catch (error) {
      Toast.show({ content: errorText(error, language) });
    }
  }
  return (
    <div className="m-scroll">
      <PageBar>{t('选择您所在的社区', 'Choose your community')}</PageBar>
      <List
        header={
          parent
            ? parent.name
            : t('请选择街道（乡镇），再选社区（村）', 'Pick your street, then your community')
        }
      >
        {trail.length > 0 && (
          <List.Item onClick={() => setTrail(trail.slice(0, -1))}>
            {t('‹ 返回上一级', '‹ Up one level')}
          </List.Item>
        )}
        {items === null ? (
          <List.Item>
            <SpinLoading />
          </List.Item>
        ) : (
          items.map((unit) => (
            <List.Item
              key={unit.id}
              arrowIcon
              onClick={() => (unit.kind === 'community' ? void choose(unit) : setTrail([...trail, unit]))}
            >
              {unit.name}
            </List.Item>
          ))
        )}
      </List>
    </div>
  );
}
