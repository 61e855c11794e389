import { useT } from '../shared/i18n.ts';

export interface BaseFigures {
  grids: number;
  gridWorkers: number;
  households: number;
  residents: number;
  partyMembers: number;
}

export interface PeriodCounters {
  received: number;
  closed: number;
  overdue: number;
}

const number = new Intl.NumberFormat('zh-CN');

/** 基础信息: the five base figures of the area. */
export function BaseFigureTiles({ figures }: { figures: BaseFigures }) {
  const t = useT();
  const tiles: [keyof BaseFigures, string, string][] = [
    ['grids', t('网格', 'Grids'), t('个', '')],
    ['gridWorkers', t('网格员', 'Grid workers'), t('人', '')],
    ['households', t('户数', 'Households'), t('户', '')],
    ['residents', t('居民', 'Residents'), t('人', '')],
    ['partyMembers', t('党员', 'Party members'), t('人', '')],
  ];
  return (
    <dl className="base-tiles">
      {tiles.map(([key, label, unit]) => (
        <div className="base-tile" key={key}>
          <dt>{label}</dt>
          <dd>
            <span className="base-value" data-figure={key}>
              {number.format(figures[key])}
            </span>
            {unit ? <span className="base-unit">{unit}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** 今日 / 本月: received, closed and overdue, side by side. */
export function PeriodCounterTable({ today, month }: { today: PeriodCounters; month: PeriodCounters }) {
  const t = useT();
  const rows: [string, keyof PeriodCounters, string][] = [
    [t('受理', 'Received'), 'received', 'counter-received'],
    [t('办结', 'Closed'), 'closed', 'counter-closed'],
    [t('超期', 'Overdue'), 'overdue', 'counter-overdue'],
  ];
  return (
    <table className="counters">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">{t('指标', 'Figure')}</span>
          </th>
          <th scope="col">{t('今日', 'Today')}</th>
          <th scope="col">{t('本月', 'This month')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, key, className]) => (
          <tr key={key} className={className}>
            <th scope="row">{label}</th>
            <td data-counter={`today-${key}`}>{number.format(today[key])}</td>
            <td data-counter={`month-${key}`}>{number.format(month[key])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
