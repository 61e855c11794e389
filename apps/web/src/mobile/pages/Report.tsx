import { newId } from '../offline/uuid.ts';
import type { Case, ZNearbyCase } from '@minqing/contract';
import type { z } from 'zod';
import { Button, Form, Result, Switch, Toast } from 'antd-mobile';
import { TextBox } from '../components/TextBox.tsx';
import { PageBar } from '../components/PageBar.tsx';
import { useEffect, useRef, useState } from 'react';
import { api, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { CategoryPicker, useCategories } from '../components/CategoryPicker.tsx';
import { LocationField, NO_PLACE, type PlaceValue } from '../components/LocationField.tsx';
import { PhotoPicker } from '../components/PhotoPicker.tsx';
import { clearDraft, useDraftPhotos, useDraftState } from '../offline/drafts.ts';
import { enqueue, onSent } from '../offline/outbox.ts';
import { goBack, navigate } from '../router.ts';
import { useSession } from '../session.ts';
import { formatDistance } from '../text.ts';

interface ReportDraft {
  categoryCode: string | null;
  description: string;
  isPublicAnonymous: boolean;
  place: PlaceValue;
}

type NearbyCase = z.infer<typeof ZNearbyCase>;

const EMPTY: ReportDraft = { categoryCode: null, description: '', isPublicAnonymous: false, place: NO_PLACE };
/** How long the form waits for the server before it says the report will be sent later. */
const WAIT_MS = 20_000;

type Outcome = { kind: 'sent'; case: Case } | { kind: 'queued' };

/** /m/report: 随手拍 — photos, place, category, a few words; nearby reports of the same problem first. */
export default function ReportPage() {
  const t = useT();
  const [language] = useLanguage();
  const { me } = useSession();
  const [draft, setDraft] = useDraftState<ReportDraft>('report', EMPTY);
  const [photos, setPhotos] = useDraftPhotos('report');
  const [nearby, setNearby] = useState<NearbyCase[]>([]);
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const live = useRef(true);
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  const dictionary = useCategories();
  const categoryName = (code: string) => {
    if (!dictionary || dictionary === 'failed') return code;
    for (const group of dictionary.groups)
      for (const category of group.categories)
        if (category.code === code) return pick(category.name, language);
    return code;
  };
  const location = draft.place.location;
  useEffect(() => {
    if (!location || !draft.categoryCode) {
      setNearby([]);
      return;
    }
    let current = true;
    api
      .get<{ items: NearbyCase[] }>(
        `/api/cases/nearby${query({ lng: location.lng, lat: location.lat, category: draft.categoryCode, radius: 200 })}`,
      )
      .then((result) => current && setNearby(result.items))
      .catch(() => current && setNearby([]));
    return () => {
      current = false;
    };
  }, [location?.lng, location?.lat, draft.categoryCode]);

  function validate(): boolean {
    const found: Record<string, string> = {};
    if (!draft.categoryCode) found.category = t('请选择问题分类', 'Choose a category');
    if (draft.description.trim().length < 2)
      found.description = t(
        '请用几句话描述问题（至少 2 个字）',
        'Describe the problem (at least 2 characters)',
      );
    if (!draft.place.location && !draft.place.unit)
      found.place = t('请定位或从列表选择位置', 'Locate, or pick the place from the list');
    setErrors(found);
    if (Object.keys(found).length) Toast.show({ content: Object.values(found)[0] });
    return Object.keys(found).length === 0;
  }

  async function submit() {
    if (!validate()) return;
    setSending(true);
    const id = `report-${newId()}`;
    const { place } = draft;
    const body = {
      categoryCode: draft.categoryCode,
      description: draft.description.trim(),
      isPublicAnonymous: draft.isPublicAnonymous,
      ...(place.location ? { location: place.location } : { unitId: place.unit!.id }),
      ...(place.unit ? { address: place.unit.name } : {}),
    };
    // Wait for this item's answer (or give up waiting: it stays in the outbox and goes later).
    const answer = new Promise<Outcome>((resolve) => {
      const stop = onSent((event) => {
        if (event.item.id !== id) return;
        stop();
        resolve({ kind: 'sent', case: event.result as Case });
      });
      setTimeout(() => {
        stop();
        resolve({ kind: 'queued' });
      }, WAIT_MS);
      window.addEventListener('offline', () => resolve({ kind: 'queued' }), { once: true });
    });
    try {
      await enqueue({
        id,
        kind: 'report',
        body,
        photos: photos.map((blob) => ({ blob, uploadId: null })),
        label: {
          zh: `上报：${draft.description.trim().slice(0, 20)}`,
          en: `Report: ${draft.description.trim().slice(0, 30)}`,
        },
      });
    } catch {
      setSending(false);
      Toast.show({ content: t('无法保存到手机，请重试', 'Could not save on this phone; try again') });
      return;
    }
    // Stored on the phone: the form's work is done, whatever the network does now.
    clearDraft('report');
    const result = navigator.onLine ? await answer : ({ kind: 'queued' } as const);
    if (!live.current) return;
    setDraft(EMPTY);
    setPhotos([]);
    setSending(false);
    setOutcome(result);
  }

  if (outcome) {
    return (
      <div className="m-scroll">
        <PageBar onBack={() => goBack()}>{t('上报结果', 'Report')}</PageBar>
        {outcome.kind === 'sent' ? (
          <Result
            status="success"
            title={t('上报成功', 'Reported')}
            description={t(
              `编号 ${outcome.case.code}，处理进展会通知您`,
              `No. ${outcome.case.code}; you will be told of progress`,
            )}
          />
        ) : (
          <Result
            status="waiting"
            title={t('已保存，等待发送', 'Saved; waiting to send')}
            description={t(
              '网络不好，上报已保存在手机上，联网后会自动发送，不会重复。',
              'The network is poor. The report is saved on this phone and is sent once when the network is back.',
            )}
          />
        )}
        <div className="m-actions">
          {outcome.kind === 'sent' && (
            <Button
              block
              color="primary"
              onClick={() => navigate(`/m/cases/${outcome.case.id}`, { replace: true })}
            >
              {t('查看进展', 'See progress')}
            </Button>
          )}
          <Button block onClick={() => navigate('/m/mine', { replace: true })}>
            {t('我的上报', 'My reports')}
          </Button>
          <Button block fill="none" onClick={() => setOutcome(null)}>
            {t('再报一件', 'Report another')}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <div className="m-scroll">
      <PageBar onBack={() => goBack()}>{t('我要上报', 'Report a problem')}</PageBar>
      <Form layout="vertical" className="m-form" footer={null}>
        <Form.Item label={t('现场照片（最多 6 张）', 'Photos (up to 6)')}>
          <PhotoPicker
            photos={photos}
            onChange={setPhotos}
            label={t('拍照/相册', 'Camera / album')}
            testId="report-photos"
          />
        </Form.Item>
        <Form.Item label={t('问题位置', 'Where')} required help={errors.place}>
          <LocationField
            value={draft.place}
            areaId={me?.homeUnit?.id ?? null}
            onChange={(place) => setDraft((old) => ({ ...old, place }))}
          />
        </Form.Item>
        <Form.Item label={t('问题分类', 'Category')} required help={errors.category}>
          <CategoryPicker
            value={draft.categoryCode}
            onChange={(categoryCode) => setDraft((old) => ({ ...old, categoryCode }))}
          />
        </Form.Item>
        <Form.Item label={t('问题描述', 'Description')} required help={errors.description}>
          <TextBox
            aria-label={t('问题描述', 'Description')}
            placeholder={t(
              '说说看到了什么问题，比如：3 栋楼下垃圾两天没清运',
              'What is wrong? e.g. rubbish by block 3 not collected for two days',
            )}
            value={draft.description}
            onChange={(description) => setDraft((old) => ({ ...old, description }))}
            maxLength={2000}
            rows={4}
            showCount
          />
        </Form.Item>
        <Form.Item
          label={t('对公众匿名', 'Anonymous to the public')}
          description={t(
            '开启后，地图和公开信息中不显示与您有关的任何内容；工作人员仍可联系您。',
            'Nothing about you appears on the map or in public; staff can still contact you.',
          )}
        >
          <Switch
            aria-label={t('对公众匿名', 'Anonymous to the public')}
            checked={draft.isPublicAnonymous}
            onChange={(isPublicAnonymous) => setDraft((old) => ({ ...old, isPublicAnonymous }))}
          />
        </Form.Item>
      </Form>
      {nearby.length > 0 && (
        <div
          className="m-nearby"
          role="region"
          aria-label={t('附近的同类问题', 'Same problem nearby')}
          data-testid="nearby"
        >
          <h2>
            {t(
              `附近已有 ${nearby.length} 件同类问题，是同一个问题吗？`,
              `${nearby.length} open report(s) of this kind nearby — the same problem?`,
            )}
          </h2>
          <ul>
            {nearby.slice(0, 5).map((item) => (
              <li key={item.code}>
                <span>{categoryName(item.category)}</span> · <span>{item.stateName[language]}</span> ·{' '}
                <span>
                  {t(
                    `相距 ${formatDistance(item.distanceM, language)}`,
                    `${formatDistance(item.distanceM, language)} away`,
                  )}
                </span>
              </li>
            ))}
          </ul>
          <p>
            {t(
              '如果是同一个问题，社区已在处理，不必重复上报。',
              'If it is the same problem, it is already being dealt with.',
            )}
          </p>
        </div>
      )}
      <div className="m-actions">
        <Button
          block
          color="primary"
          size="large"
          loading={sending}
          loadingText={t('正在提交', 'Sending')}
          onClick={() => void submit()}
        >
          {t('提交上报', 'Send report')}
        </Button>
      </div>
    </div>
  );
}
