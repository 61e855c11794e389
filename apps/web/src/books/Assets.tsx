import type { z } from 'zod';
import type { ZPublicAssetList } from '@minqing/contract';
import { useLanguage, useT } from '../shared/i18n.ts';
import { ACQUIRED_HOW, ASSET_CATEGORY, ASSET_STATE } from '../console/finance/registers/asset-labels.ts';
import { periodLabel, useApi, yuan } from './data.ts';

type PublicAssetList = z.infer<typeof ZPublicAssetList>;

/**
 * The village's fixed assets as villagers see them (docs/decisions/0710): what each is, operating or
 * not, where it stands, its original value, depreciation (to the last sealed month) and net value. No
 * note and no contract link: nothing personal.
 */
export function Assets({ bookId }: { bookId: string }) {
  const t = useT();
  const [language] = useLanguage();
  const assets = useApi<PublicAssetList>(`/api/public/books/${bookId}/assets`);
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
          <table className="bk-table">
            <thead>
              <tr>
                <th>{t('资产', 'Asset')}</th>
                <th className="bk-num">{t('原值', 'Cost')}</th>
                <th className="bk-num">{t('净值', 'Net')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((a) => (
                <tr key={a.id}>
                  <td>
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
