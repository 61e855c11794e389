import type { z } from 'zod';
import type { ZPublicAssetList } from '@minqing/contract';
import { useLanguage, useT } from '../shared/i18n.ts';
import { ACQUIRED_HOW, ASSET_CATEGORY, ASSET_STATE } from '../console/finance/registers/asset-labels.ts';
import { periodLabel, useApi, yuan } from './data.ts';
import './assets.css';

type PublicAssetList = z.infer<typeof ZPublicAssetList>;

/**
 * The village's fixed assets as villagers see them (docs/decisions/0710): what each is, operating or
 * not, where it stands, its original value, depreciation (to the last sealed month) and net value. No
 * note and no contract link: nothing personal.
 */
export function Assets({ bookId, unitId }: { bookId: string; unitId: string }) {
  const t = useT();
  const [language] = useLanguage();
  const assets = useApi<PublicAssetList>(`/api/public/books/${bookId}/assets`);
  const outline = useApi<OutlineCollection>(`/api/units/${unitId}/map?kinds=community`);
  const label = (pair: [string, string] | [string, string, string] | undefined, fallback: string) =>
    pair ? (language === 'zh' ? pair[0] : pair[1]) : fallback;
  const data = assets.data;
  return (
    <section aria-labelledby="bk-assets-title">
      <h2 className="bk-h2" id="bk-assets-title">
        {t('集体资产', 'Collective assets')}
      </h2>
      {assets.error && <div className="bk-empty">{t('资产加载失败', 'The assets did not load')}</div>}
      {data && data.items.length === 0 && (
        <div className="bk-empty">{t('暂未登记资产', 'No assets registered yet')}</div>
      )}
      {data && data.items.length > 0 && (
        <div className="bk-panel">
          <div className="bk-muted bk-small">
            {data.asOf
              ? t(
                  `共 ${data.items.length} 项；折旧计至 ${periodLabel(data.asOf, 'zh')}（最近公开的月份）`,
                  `${data.items.length} assets; depreciation to ${periodLabel(data.asOf, 'en')} (the last disclosed month)`,
                )
              : t(`共 ${data.items.length} 项`, `${data.items.length} assets`)}
          </div>
          {data.items.some((a) => a.location) && (
            <AssetMap
              items={data.items}
              outlines={outline.data?.features ?? []}
              label={t(
                '资产位置示意图（编号见下表）',
                'Sketch map of where the assets stand (numbers as below)',
              )}
            />
          )}
          <table className="bk-table">
            <thead>
              <tr>
                <th>{t('资产', 'Asset')}</th>
                <th className="bk-num">{t('原值', 'Cost')}</th>
                <th className="bk-num">{t('净值', 'Net')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((a, i) => (
                <tr key={a.id}>
                  <td>
                    {a.location && <span className="bk-asset-no">{i + 1}</span>}
                    {a.name}
                    <div className="bk-muted bk-small">
                      {label(ASSET_CATEGORY[a.category], a.category)} ·{' '}
                      {a.isOperating ? t('经营性', 'operating') : t('非经营性', 'public use')} ·{' '}
                      {label(ASSET_STATE[a.state], a.state)}
                      {a.locationText ? ` · ${a.locationText}` : ''}
                    </div>
                    <div className="bk-muted bk-small">
                      {a.acquiredOn.slice(0, 4)}
                      {t('年', '')} {label(ACQUIRED_HOW[a.acquiredHow], a.acquiredHow)}
                      {a.accumulatedDepreciation > 0 &&
                        t(
                          `，已折旧 ${yuan(a.accumulatedDepreciation)}`,
                          `, depreciated ${yuan(a.accumulatedDepreciation)}`,
                        )}
                    </div>
                  </td>
                  <td className="bk-num">{yuan(a.originalValue)}</td>
                  <td className="bk-num">{yuan(a.netValue)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('合计（不含已处置）', 'Total (in use)')}</th>
                <td className="bk-num">{yuan(data.totals.originalValue)}</td>
                <td className="bk-num">{yuan(data.totals.netValue)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}

interface OutlineCollection {
  features: { geometry: { type: string; coordinates: unknown } }[];
}

/** The village's outline and a numbered dot per asset: an SVG of its own (no tiles; works offline and in WeChat). */
function AssetMap({
  items,
  outlines,
  label,
}: {
  items: PublicAssetList['items'];
  outlines: OutlineCollection['features'];
  label: string;
}) {
  const rings: number[][][] = [];
  for (const feature of outlines) {
    const { type, coordinates } = feature.geometry;
    if (type === 'Polygon') rings.push((coordinates as number[][][])[0]!);
    if (type === 'MultiPolygon') for (const polygon of coordinates as number[][][][]) rings.push(polygon[0]!);
  }
  const dots = items.flatMap((item, index) =>
    item.location ? [{ index, ...item.location, name: item.name }] : [],
  );
  const lngs = [...rings.flat().map((p) => p[0]!), ...dots.map((d) => d.lng)];
  const lats = [...rings.flat().map((p) => p[1]!), ...dots.map((d) => d.lat)];
  const minLng = Math.min(...lngs);
  const maxLng = Math.max(...lngs);
  const minLat = Math.min(...lats);
  const maxLat = Math.max(...lats);
  const kx = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const size = 300;
  const scale = size / Math.max((maxLng - minLng) * kx, maxLat - minLat, 1e-4);
  const x = (lng: number) => (lng - minLng) * kx * scale;
  const y = (lat: number) => (maxLat - lat) * scale;
  const w = Math.max(x(maxLng), 40);
  const h = Math.max(y(minLat), 40);
  const pad = 12;
  return (
    <svg
      className="bk-asset-map"
      viewBox={`${-pad} ${-pad} ${w + 2 * pad} ${h + 2 * pad}`}
      role="img"
      aria-label={label}
    >
      {rings.map((ring, i) => (
        <polygon
          key={i}
          points={ring.map(([lng, lat]) => `${x(lng!).toFixed(1)},${y(lat!).toFixed(1)}`).join(' ')}
          fill="#fef3c7"
          fillOpacity={0.6}
          stroke="#b45309"
          strokeWidth={1.2}
        />
      ))}
      {dots.map((dot) => (
        <g key={dot.index} transform={`translate(${x(dot.lng).toFixed(1)},${y(dot.lat).toFixed(1)})`}>
          <title>{dot.name}</title>
          <circle r={7} fill="#0f766e" stroke="#fff" strokeWidth={1.5} />
          <text textAnchor="middle" dy="3" fontSize="8" fill="#fff">
            {dot.index + 1}
          </text>
        </g>
      ))}
    </svg>
  );
}
