import { ApiError } from '../../shared/api.ts';
import { getLanguage } from '../../shared/i18n.ts';
import { idbDelete, idbGetAll, idbPut } from './idb.ts';

/**
 * The outbox (待发送): everything the phone site writes — reports, patrol starts, GPS points,
 * check-ins, findings, patrol ends — is first stored here in IndexedDB, then sent in order when there
 * is a network. Each item carries its own key, sent as the Idempotency-Key (or as the record's id the
 * phone chose), so an item sent twice — the answer was lost when the connection dropped — is stored
 * once. Photos go first, one request each; every upload id is written back to the item as it arrives,
 * so a retry after a dropped connection continues where it stopped (and the server answers the same
 * bytes with the same upload anyway). Nothing is deleted until the server has answered.
 */
export type OutboxKind = 'report' | 'patrol-start' | 'points' | 'checkin' | 'finding' | 'patrol-end';

export interface OutboxPhoto {
  blob: Blob;
  uploadId: string | null;
}

export interface OutboxItem {
  /** Also the Idempotency-Key of the request. */
  id: string;
  kind: OutboxKind;
  createdAt: number;
  patrolId?: string;
  body: Record<string, unknown>;
  photos: OutboxPhoto[];
  /** 即报即办: the photos after the work. */
  afterPhotos?: OutboxPhoto[];
  /** What the item is, for the waiting list. */
  label: { zh: string; en: string };
  attempts: number;
  /** A refusal the server gave (not a network failure): the item waits for the user. */
  failed?: { zh: string; en: string } | null;
}

export interface SentEvent {
  item: OutboxItem;
  result: unknown;
}

type Listener = () => void;
const listeners = new Set<Listener>();
const sentListeners = new Set<(event: SentEvent) => void>();
let items: OutboxItem[] = [];
let loaded = false;
let sending: string | null = null;
let flushing: Promise<void> | null = null;
let again = false;
let retryTimer: number | undefined;
let backoffMs = 3000;

function changed() {
  for (const listener of listeners) listener();
}

async function reload(): Promise<void> {
  items = (await idbGetAll<OutboxItem>('outbox')).sort((a, b) => a.createdAt - b.createdAt);
  loaded = true;
  changed();
}

export function outboxItems(): OutboxItem[] {
  return items;
}

export function sendingId(): string | null {
  return sending;
}

export function subscribeOutbox(listener: Listener): () => void {
  listeners.add(listener);
  if (!loaded) void reload();
  return () => listeners.delete(listener);
}

export function onSent(listener: (event: SentEvent) => void): () => void {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

/** Stores an item and starts sending. The item is safe in IndexedDB before this resolves. */
export async function enqueue(
  item: Omit<OutboxItem, 'attempts' | 'createdAt' | 'failed'> & { createdAt?: number },
): Promise<OutboxItem> {
  const full: OutboxItem = { createdAt: Date.now(), ...item, attempts: 0, failed: null };
  await idbPut('outbox', full);
  await reload();
  void flush();
  return full;
}

export async function discard(id: string): Promise<void> {
  await idbDelete('outbox', id);
  await reload();
}

/** Tries a refused item again (after the cause was fixed, e.g. signing in again). */
export async function retry(id: string): Promise<void> {
  const item = items.find((i) => i.id === id);
  if (item) {
    await idbPut('outbox', { ...item, failed: null });
    await reload();
  }
  void flush();
}

const NETWORK = { zh: '网络连接失败', en: 'Network error' };

async function request<T>(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 60_000);
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        'accept-language': getLanguage() === 'zh' ? 'zh-CN' : 'en',
        ...(body instanceof FormData ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body instanceof FormData ? body : JSON.stringify(body),
      signal: controller.signal,
    });
  } catch {
    throw new ApiError(0, 'network_error', NETWORK, {});
  } finally {
    clearTimeout(timer);
  }
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    if (response.ok) throw new ApiError(0, 'network_error', NETWORK, {});
  }
  if (!response.ok) {
    const error = (payload as { error?: { code: string; messages: { zh: string; en: string } } } | null)
      ?.error;
    throw new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.messages ?? { zh: `请求失败（${response.status}）`, en: `Request failed (${response.status})` },
      {},
    );
  }
  return payload as T;
}

