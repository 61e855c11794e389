import { AppError } from '../../errors.ts';

/**
 * The failures of signing in, in both languages. An unknown name and a wrong password give the same
 * answer (no account enumeration); the number of attempts left is counted for both alike.
 */
export const signInErrors = {
  invalidCredentials: (attemptsLeft: number) =>
    new AppError(
      401,
      'invalid_credentials',
      {
        zh: `用户名或密码错误，还可尝试 ${attemptsLeft} 次`,
        en: `Wrong username or password; ${attemptsLeft} attempts left`,
      },
      { attemptsLeft },
    ),
  totpRequired: () =>
    new AppError(
      401,
      'totp_required',
      { zh: '请输入身份验证器中的 6 位动态码', en: 'Enter the 6-digit code from your authenticator app' },
      { totpRequired: true },
    ),
  invalidTotp: (attemptsLeft: number) =>
    new AppError(
      401,
      'invalid_totp',
      {
        zh: `动态码错误或已使用，还可尝试 ${attemptsLeft} 次`,
        en: `The authenticator code is wrong or already used; ${attemptsLeft} attempts left`,
      },
      { attemptsLeft },
    ),
  accountDisabled: () =>
    new AppError(403, 'account_disabled', {
      zh: '该账号已停用，请联系管理员',
      en: 'This account has been deactivated; contact your administrator',
    }),
  /** A duplicate resident account merged into another (docs/decisions/0511). */
  accountMerged: () =>
    new AppError(403, 'account_merged', {
      zh: '该手机号的账号已与您的另一个账号合并，请用保留账号的手机号登录，或联系社区',
      en: "This number's account was merged into your other account; sign in with that account's number, or contact your community",
    }),
  wrongPassword: (attemptsLeft: number) =>
    new AppError(
      401,
      'wrong_password',
      {
        zh: `当前密码不正确，还可尝试 ${attemptsLeft} 次`,
        en: `The current password is wrong; ${attemptsLeft} attempts left`,
      },
      { attemptsLeft },
    ),
  invalidCode: (attemptsLeft: number) =>
    new AppError(
      401,
      'invalid_code',
      { zh: `验证码错误，还可尝试 ${attemptsLeft} 次`, en: `Wrong code; ${attemptsLeft} attempts left` },
      { attemptsLeft },
    ),
  codeExpired: () =>
    new AppError(401, 'code_expired', {
      zh: '验证码已失效，请重新获取',
      en: 'The code is no longer valid; request a new one',
    }),
  passwordChangeRequired: () =>
    new AppError(403, 'password_change_required', {
      zh: '请先修改管理员设置的初始密码',
      en: 'Change the password your administrator set before continuing',
    }),
};
