import type { ErrorResponse } from '@minqing/contract';
import { getLanguage } from './i18n.ts';

/** A failed API call, with the server's message in both languages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messages: { zh: string; en: string },
    readonly details: Record<string, unknown>,
  ) {
    super(messages.en);
  }

  /** The message in the user's language. */
  text(): string {
    return getLanguage() === 'zh' ? this.messages.zh : this.messages.en;
  }
}

const NETWORK_ERROR = {
  zh: '网络连接失败，请检查网络后重试',
  en: 'Network error; check the connection and try again',
};

async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'accept-language': getLanguage() === 'zh' ? 'zh-CN' : 'en',
        ...(body === undefined || body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
      signal,
    });
  } catch {
    throw new ApiError(0, 'network_error', NETWORK_ERROR, {});
  }
  const type = response.headers.get('content-type') ?? '';
  const payload: unknown = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok) {
    const error = (payload as Partial<ErrorResponse>)?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.messages ?? { zh: `请求失败（${response.status}）`, en: `Request failed (${response.status})` },
      error?.details ?? {},
    );
  }
  return payload as T;
}

export const api = {
  /** `signal` abandons a read that is no longer wanted (the map moved on). */
  get: <T>(path: string, options: { signal?: AbortSignal } = {}) =>
    send<T>('GET', path, undefined, {}, options.signal),
  post: <T>(path: string, body?: unknown, headers?: Record<string, string>) =>
    send<T>('POST', path, body ?? {}, headers),
  put: <T>(path: string, body?: unknown) => send<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => send<T>('PATCH', path, body ?? {}),
  delete: <T>(path: string) => send<T>('DELETE', path),
};

/** Builds a query string from defined values only. */
export function query(
  params: Record<string, string | number | boolean | undefined | null | string[]>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
