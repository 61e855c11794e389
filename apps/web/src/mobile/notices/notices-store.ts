import type { PublicNotice, PublicNoticeList } from '@minqing/contract';
import { api } from '../../shared/api.ts';

/**
 * Notices are read on the phone like a notice board: the last list of each area is kept on the phone
 * (localStorage), so a villager without a signal still reads what was posted when they last looked.
 * The service worker does not answer API reads (public/m/sw.js); the page keeps its own copy instead.
 */
const KEY = 'mq-notices:';

export interface KeptList {
  list: PublicNoticeList;
  savedAt: string;
}

function keep(unitId: string, list: PublicNoticeList): void {
  try {
    localStorage.setItem(KEY + unitId, JSON.stringify({ list, savedAt: new Date().toISOString() }));
  } catch {
    // Storage full or refused (private mode): the list still shows, it is just not kept.
  }
}

export function keptList(unitId: string): KeptList | null {
  try {
    const raw = localStorage.getItem(KEY + unitId);
    return raw ? (JSON.parse(raw) as KeptList) : null;
  } catch {
    return null;
  }
}

/** A notice from any kept list (the detail page without a network). */
export function keptNotice(id: string): PublicNotice | null {
  for (let i = 0; i < localStorage.length; i++) {
    const key = localStorage.key(i);
    if (!key?.startsWith(KEY)) continue;
    const kept = keptList(key.slice(KEY.length));
    const found = kept?.list.items.find((item) => item.id === id);
    if (found) return found;
  }
  return null;
}

export async function fetchNotices(unitId: string): Promise<PublicNoticeList> {
  const list = await api.get<PublicNoticeList>(`/api/public/notices?unitId=${encodeURIComponent(unitId)}`);
  keep(unitId, list);
  return list;
}

export function fetchNotice(id: string): Promise<PublicNotice> {
  return api.get<PublicNotice>(`/api/public/notices/${encodeURIComponent(id)}`);
}

/** 2026年3月5日 / 5 Mar 2026 — notices are dated, not timed, in the list. */
export function formatDate(iso: string, language: 'zh' | 'en'): string {
  return new Date(iso).toLocaleDateString(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: language === 'zh' ? 'long' : 'short',
    day: 'numeric',
  });
}
