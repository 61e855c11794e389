import { useCallback, useSyncExternalStore } from 'react';

/** Simplified Chinese first; English when the user picks it (remembered on this device). */
export type Language = 'zh' | 'en';

const STORAGE_KEY = 'minqing.language';
const listeners = new Set<() => void>();

function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh') return fromUrl;
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' ? 'en' : 'zh';
}

let current: Language = initialLanguage();
document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';

export function getLanguage(): Language {
  return current;
}

export function setLanguage(language: Language): void {
  current = language;
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener();
}

export function useLanguage(): [Language, (language: Language) => void] {
  const language = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
  return [language, setLanguage];
}

/**
 * Picks the text for the current language: t('受理', 'Accept'). The function stays the same until the
 * language changes, so effects that use it (a map, a notice) do not re-run on every render.
 */
export function useT(): (zh: string, en: string) => string {
  const [language] = useLanguage();
  return useCallback((zh: string, en: string) => (language === 'zh' ? zh : en), [language]);
}

export function pick(text: { zh: string; en: string }, language: Language): string {
  return language === 'zh' ? text.zh : text.en;
}
