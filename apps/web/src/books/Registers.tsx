import type { OverdueRentList, PublicContract, PublicResourceList } from '@minqing/contract';
import { useLanguage, useT } from '../shared/i18n.ts';
import { LET_HOW, RESOURCE_KIND } from '../console/finance/registers/labels.ts';
import { useApi, yuan } from './data.ts';
import './registers.css';

type PublicResource = PublicResourceList['items'][number];

/**
 * The village's resources and contracts as villagers see them (docs/decisions/0720): the overdue-rent
 * alert (欠租预警), the resources' outlines drawn on a small map of their own (no tiles: it works
 * offline and inside WeChat), and every contract with its holder masked (张*), term, rent, what is
 * paid and what is overdue. These registers are current, not as of the last sealed month.
 */
export function Registers({ bookId }: { bookId: string }) {
  const t = useT();
  const [language] = useLanguage();
  const alerts = useApi<OverdueRentList>(`/api/public/books/${bookId}/alerts`);
  const resources = useApi<PublicResourceList>(`/api/public/books/${bookId}/resources`);
  const contracts = useApi<{ items: PublicContract[] }>(`/api/public/books/${bookId}/contracts`);
  const label = (pair: [string, string] | undefined, fallback: string) =>
    pair ? (language === 'zh' ? pair[0] : pair[1]) : fallback;

  return (
    <>
      {alerts.data && alerts.data.items.length > 0 && (
        <div className="bk-alert" role="status">
          <div className="bk-alert-title">
            {t(
              `欠租预警：${alerts.data.items.length} 笔，共 ${yuan(alerts.data.amount)}`,
              `Overdue rent: ${alerts.data.items.length} instalments, ${yuan(alerts.data.amount)}`,
            )}
          </div>
          <ul className="bk-alert-list">
            {alerts.data.items.map((item) => (
              <li key={item.instalmentId}>
                {item.title}（{item.holderName}）{t(`${item.dueDate} 应收`, `due ${item.dueDate}`)}{' '}
                <b>{yuan(item.amount - item.paidAmount)}</b>
                {t(`，逾期 ${item.overdueDays} 天`, `, ${item.overdueDays} days overdue`)}
              </li>
            ))}
          </ul>
        </div>
      )}

      <h2 className="bk-h2">{t('集体资源', 'Collective resources')}</h2>
      {resources.data && resources.data.items.length === 0 && (
        <div className="bk-empty">{t('暂未登记资源', 'No resources registered yet')}</div>
      )}
      {resources.data && resources.data.items.some((r) => r.geometry) && (
        <div className="bk-panel">
          <OutlineMap
            items={resources.data.items}
            label={t('资源地块分布示意图', 'Sketch map of the resources’ outlines')}
          />
        </div>
      )}
      {resources.data && resources.data.items.length > 0 && (
        <div className="bk-panel">
          <table className="bk-table">
            <thead>
              <tr>
                <th>{t('资源', 'Resource')}</th>
                <th className="bk-num">{t('面积（亩）', 'Mu')}</th>
                <th>{t('经营 / 承包方', 'Let to')}</th>
              </tr>
            </thead>
            <tbody>
              {resources.data.items.map((r, i) => (
                <tr key={r.id}>
                  <td>
                    <span
                      className="bk-swatch"
                      style={{ background: SWATCHES[i % SWATCHES.length] }}
                      aria-hidden
                    />
                    {r.name}
                    <div className="bk-muted bk-small">{label(RESOURCE_KIND[r.kind], r.kind)}</div>
                  </td>
                  <td className="bk-num">{r.areaMu.toFixed(2)}</td>
                  <td>
                    {label(LET_HOW[r.letHow], r.letHow)}
                    {r.contract && (
                      <div className="bk-muted bk-small">
                        {r.contract.holderName} · {yuan(r.contract.annualRent)}
                        {t('/年', '/yr')}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 className="bk-h2">{t('合同', 'Contracts')}</h2>
      {contracts.data && contracts.data.items.length === 0 && (
        <div className="bk-empty">{t('暂无合同', 'No contracts yet')}</div>
      )}
      <ul className="bk-list">
        {contracts.data?.items.map((c) => (
          <li key={c.id} className="bk-card bk-contract">
            <div className="bk-row">
              <span className="bk-card-title">{c.title}</span>
              {c.overdueAmount > 0 ? (
                <span className="bk-tag bk-tag-bad">{t('欠租', 'Overdue')}</span>
              ) : c.isEndingSoon ? (
                <span className="bk-tag">{t('即将到期', 'Ending soon')}</span>
              ) : null}
            </div>
            <div className="bk-small">
              {t('承包/承租方', 'Holder')}：{c.holderName}
              {c.subject && ` · ${c.subject}`}
            </div>
            <div className="bk-small bk-muted">
              {c.startDate} ~ {c.endDate} · {t('年租金', 'rent')} {yuan(c.annualRent)}
            </div>
            <div className="bk-row bk-small">
              <span>
                {t('合同总额', 'Total')} {yuan(c.totalRent)}
              </span>
              <span>
                {t('已收', 'Paid')} <b className="bk-in">{yuan(c.paidTotal)}</b>
              </span>
            </div>
            {c.overdueAmount > 0 && (
              <div className="bk-small bk-bad">
                {t(
                  `逾期未收 ${yuan(c.overdueAmount)}（${c.overdueInstalments} 期）`,
                  `Overdue ${yuan(c.overdueAmount)} (${c.overdueInstalments} instalments)`,
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

const SWATCHES = ['#0f766e', '#b45309', '#1d4ed8', '#7c3aed', '#be123c', '#4d7c0f', '#0e7490', '#a16207'];

/** The outlines on an equirectangular sketch, fitted to the box: cheap, offline, no map tiles. */
function OutlineMap({ items, label }: { items: PublicResource[]; label: string }) {
  const rings: { index: number; ring: number[][] }[] = [];
  items.forEach((item, index) => {
    if (!item.geometry) return;
    const polygons =
      item.geometry.type === 'Polygon' ? [item.geometry.coordinates] : item.geometry.coordinates;
    for (const polygon of polygons) if (polygon[0]) rings.push({ index, ring: polygon[0] });
  });
  const points = rings.flatMap((r) => r.ring);
  const lngs = points.map((p) => p[0]!);
  const lats = points.map((p) => p[1]!);
  const minLng = Math.min(...lngs);
  const maxLng = Math.max(...lngs);
  const minLat = Math.min(...lats);
  const maxLat = Math.max(...lats);
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const width = Math.max((maxLng - minLng) * kx, 1e-6);
  const height = Math.max(maxLat - minLat, 1e-6);
  const size = 300;
  const scale = size / Math.max(width, height);
  const w = width * scale;
  const h = height * scale;
  const pad = 8;
  return (
    <svg
      className="bk-map"
      viewBox={`${-pad} ${-pad} ${w + 2 * pad} ${h + 2 * pad}`}
      role="img"
      aria-label={label}
    >
      {rings.map(({ index, ring }, i) => (
        <polygon
          key={i}
          points={ring
            .map(
              ([lng, lat]) =>
                `${((lng! - minLng) * kx * scale).toFixed(1)},${((maxLat - lat!) * scale).toFixed(1)}`,
            )
            .join(' ')}
          fill={SWATCHES[index % SWATCHES.length]}
          fillOpacity={0.35}
          stroke={SWATCHES[index % SWATCHES.length]}
          strokeWidth={1.5}
        >
          <title>{items[index]!.name}</title>
        </polygon>
      ))}
    </svg>
  );
}
