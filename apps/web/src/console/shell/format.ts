import type { Language } from '../../shared/i18n.ts';

/** Dates and times as people in China write them, in China time whatever the browser's zone. */
export function formatTime(iso: string | null | undefined, language: Language): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

export function formatDay(iso: string | null | undefined, language: Language): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(iso));
}

/** Working time left as 剩余 3 小时 20 分 / 超期 1 天 2 小时 (a working day has 8 working hours). */
export function formatTimeLeft(minutes: number | null, language: Language): string {
  if (minutes === null) return '—';
  const overdue = minutes < 0;
  let rest = Math.abs(Math.round(minutes));
  const days = Math.floor(rest / 480);
  rest -= days * 480;
  const hours = Math.floor(rest / 60);
  const mins = rest % 60;
  const parts =
    language === 'zh'
      ? [days ? `${days}个工作日` : '', hours ? `${hours}小时` : '', !days && mins ? `${mins}分` : '']
      : [days ? `${days} wd` : '', hours ? `${hours} h` : '', !days && mins ? `${mins} min` : ''];
  const text =
    parts.filter(Boolean).join(language === 'zh' ? '' : ' ') || (language === 'zh' ? '不足1分' : '<1 min');
  if (language === 'zh') return overdue ? `超期 ${text}` : `剩余 ${text}`;
  return overdue ? `${text} overdue` : `${text} left`;
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${(value * 100).toFixed(1)}%`;
}
