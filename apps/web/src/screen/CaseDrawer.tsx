import type { CaseDetail } from '@minqing/contract';
import { useEffect, useRef, useState } from 'react';
import { markerColour } from '../features/map/styles.ts';
import { api, ApiError } from '../shared/api.ts';
import { pick, useLanguage, useT } from '../shared/i18n.ts';

function when(at: string | null, language: 'zh' | 'en'): string {
  if (!at) return '—';
  return new Intl.DateTimeFormat(language === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
}

function timeLeft(minutes: number | null, t: (zh: string, en: string) => string): string {
  if (minutes === null) return '—';
  const abs = Math.abs(minutes);
  const text =
    abs >= 60
      ? `${Math.floor(abs / 60)}${t(' 小时', 'h')}${abs % 60 ? ` ${abs % 60}${t(' 分', 'm')}` : ''}`
      : `${abs}${t(' 分钟', ' min')}`;
  return minutes < 0
    ? t(`已超期 ${text}`, `${text} overdue`)
    : t(`剩余 ${text}（工作时间）`, `${text} left (working time)`);
}

/**
 * Staff open a case from the map: what it is, where it stands, its deadline and its timeline. The
 * server decides what the viewer may see (names and phones come masked unless their role allows).
 */
export function CaseDrawer({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const t = useT();
  const [language] = useLanguage();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const closeButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    let live = true;
    setDetail(null);
    setError(null);
    api
      .get<CaseDetail>(`/api/cases/${encodeURIComponent(caseId)}`)
      .then((value) => live && setDetail(value))
      .catch((caught: unknown) => {
        if (!live) return;
        setError(caught instanceof ApiError ? caught.text() : t('无法打开该事件', 'Could not open the case'));
      });
    return () => {
      live = false;
    };
    // t changes with the language only; the case is what matters.
  }, [caseId]);

  useEffect(() => {
    closeButton.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-labelledby="drawer-title">
      <header className="drawer-head">
        <h2 id="drawer-title">{detail ? `${t('事件', 'Case')} ${detail.code}` : t('事件详情', 'Case')}</h2>
        <button
          ref={closeButton}
          type="button"
          className="drawer-close"
          onClick={onClose}
          aria-label={t('关闭', 'Close')}
        >
          ×
        </button>
      </header>
      {error ? (
        <p className="panel-note panel-note-error" role="alert">
          {error}
        </p>
      ) : !detail ? (
        <p className="panel-note" role="status">
          {t('正在读取事件…', 'Loading the case…')}
        </p>
      ) : (
        <div className="drawer-body">
          <p className="drawer-state">
            <span className="feed-state" style={{ background: markerColour(detail.state, detail.isOverdue) }}>
              {pick(detail.stateName, language)}
            </span>
            <span>{pick(detail.category.name, language)}</span>
            {detail.priority === 'urgent' ? <span className="tag-urgent">{t('紧急', 'Urgent')}</span> : null}
            {detail.isOverdue ? <span className="tag-overdue">{t('超期', 'Overdue')}</span> : null}
          </p>
          <p className="drawer-description">{detail.description}</p>
          <dl className="drawer-facts">
            <dt>{t('地点', 'Place')}</dt>
            <dd>{[detail.gridName, detail.address].filter(Boolean).join(' · ') || '—'}</dd>
            <dt>{t('上报人', 'Reporter')}</dt>
            <dd>
              {detail.reporter.isPublicAnonymous ? t('匿名', 'Anonymous') : (detail.reporter.name ?? '—')}
              {detail.reporter.phone ? ` ${detail.reporter.phone}` : ''}
            </dd>
            <dt>{t('责任单位', 'Responsible')}</dt>
            <dd>{[detail.org?.name, detail.assignee?.name].filter(Boolean).join(' · ') || '—'}</dd>
            <dt>{t('上报时间', 'Reported')}</dt>
            <dd>{when(detail.reportedAt, language)}</dd>
            <dt>{t('当前时限', 'Deadline')}</dt>
            <dd className={detail.isOverdue ? 'text-overdue' : undefined}>
              {when(detail.dueAt, language)} · {timeLeft(detail.timeLeftMinutes, t)}
            </dd>
            {detail.escalationLevel > 0 ? (
              <>
                <dt>{t('督办', 'Escalated')}</dt>
                <dd>{t(`第 ${detail.escalationLevel} 级`, `level ${detail.escalationLevel}`)}</dd>
              </>
            ) : null}
          </dl>
          <h3>{t('办理过程', 'Timeline')}</h3>
          <ol className="timeline">
            {detail.timeline.map((entry) => (
              <li key={entry.seq}>
                <time dateTime={entry.at}>{when(entry.at, language)}</time>
                <span>
                  {pick(entry.label, language)}
                  {entry.actor.name ? ` · ${entry.actor.name}` : ''}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}
    </aside>
  );
}
