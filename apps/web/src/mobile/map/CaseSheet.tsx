import type { CaseDetail } from '@minqing/contract';
import { Popup } from 'antd-mobile';
import { CloseOutline } from 'antd-mobile-icons';
import { useEffect, useState } from 'react';
import { markerColour, STATE_NAMES } from '../../features/map/styles.ts';
import type { MapCaseMarker } from '../../features/map/types.ts';
import { api, ApiError } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';

/**
 * A tapped case: its category and state for everyone; for staff who may open it, the description,
 * the deadline and the latest steps (from GET /api/cases/:id, masked by the server as the role requires).
 */
export function CaseSheet({ marker, onClose }: { marker: MapCaseMarker | null; onClose: () => void }) {
  const t = useT();
  const [language] = useLanguage();
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setDetail(null);
    setError(null);
    if (!marker?.caseId) return;
    let live = true;
    api
      .get<CaseDetail>(`/api/cases/${encodeURIComponent(marker.caseId)}`)
      .then((value) => live && setDetail(value))
      .catch((caught: unknown) => {
        if (live)
          setError(
            caught instanceof ApiError ? caught.text() : t('无法打开该事件', 'Could not open the case'),
          );
      });
    return () => {
      live = false;
    };
  }, [marker?.caseId]); // the language does not change which case is shown

  return (
    <Popup
      visible={marker !== null}
      onMaskClick={onClose}
      onClose={onClose}
      bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '70vh', overflowY: 'auto' }}
    >
      {marker ? (
        <div className="pm-sheet" role="dialog" aria-labelledby="pm-case-title">
          <button type="button" className="pm-sheet-close" aria-label={t('关闭', 'Close')} onClick={onClose}>
            <CloseOutline aria-hidden="true" />
          </button>
          <h2 id="pm-case-title">{detail ? pick(detail.category.name, language) : marker.title}</h2>
          <p className="pm-case-state">
            <span className="pm-badge" style={{ background: markerColour(marker.state, marker.overdue) }}>
              {marker.overdue ? t('超期', 'Overdue') : pick(STATE_NAMES[marker.state], language)}
            </span>
            {marker.coarse ? (
              <span className="pm-muted">{t('位置已模糊到网格中心', 'Shown at the grid centre')}</span>
            ) : null}
          </p>
          {detail ? (
            <>
              <p className="pm-case-description">{detail.description}</p>
              <dl className="pm-facts">
                <dt>{t('编号', 'Number')}</dt>
                <dd>{detail.code}</dd>
                <dt>{t('地点', 'Place')}</dt>
                <dd>{[detail.gridName, detail.address].filter(Boolean).join(' · ') || '—'}</dd>
                <dt>{t('责任单位', 'Responsible')}</dt>
                <dd>{detail.org?.name ?? '—'}</dd>
              </dl>
              <ol className="pm-timeline">
                {detail.timeline.slice(-4).map((entry) => (
                  <li key={entry.seq}>
                    <time dateTime={entry.at}>
                      {new Intl.DateTimeFormat('zh-CN', {
                        timeZone: 'Asia/Shanghai',
                        month: '2-digit',
                        day: '2-digit',
                        hour: '2-digit',
                        minute: '2-digit',
                        hourCycle: 'h23',
                      }).format(new Date(entry.at))}
                    </time>{' '}
                    {pick(entry.label, language)}
                  </li>
                ))}
              </ol>
            </>
          ) : error ? (
            <p className="pm-error" role="alert">
              {error}
            </p>
          ) : marker.caseId ? (
            <p className="pm-muted" role="status">
              {t('正在读取…', 'Loading…')}
            </p>
          ) : (
            <p className="pm-muted">
              {t(
                '公众地图只显示事件类别和办理状态，不显示上报人和详细描述。',
                'The public map shows only the category and the state, never the reporter or the details.',
              )}
            </p>
          )}
        </div>
      ) : null}
    </Popup>
  );
}
