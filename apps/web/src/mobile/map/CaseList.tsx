import { ErrorBlock, List, SpinLoading } from 'antd-mobile';
import type { MapCasesResult } from '../../features/map/map-api.ts';
import { markerColour, STATE_NAMES } from '../../features/map/styles.ts';
import type { MapCaseMarker } from '../../features/map/types.ts';
import { ApiError } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';

/**
 * The cases in the map's current view as a list, overdue first: easier than the map for reading on a
 * small screen, and for people who cannot use a map.
 */
export function CaseList({
  result,
  loading,
  error,
  hasViewport,
  onOpen,
}: {
  result: MapCasesResult | null;
  loading: boolean;
  error: unknown;
  hasViewport: boolean;
  onOpen: (marker: MapCaseMarker) => void;
}) {
  const t = useT();
  const [language] = useLanguage();
  if (error && !result) {
    return (
      <ErrorBlock
        status="disconnected"
        title={t('列表读取失败', 'The list could not load')}
        description={
          error instanceof ApiError ? error.text() : t('请检查网络后重试', 'Check the network and try again')
        }
      />
    );
  }
  if (!result || !hasViewport) {
    return (
      <div className="pm-centre" role="status">
        <SpinLoading color="primary" />
        <span>{t('正在读取…', 'Loading…')}</span>
      </div>
    );
  }
  const cases = result.markers
    .filter((marker): marker is MapCaseMarker => marker.kind === 'case')
    .sort((a, b) => Number(b.overdue) - Number(a.overdue));
  if (cases.length === 0) {
    return (
      <ErrorBlock
        status="empty"
        title={t('当前视野内没有事件', 'No cases in this view')}
        description={t('移动或缩小地图，或清除筛选条件。', 'Move or zoom out the map, or clear the filters.')}
      />
    );
  }
  return (
    <div className="pm-list" aria-busy={loading}>
      {result.truncated ? (
        <p className="pm-list-note">
          {t(
            `只列出了其中 ${cases.length} 件（共 ${result.total} 件），放大地图可看到其余的。`,
            `Showing ${cases.length} of ${result.total}; zoom the map in to see the rest.`,
          )}
        </p>
      ) : null}
      <List>
        {cases.map((marker) => (
          <List.Item
            key={marker.key}
            onClick={() => onOpen(marker)}
            prefix={
              <span
                className="pm-list-dot"
                style={{ background: markerColour(marker.state, marker.overdue) }}
                aria-hidden="true"
              />
            }
            description={marker.coarse ? t('位置已模糊到网格中心', 'Shown at the grid centre') : undefined}
            extra={
              <span className={marker.overdue ? 'pm-list-state pm-overdue' : 'pm-list-state'}>
                {marker.overdue ? t('超期', 'Overdue') : pick(STATE_NAMES[marker.state], language)}
              </span>
            }
          >
            <span data-case-code={marker.code}>{marker.title}</span>
          </List.Item>
        ))}
      </List>
    </div>
  );
}
