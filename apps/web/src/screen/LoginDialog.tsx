import type { Me } from '@minqing/contract';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../shared/api.ts';
import { useT } from '../shared/i18n.ts';

/**
 * Staff sign-in on the screen itself (the session cookie then opens the staff view: cases can be
 * opened from the map). What was typed stays in the form when the sign-in fails.
 */
export function LoginDialog({ onClose, onSignedIn }: { onClose: () => void; onSignedIn: (me: Me) => void }) {
  const t = useT();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<{ me: Me }>('/api/auth/login', {
        login: login.trim(),
        password,
        ...(needTotp && totp ? { totp } : {}),
      });
      onSignedIn(result.me);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'totp_required') setNeedTotp(true);
      setError(
        caught instanceof ApiError ? caught.text() : t('登录失败，请重试', 'Sign-in failed; try again'),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" role="presentation" onClick={onClose}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="login-title"
        onClick={(event) => event.stopPropagation()}
        onSubmit={(event) => void submit(event)}
      >
        <h2 id="login-title">{t('工作人员登录', 'Staff sign-in')}</h2>
        <p className="dialog-hint">
          {t(
            '登录后可在地图上点击事件查看详情；公众模式只显示脱敏信息。',
            'Signed in, you can open cases from the map; the public view shows anonymised data only.',
          )}
        </p>
        <label>
          {t('用户名或手机号', 'Username or mobile')}
          <input
            ref={first}
            name="login"
            autoComplete="username"
            value={login}
            onChange={(event) => setLogin(event.target.value)}
            required
            maxLength={64}
          />
        </label>
        <label>
          {t('密码', 'Password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            required
            maxLength={128}
          />
        </label>
        {needTotp ? (
          <label>
            {t('动态码（6 位）', 'Authenticator code (6 digits)')}
            <input
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              value={totp}
              onChange={(event) => setTotp(event.target.value)}
              required
            />
          </label>
        ) : null}
        {error ? (
          <p className="dialog-error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button-secondary" onClick={onClose}>
            {t('取消', 'Cancel')}
          </button>
          <button type="submit" className="button-primary" disabled={busy}>
            {busy ? t('登录中…', 'Signing in…') : t('登录', 'Sign in')}
          </button>
        </div>
      </form>
    </div>
  );
}
