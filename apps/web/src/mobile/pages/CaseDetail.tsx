import type { CaseDetail as CaseDetailType, Rating } from '@minqing/contract';
import {
  Button,
  Card,
  ErrorBlock,
  Form,
  Image,
  ImageViewer,
  Popup,
  Selector,
  SpinLoading,
  Steps,
  Tag,
  Toast,
} from 'antd-mobile';
import { TextBox } from '../components/TextBox.tsx';
import { PageBar } from '../components/PageBar.tsx';
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { PhotoPicker } from '../components/PhotoPicker.tsx';
import { clearDraft, useDraftPhotos, useDraftState } from '../offline/drafts.ts';
import { goBack } from '../router.ts';
import { formatTime, RATINGS, STATE_HINTS, STEPS, stepIndex } from '../text.ts';

/** Uploads photos one by one (the server answers the same bytes with the same upload). */
export async function uploadPhotos(photos: Blob[]): Promise<string[]> {
  const ids: string[] = [];
  for (const photo of photos) {
    const form = new FormData();
    form.append('file', photo, 'photo.jpg');
    ids.push((await api.post<{ id: string }>('/api/uploads', form)).id);
  }
  return ids;
}

type ActionName = 'rate' | 'start' | 'submit' | 'verify' | 'follow-up';

