import { useEffect, useState } from 'react';
import { useLanguage } from '../shared/i18n.ts';

const WEEKDAYS_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

/** China time: the screen hangs in a village hall in China whatever the server's or the browser's zone. */
function chinaParts(now: Date) {
  const parts: Record<string, string> = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday ?? 'Sun');
  const part = (name: string) => parts[name] ?? '';
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
    weekday: part('weekday'),
    weekdayIndex: weekday < 0 ? 0 : weekday,
  };
}

export function Clock() {
  const [language] = useLanguage();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  const p = chinaParts(now);
  const date =
    language === 'zh'
      ? `${p.year}年${p.month}月${p.day}日 ${WEEKDAYS_ZH[p.weekdayIndex]}`
      : `${p.weekday} ${p.day}/${p.month}/${p.year}`;
  return (
    <div className="clock">
      <time className="clock-time" dateTime={now.toISOString()}>
        {p.hour}:{p.minute}:{p.second}
      </time>
      <span className="clock-date">{date}</span>
    </div>
  );
}
