import type { CaseState } from '@minqing/contract';
import { STATE_COLOURS, STATE_NAMES } from '../features/map/styles.ts';
import { useLanguage, pick } from '../shared/i18n.ts';

/** One line of the rolling feed: what happened, to which kind of case, where — never who. */
export interface FeedItem {
  id: string;
  at: string;
  label: { zh: string; en: string };
  state: CaseState | null;
  category: { zh: string; en: string } | null;
  place: string | null;
  overdue: boolean;
  /** The case id when the viewer may open it. */
  caseId: string | null;
}

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
              style={{ background: item.overdue ? '#ef4444' : item.state ? STATE_COLOURS[item.state] : '#64748b' }}
            >
              {item.overdue
                ? language === 'zh'
                  ? '超期'
                  : 'Overdue'
                : item.state
                  ? pick(STATE_NAMES[item.state], language)
                  : '·'}
            </span>
            <span className="feed-text">
              {item.place ? <span className="feed-place">{item.place}</span> : null}
              <span className="feed-what">
                {pick(item.label, language)}
                {item.category ? ` · ${pick(item.category, language)}` : ''}
              </span>
            </span>
          </>
        );
        return (
          <li key={item.id} className={freshIds.has(item.id) ? 'feed-item feed-fresh' : 'feed-item'} data-feed-id={item.id}>
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
