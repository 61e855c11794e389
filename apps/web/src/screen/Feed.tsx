import type { FeedItem } from '../features/map/live-events.ts';
import { OVERDUE_BADGE_COLOUR, STATE_COLOURS, textOn } from '../features/map/styles.ts';
import { pick, useLanguage } from '../shared/i18n.ts';

/** Lines kept on screen; older ones fall off the end (a wall screen runs for days). */
export const FEED_LIMIT = 30;

function time(at: string): string {
  return new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(at));
}

export function Feed({
  items,
  freshIds,
  onOpen,
}: {
  items: FeedItem[];
  freshIds: ReadonlySet<string>;
  onOpen?: (caseId: string) => void;
}) {
  const [language] = useLanguage();
  return (
    <ol className="feed" aria-live="polite" aria-relevant="additions">
      {items.map((item) => {
        const content = (
          <>
            <time className="feed-time" dateTime={item.at}>
              {time(item.at)}
            </time>
            <span
              className="feed-state"
              style={{
                background: item.overdue ? OVERDUE_BADGE_COLOUR : STATE_COLOURS[item.state],
                color: textOn(item.overdue ? OVERDUE_BADGE_COLOUR : STATE_COLOURS[item.state]),
              }}
            >
              {item.overdue ? (language === 'zh' ? '超期' : 'Overdue') : pick(item.label, language)}
            </span>
            <span className="feed-text">
              {item.place ? <span className="feed-place">{item.place}</span> : null}
              <span className="feed-what">{pick(item.category, language)}</span>
            </span>
          </>
        );
        return (
          <li
            key={item.id}
            className={freshIds.has(item.id) ? 'feed-item feed-fresh' : 'feed-item'}
            data-feed-id={item.id}
            data-case-code={item.code}
          >
            {item.caseId && onOpen ? (
              <button type="button" className="feed-open" onClick={() => onOpen(item.caseId!)}>
                {content}
              </button>
            ) : (
              content
            )}
          </li>
        );
      })}
    </ol>
  );
}