async function uploadAll(item: OutboxItem, field: 'photos' | 'afterPhotos'): Promise<string[]> {
  const photos = item[field] ?? [];
  const ids: string[] = [];
  for (const photo of photos) {
    if (!photo.uploadId) {
      const form = new FormData();
      form.append('file', photo.blob, 'photo.jpg');
      const upload = await request<{ id: string }>('POST', '/api/uploads', form);
      photo.uploadId = upload.id;
      // Written back at once: a retry after a dropped connection does not send this photo again.
      await idbPut('outbox', item);
    }
    ids.push(photo.uploadId);
  }
  return ids;
}

async function send(item: OutboxItem): Promise<unknown> {
  const patrol = `/api/patrols/${encodeURIComponent(item.patrolId ?? '')}`;
  const key = { 'idempotency-key': item.id };
  switch (item.kind) {
    case 'report': {
      const photoIds = await uploadAll(item, 'photos');
      return request('POST', '/api/cases', { ...item.body, ...(photoIds.length ? { photoIds } : {}) }, key);
    }
    case 'patrol-start':
      return request('POST', '/api/patrols', item.body);
    case 'points':
      return request('POST', `${patrol}/points`, item.body, key);
    case 'checkin':
      return request('POST', `${patrol}/checkins`, item.body);
    case 'finding': {
      const photoIds = await uploadAll(item, 'photos');
      const after = item.afterPhotos?.length ? await uploadAll(item, 'afterPhotos') : [];
      const body = { ...item.body, ...(photoIds.length ? { photoIds } : {}) } as Record<string, unknown>;
      if (body.onTheSpot) body.onTheSpot = { ...(body.onTheSpot as object), afterPhotoIds: after };
      return request('POST', `${patrol}/findings`, body, key);
    }
    case 'patrol-end':
      return request('POST', `${patrol}/end`, item.body);
  }
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  retryTimer = window.setTimeout(() => void flush(), backoffMs);
  backoffMs = Math.min(backoffMs * 2, 60_000);
}

/** Sends what waits, oldest first; stops at the first network failure and tries again later. */
export function flush(): Promise<void> {
  if (flushing) {
    // Something was added while sending: one more pass once this one ends.
    again = true;
    return flushing;
  }
  const run = sendAll().finally(() => {
    flushing = null;
    if (again) {
      again = false;
      void flush();
    }
  });
  flushing = run;
  return run;
}

async function sendAll(): Promise<void> {
  try {
    if (!loaded) await reload();
    for (const item of [...items]) {
      if (item.failed) continue;
      // A patrol's later items wait for its earlier ones (the start before its points).
      if (
        item.patrolId &&
        items.some((o) => o.patrolId === item.patrolId && o.failed && o.createdAt < item.createdAt)
      )
        continue;
      sending = item.id;
      changed();
      try {
        const result = await send(item);
        await idbDelete('outbox', item.id);
        backoffMs = 3000;
        items = items.filter((i) => i.id !== item.id);
        for (const listener of sentListeners) listener({ item, result });
      } catch (error) {
        const status = error instanceof ApiError ? error.status : 0;
        if (status === 0 || status >= 500 || status === 429 || status === 401 || status === 408) {
          // No network, a server hiccup, or signed out: keep everything, in order, and try later.
          item.attempts++;
          await idbPut('outbox', item);
          again = false;
          scheduleRetry();
          return;
        }
        item.failed = error instanceof ApiError ? error.messages : { zh: '发送失败', en: 'Sending failed' };
        item.attempts++;
        await idbPut('outbox', item);
      } finally {
        sending = null;
      }
    }
  } finally {
    await reload();
  }
}

window.addEventListener('online', () => {
  backoffMs = 3000;
  void flush();
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') void flush();
});