/** /m/cases/:id — a case in plain words: where it stands, what happened, the result; rate or act on it. */
export default function CaseDetailPage(props: { id: string }) {
  const t = useT();
  const [language] = useLanguage();
  const [item, setItem] = useState<CaseDetailType | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [action, setAction] = useState<ActionName | null>(null);
  const [viewer, setViewer] = useState<{ urls: string[]; index: number } | null>(null);

  const load = useCallback(() => {
    api
      .get<CaseDetailType>(`/api/cases/${encodeURIComponent(props.id)}`)
      .then((value) => {
        setItem(value);
        setError(null);
      })
      .catch((e: unknown) =>
        setError(e instanceof ApiError ? e : new ApiError(0, 'x', { zh: '加载失败', en: 'Failed' }, {})),
      );
  }, [props.id]);
  useEffect(load, [load]);

  if (error)
    return (
      <div className="m-scroll">
        <PageBar onBack={() => goBack('/m/mine')}>{t('问题详情', 'Report')}</PageBar>
        <ErrorBlock
          status={error.status === 0 ? 'disconnected' : 'empty'}
          title={error.text()}
          description={<Button onClick={load}>{t('重试', 'Retry')}</Button>}
        />
      </div>
    );
  if (!item)
    return (
      <div className="m-loading" role="status">
        <SpinLoading />
      </div>
    );

  const current = stepIndex(item.state);
  const reportPhotos = item.photos.filter((p) => p.stage === 'report');
  const resultPhotos = item.photos.filter((p) => p.stage === 'after' || p.stage === 'before');
  const checkPhotos = item.photos.filter((p) => p.stage === 'verify');
  const actions = (['start', 'submit', 'verify', 'follow-up', 'rate'] as const).filter((a) =>
    item.allowedActions.includes(a),
  );
  const gallery = (photos: typeof item.photos, label: string) =>
    photos.length > 0 && (
      <div className="m-gallery" aria-label={label}>
        {photos.map((photo, index) => (
          <Image
            key={photo.id}
            src={photo.urls.thumb}
            alt={`${label} ${index + 1}`}
            width={96}
            height={96}
            fit="cover"
            onClick={() => setViewer({ urls: photos.map((p) => p.urls.public), index })}
          />
        ))}
      </div>
    );

  return (
    <div className="m-scroll" data-testid="case-detail">
      <PageBar onBack={() => goBack('/m/mine')}>{t('问题详情', 'Report')}</PageBar>
      <Card className="m-card">
        <div className="m-case-head">
          <h2>{pick(item.category.name, language)}</h2>
          <Tag
            color={item.state === 'closed' ? 'success' : item.isOverdue ? 'danger' : 'primary'}
            data-testid="case-state"
          >
            {pick(item.stateName, language)}
          </Tag>
        </div>
        <p className="m-muted">
          {t('编号', 'No.')} {item.code} · {formatTime(item.reportedAt, language)}
        </p>
        <p className="m-case-text">{item.description}</p>
        {item.address && <p className="m-muted">{item.address}</p>}
        {gallery(reportPhotos, t('上报照片', 'Report photo'))}
      </Card>
      <Card className="m-card" title={t('办理进度', 'Progress')}>
        <p className="m-hint" data-testid="state-hint">
          {STATE_HINTS[item.state][language]}
        </p>
        <Steps direction="vertical" current={current}>
          {STEPS.map((step, index) => (
            <Steps.Step
              key={step.zh}
              title={language === 'zh' ? step.zh : step.en}
              status={
                index < current
                  ? 'finish'
                  : index === current
                    ? item.state === 'rejected'
                      ? 'error'
                      : 'process'
                    : 'wait'
              }
            />
          ))}
        </Steps>
      </Card>
      {(item.resultSummary || resultPhotos.length > 0) && (
        <Card className="m-card" title={t('处理结果', 'Result')}>
          {item.org && (
            <p className="m-muted">{t(`处理单位：${item.org.name}`, `Handled by ${item.org.name}`)}</p>
          )}
          {item.resultSummary && (
            <p className="m-case-text" data-testid="result">
              {item.resultSummary}
            </p>
          )}
          {gallery(resultPhotos, t('处理照片', 'Result photo'))}
          {gallery(checkPhotos, t('核查照片', 'Check photo'))}
        </Card>
      )}
      {item.rejectReason && (
        <Card className="m-card" title={t('不予受理的原因', 'Why it was not accepted')}>
          <p>{item.rejectReason}</p>
        </Card>
      )}
      <Card className="m-card" title={t('办理记录', 'What happened')}>
        <ol className="m-timeline">
          {[...item.timeline].reverse().map((entry) => (
            <li key={entry.seq}>
              <strong>{pick(entry.label, language)}</strong>
              <span className="m-muted">
                {formatTime(entry.at, language)}
                {entry.actor.name ? ` · ${entry.actor.name}` : ''}
              </span>
              {typeof entry.details.result === 'string' && <span>{entry.details.result}</span>}
              {typeof entry.details.reason === 'string' && <span>{entry.details.reason}</span>}
              {typeof entry.details.comment === 'string' && <span>{entry.details.comment}</span>}
            </li>
          ))}
        </ol>
      </Card>
      {actions.length > 0 && (
        <div className="m-actions m-sticky">
          {actions.map((name) => (
            <Button key={name} block color="primary" onClick={() => setAction(name)}>
              {ACTION_LABELS[name][language]}
            </Button>
          ))}
        </div>
      )}
      <Popup
        visible={action !== null}
        onMaskClick={() => setAction(null)}
        bodyStyle={{ maxHeight: '85vh', overflowY: 'auto' }}
      >
        {action && (
          <ActionForm
            item={item}
            action={action}
            onDone={() => {
              setAction(null);
              load();
            }}
          />
        )}
      </Popup>
      <ImageViewer.Multi
        images={viewer?.urls ?? []}
        visible={viewer !== null}
        defaultIndex={viewer?.index ?? 0}
        onClose={() => setViewer(null)}
      />
    </div>
  );
}

const ACTION_LABELS: Record<ActionName, { zh: string; en: string }> = {
  rate: { zh: '评价处理结果', en: 'Rate the result' },
  start: { zh: '开始处置', en: 'Start work' },
  submit: { zh: '提交处置结果', en: 'Submit the result' },
  verify: { zh: '现场核查', en: 'Check on site' },
  'follow-up': { zh: '回访', en: 'Follow up' },
};

interface ActionDraft {
  rating: Rating | null;
  comment: string;
  result: string;
  passed: boolean | null;
  method: 'phone' | 'visit';
}

