import { MAP_STATES, OVERDUE_COLOUR, STATE_COLOURS, STATE_NAMES } from '../features/map/styles.ts';
import { pick, useLanguage, useT } from '../shared/i18n.ts';

/** What the colours on the map mean. */
export function Legend() {
  const t = useT();
  const [language] = useLanguage();
  return (
    <div className="legend" aria-label={t('图例', 'Legend')} role="group">
      <ul>
        {MAP_STATES.map((state) => (
          <li key={state}>
            <span className="legend-dot" style={{ background: STATE_COLOURS[state] }} aria-hidden="true" />
            {pick(STATE_NAMES[state], language)}
          </li>
        ))}
        <li>
          <span className="legend-dot" style={{ background: OVERDUE_COLOUR }} aria-hidden="true" />
          {t('超期', 'Overdue')}
        </li>
        <li>
          <span className="legend-cluster" aria-hidden="true">
            9
          </span>
          {t('聚合（红色弧为超期占比）', 'Cluster (red arc: share overdue)')}
        </li>
        <li>
          <span className="legend-load" aria-hidden="true" />
          {t('网格待办量', 'Open cases per grid')}
        </li>
      </ul>
    </div>
  );
}
