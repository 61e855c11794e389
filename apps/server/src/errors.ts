import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface LocalizedText {
  zh: string;
  en: string;
}

/**
 * A failure a person can act on: an HTTP status, a stable machine code, a message in Chinese and
 * English, and details (which field, which state, which actions are allowed now).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: LocalizedText,
    readonly details?: Record<string, unknown>,
  ) {
    super(text.en);
    this.name = 'AppError';
  }
}

export const errors = {
  badRequest: (text: LocalizedText, details?: Record<string, unknown>) =>
    new AppError(400, 'bad_request', text, details),
  validation: (details: Record<string, unknown>) =>
    new AppError(
      400,
      'validation_failed',
      { zh: '提交的内容有误，请检查标出的字段', en: 'Some fields are not valid' },
      details,
    ),
  unauthenticated: () => new AppError(401, 'unauthenticated', { zh: '请先登录', en: 'Please sign in first' }),
  forbidden: (details?: Record<string, unknown>) =>
    new AppError(
      403,
      'forbidden',
      { zh: '您没有执行此操作的权限', en: 'You are not allowed to do this' },
      details,
    ),
  notFound: (what: LocalizedText) =>
    new AppError(404, 'not_found', { zh: `${what.zh}不存在`, en: `${what.en} not found` }),
  conflict: (code: string, text: LocalizedText, details?: Record<string, unknown>) =>
    new AppError(409, code, text, details),
  staleVersion: (current: number) =>
    new AppError(
      409,
      'stale_version',
      { zh: '记录已被他人修改，请刷新后重试', en: 'Someone else changed this record; reload and try again' },
      { currentVersion: current },
    ),
  tooLarge: (text: LocalizedText) => new AppError(413, 'payload_too_large', text),
  unsupportedMedia: (text: LocalizedText) => new AppError(415, 'unsupported_media_type', text),
  unprocessable: (code: string, text: LocalizedText, details?: Record<string, unknown>) =>
    new AppError(422, code, text, details),
  locked: (until: Date) =>
    new AppError(
      423,
      'account_locked',
      {
        zh: '连续登录失败次数过多，账号已临时锁定，请稍后再试',
        en: 'Too many failed sign-ins; the account is locked for a while',
      },
      { lockedUntil: until.toISOString() },
    ),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError(
      429,
      'rate_limited',
      {
        zh: `操作过于频繁，请 ${retryAfterSeconds} 秒后再试`,
        en: `Too many requests; try again in ${retryAfterSeconds} s`,
      },
      { retryAfterSeconds },
    ),
};

export type Language = 'zh' | 'en';

/** Chinese first; English when the caller's Accept-Language prefers it over Chinese. */
export function requestLanguage(request: FastifyRequest): Language {
  const header = request.headers['accept-language'];
  if (!header) return 'zh';
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag, q: q ? Number(q.trim().slice(2)) : 1 };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh';
    if (tag.startsWith('en')) return 'en';
  }
  return 'zh';
}

const zhLocale = z.locales.zhCN().localeError;
const enLocale = z.locales.en().localeError;

interface FieldIssue {
  path: string;
  code: string;
  message: string;
  messageZh: string;
  messageEn: string;
}

/** '中文 / English' → its two halves; a message in one language only serves both. */
function splitBilingual(message: string | undefined): [string | undefined, string | undefined] {
  if (!message) return [undefined, undefined];
  const at = message.indexOf(' / ');
  if (at < 0 || !/[\u4e00-\u9fff]/.test(message.slice(0, at))) return [message, message];
  return [message.slice(0, at), message.slice(at + 3)];
}

function localizeIssue(issue: z.core.$ZodIssue, language: Language, where: string): FieldIssue {
  const asRaw = issue as unknown as z.core.$ZodRawIssue;
  const pick = (fn: typeof zhLocale): string => {
    const out = fn(asRaw);
    return typeof out === 'string' ? out : (out?.message ?? issue.message);
  };
  // A schema's own message (a rule written in both languages, '中文 / English') wins over the locale
  // text; zod's default messages are its English locale's, so anything else was written by us.
  const custom = issue.message && issue.message !== pick(enLocale) ? issue.message : undefined;
  const [customZh, customEn] = splitBilingual(custom);
  const messageZh = customZh ?? pick(zhLocale);
  const messageEn = customEn ?? pick(enLocale);
  const path = [where, ...issue.path.map(String)].filter(Boolean).join('.');
  return { path, code: issue.code, message: language === 'en' ? messageEn : messageZh, messageZh, messageEn };
}

export function errorBody(error: AppError, language: Language) {
  return {
    error: {
      code: error.code,
      message: language === 'en' ? error.text.en : error.text.zh,
      messages: { zh: error.text.zh, en: error.text.en },
      details: error.details ?? {},
    },
  };
}

/** Every failure leaves as { error: { code, message, messages, details } }. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const language = requestLanguage(request);
  const send = (appError: AppError) => {
    if (appError.status === 429 && typeof appError.details?.retryAfterSeconds === 'number') {
      void reply.header('retry-after', String(appError.details.retryAfterSeconds));
    }
    return reply.status(appError.status).send(errorBody(appError, language));
  };
  if (error instanceof AppError) return send(error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as { validationContext?: string }).validationContext ?? '';
    // The type provider flattens each zod issue into { keyword, instancePath, message, params }.
    const issues = error.validation.map((v) => {
      const issue = {
        ...v.params,
        code: v.keyword,
        path: v.instancePath.split('/').filter(Boolean),
        message: v.message,
      } as unknown as z.core.$ZodIssue;
      return localizeIssue(issue, language, where);
    });
    return send(errors.validation({ issues }));
  }
  if (error instanceof z.ZodError) {
    return send(
      errors.validation({ issues: error.issues.map((issue) => localizeIssue(issue, language, '')) }),
    );
  }
  if (isResponseSerializationError(error)) {
    request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
    return send(new AppError(500, 'internal', { zh: '服务器内部错误', en: 'Internal server error' }));
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  if (status === 413 || fastifyError.code === 'FST_REQ_FILE_TOO_LARGE') {
    return send(errors.tooLarge({ zh: '上传的内容太大', en: 'The upload is too large' }));
  }
  if (status === 415 || fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return send(errors.unsupportedMedia({ zh: '不支持的内容类型', en: 'Unsupported content type' }));
  }
  if (
    fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    (error instanceof SyntaxError && status === 400)
  ) {
    return send(
      errors.badRequest({ zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' }),
    );
  }
  if (status === 429) {
    const retry = Number(reply.getHeader('retry-after') ?? 60);
    return send(errors.rateLimited(Number.isFinite(retry) ? retry : 60));
  }
  if (status >= 400 && status < 500) {
    return send(
      new AppError(status, 'bad_request', { zh: '请求无效', en: fastifyError.message || 'Bad request' }),
    );
  }
  request.log.error({ err: error }, 'unhandled error');
  return send(
    new AppError(500, 'internal', {
      zh: '服务器内部错误，请稍后再试',
      en: 'Internal server error; please try again later',
    }),
  );
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply) {
  const language = requestLanguage(request);
  return reply.status(404).send(
    errorBody(
      new AppError(404, 'route_not_found', {
        zh: '没有这个接口',
        en: `No route ${request.method} ${request.url.split('?')[0]}`,
      }),
      language,
    ),
  );
}