function ActionForm(props: { item: CaseDetailType; action: ActionName; onDone: () => void }) {
  const t = useT();
  const [language] = useLanguage();
  const key = `case-${props.item.id}-${props.action}`;
  const [draft, setDraft] = useDraftState<ActionDraft>(key, {
    rating: null,
    comment: '',
    result: '',
    passed: null,
    method: 'visit',
  });
  const [photos, setPhotos] = useDraftPhotos(key);
  const [busy, setBusy] = useState(false);
  const { action, item } = props;

  async function send() {
    setBusy(true);
    try {
      const photoIds = photos.length > 0 ? await uploadPhotos(photos) : undefined;
      const comment = draft.comment.trim() || undefined;
      const body =
        action === 'rate'
          ? { rating: draft.rating, comment }
          : action === 'start'
            ? { photoIds }
            : action === 'submit'
              ? { result: draft.result.trim(), photoIds }
              : action === 'verify'
                ? { passed: draft.passed, note: comment, photoIds }
                : { method: draft.method, rating: draft.rating, comment };
      await api.post(`/api/cases/${item.id}/${action}`, { expectedVersion: item.version, ...body });
      clearDraft(key);
      Toast.show({ icon: 'success', content: t('已提交', 'Sent') });
      props.onDone();
    } catch (error) {
      // The form keeps what was typed; the message says why.
      Toast.show({
        content: error instanceof ApiError ? error.text() : t('提交失败', 'Failed'),
        duration: 3000,
      });
    } finally {
      setBusy(false);
    }
  }

  const ready =
    action === 'rate' || action === 'follow-up'
      ? draft.rating !== null
      : action === 'submit'
        ? draft.result.trim().length >= 2
        : action === 'verify'
          ? draft.passed !== null
          : true;

  return (
    <div className="m-sheet" role="dialog" aria-label={ACTION_LABELS[action][language]}>
      <h2>{ACTION_LABELS[action][language]}</h2>
      <Form layout="vertical" footer={null}>
        {(action === 'rate' || action === 'follow-up') && (
          <Form.Item label={t('您对处理结果满意吗？', 'Are you satisfied with the result?')}>
            <Selector
              columns={3}
              options={RATINGS.map((r) => ({ value: r.value, label: language === 'zh' ? r.zh : r.en }))}
              value={draft.rating ? [draft.rating] : []}
              onChange={(value) => setDraft((old) => ({ ...old, rating: (value[0] as Rating) ?? null }))}
            />
            {draft.rating === 'unsatisfied' && (
              <p className="m-warn">
                {t(
                  '选择“不满意”后，问题会退回重新处理。',
                  '“Unsatisfied” sends the case back to be handled again.',
                )}
              </p>
            )}
          </Form.Item>
        )}
        {action === 'follow-up' && (
          <Form.Item label={t('回访方式', 'How')}>
            <Selector
              options={[
                { value: 'visit', label: t('上门', 'Visit') },
                { value: 'phone', label: t('电话', 'Phone') },
              ]}
              value={[draft.method]}
              onChange={(value) => value[0] && setDraft((old) => ({ ...old, method: value[0] as 'visit' }))}
            />
          </Form.Item>
        )}
        {action === 'verify' && (
          <Form.Item label={t('现场是否已处理好？', 'Is it fixed on site?')}>
            <Selector
              options={[
                { value: 'yes', label: t('合格', 'Passed') },
                { value: 'no', label: t('不合格，退回', 'Not fixed — send back') },
              ]}
              value={draft.passed === null ? [] : [draft.passed ? 'yes' : 'no']}
              onChange={(value) =>
                setDraft((old) => ({ ...old, passed: value[0] ? value[0] === 'yes' : null }))
              }
            />
          </Form.Item>
        )}
        {action === 'submit' && (
          <Form.Item label={t('处置结果', 'What was done')} required>
            <TextBox
              aria-label={t('处置结果', 'What was done')}
              value={draft.result}
              onChange={(result) => setDraft((old) => ({ ...old, result }))}
              rows={3}
              maxLength={2000}
            />
          </Form.Item>
        )}
        {action !== 'submit' && action !== 'start' && (
          <Form.Item label={t('说明（选填）', 'Comment (optional)')}>
            <TextBox
              aria-label={t('说明', 'Comment')}
              value={draft.comment}
              onChange={(comment) => setDraft((old) => ({ ...old, comment }))}
              rows={2}
              maxLength={1000}
            />
          </Form.Item>
        )}
        {(action === 'submit' || action === 'verify' || action === 'start') && (
          <Form.Item
            label={
              action === 'start' ? t('处置前照片（选填）', 'Photos before (optional)') : t('照片', 'Photos')
            }
          >
            <PhotoPicker photos={photos} onChange={setPhotos} max={6} label={t('拍照', 'Photo')} />
          </Form.Item>
        )}
      </Form>
      <Button block color="primary" size="large" loading={busy} disabled={!ready} onClick={() => void send()}>
        {t('提交', 'Send')}
      </Button>
    </div>
  );
}
