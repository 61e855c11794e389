import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { maskPhone } from '../../privacy/mask.ts';

/** A one-time sign-in code on its way to a mobile phone. */
export interface SmsCodeMessage {
  /** 11-digit mainland number, normalised. */
  phone: string;
  code: string;
  expiresInMinutes: number;
}

/**
 * Delivers one-time codes. The default writes them to the server log (development, demos, villages
 * without an SMS contract); a real gateway plugs in through SMS_PROVIDER=http.
 */
export interface SmsSender {
  readonly provider: 'log' | 'http';
  sendCode(message: SmsCodeMessage): Promise<void>;
}

// Remember only the latest codes of a bounded number of phones, so a busy server cannot grow without end.
const REMEMBERED_PHONES = 1_000;

/**
 * Logs each code at info level with the masked number — never the full one — and remembers the last
 * code per phone, so the demo page, a developer and the test suite can read it back.
 */
export class LogSmsSender implements SmsSender {
  readonly provider = 'log' as const;
  private readonly lastCodes = new Map<string, string>();

  constructor(private readonly log: FastifyBaseLogger) {}

  async sendCode({ phone, code, expiresInMinutes }: SmsCodeMessage): Promise<void> {
    this.lastCodes.delete(phone);
    this.lastCodes.set(phone, code);
    if (this.lastCodes.size > REMEMBERED_PHONES) {
      const oldest = this.lastCodes.keys().next().value;
      if (oldest !== undefined) this.lastCodes.delete(oldest);
    }
    this.log.info(
      { sms: { to: maskPhone(phone), provider: this.provider } },
      `短信验证码 / one-time code for ${maskPhone(phone)}: ${code} (${expiresInMinutes} 分钟内有效 / valid ${expiresInMinutes} min)`,
    );
  }

  /** The last code sent to `phone`, if this process sent one. */
  lastCodeFor(phone: string): string | undefined {
    return this.lastCodes.get(phone);
  }
}

const HTTP_TIMEOUT_MS = 5_000;

/**
 * Posts each code as JSON to SMS_HTTP_URL (with `Authorization: Bearer SMS_HTTP_TOKEN` when set):
 * `{ "phone", "code", "template": "login_code", "expiresInMinutes", "text" }`. A small adapter at
 * that URL speaks to the provider of the deployment's choice (Aliyun, Tencent Cloud, an operator's
 * gateway); minqing needs no provider SDK.
 */
export class HttpSmsSender implements SmsSender {
  readonly provider = 'http' as const;

  constructor(
    private readonly url: string,
    private readonly token: string | undefined,
    private readonly log: FastifyBaseLogger,
  ) {}

  async sendCode({ phone, code, expiresInMinutes }: SmsCodeMessage): Promise<void> {
    let status: number;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: JSON.stringify({
          phone,
          code,
          template: 'login_code',
          expiresInMinutes,
          text: `【民情】您的登录验证码是 ${code}，${expiresInMinutes} 分钟内有效。如非本人操作，请忽略本短信。`,
        }),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (error) {
      this.log.warn({ err: error, sms: { to: maskPhone(phone) } }, 'SMS gateway unreachable');
      throw smsUnavailable();
    }
    if (status < 200 || status >= 300) {
      this.log.warn({ sms: { to: maskPhone(phone), status } }, 'SMS gateway refused the message');
      throw smsUnavailable();
    }
  }
}

function smsUnavailable(): AppError {
  return new AppError(503, 'sms_unavailable', {
    zh: '短信发送失败，请稍后再试',
    en: 'The text message could not be sent; try again later',
  });
}

/** The sender that the configuration asks for. */
export function createSmsSender(config: Config, log: FastifyBaseLogger): SmsSender {
  if (config.sms.provider === 'http') {
    if (!config.sms.httpUrl) throw new Error('SMS_PROVIDER=http needs SMS_HTTP_URL / 需要设置 SMS_HTTP_URL');
    return new HttpSmsSender(config.sms.httpUrl, config.sms.httpToken, log);
  }
  return new LogSmsSender(log);
}
