import { newId } from '../offline/uuid.ts';
import type { Patrol, Schedule } from '@minqing/contract';
import { Button, Card, Dialog, ErrorBlock, Form, Popup, Result, Selector, Switch, Toast } from 'antd-mobile';
import { TextBox } from '../components/TextBox.tsx';
import { PageBar } from '../components/PageBar.tsx';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../shared/api.ts';
import { useLanguage, useT } from '../../shared/i18n.ts';
import { CategoryPicker } from '../components/CategoryPicker.tsx';
import { LocationField, NO_PLACE, type PlaceValue } from '../components/LocationField.tsx';
import { OutboxList } from '../components/OutboxList.tsx';
import { PhotoPicker } from '../components/PhotoPicker.tsx';
import { clearDraft, useDraftPhotos, useDraftState } from '../offline/drafts.ts';
import { enqueue, flush, onSent } from '../offline/outbox.ts';
import { goBack } from '../router.ts';
import { formatDistance } from '../text.ts';
import {
  addFix,
  enqueueFixes,
  readActivePatrol,
  takeBatch,
  writeActivePatrol,
  type ActivePatrol,
} from './patrol-state.ts';

/** A fix every few seconds while the page is open; a batch to the outbox about every half minute. */
const FIX_EVERY_MS = 5000;
const BATCH_EVERY_MS = 30_000;
const GRIDS_KEY = 'minqing.patrol-grids';

type GpsStatus = 'waiting' | 'ok' | 'refused' | 'lost';

interface Ended {
  local: ActivePatrol;
  endedAt: string;
  server: Patrol | null;
}

/** /m/patrol — a grid worker's round: start, the track, check-ins, findings (即报即办), the end and its summary. */
export default function PatrolPage() {
  const t = useT();
  const [patrol, setPatrolState] = useState<ActivePatrol | null>(() => readActivePatrol());
  const [ended, setEnded] = useState<Ended | null>(null);
  const ref = useRef(patrol);
  const setPatrol = useCallback((next: ActivePatrol | null) => {
    ref.current = next;
    writeActivePatrol(next);
    setPatrolState(next);
  }, []);

  if (ended) return <Summary ended={ended} onClose={() => setEnded(null)} />;
  return (
    <div className="m-scroll">
      <PageBar onBack={() => goBack()}>{t('巡查', 'Patrol')}</PageBar>
      {patrol ? (
        <Running patrolRef={ref} patrol={patrol} setPatrol={setPatrol} onEnded={setEnded} />
      ) : (
        <StartPatrol onStart={setPatrol} />
      )}
    </div>
  );
}

function StartPatrol(props: { onStart: (patrol: ActivePatrol) => void }) {
  const t = useT();
  const [grids, setGrids] = useState<{ id: string; name: string }[] | null>(() => {
    try {
      return JSON.parse(localStorage.getItem(GRIDS_KEY) ?? 'null') as { id: string; name: string }[] | null;
    } catch {
      return null;
    }
  });
  const [gridId, setGridId] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<Schedule>('/api/patrols/schedule')
      .then((schedule) => {
        const list = schedule.grids.map((g) => g.grid);
        localStorage.setItem(GRIDS_KEY, JSON.stringify(list));
        setGrids(list);
      })
      .catch(() => setGrids((old) => old ?? []));
  }, []);
  const chosen = gridId ?? (grids?.length === 1 ? grids[0]!.id : null);

  async function start() {
    const grid = grids?.find((g) => g.id === chosen);
    if (!grid) return;
    const patrol: ActivePatrol = {
      id: newId(),
      gridId: grid.id,
      gridName: grid.name,
      startedAt: new Date().toISOString(),
      pointCount: 0,
      distanceM: 0,
      checkinCount: 0,
      findingCount: 0,
      lastFix: null,
      buffer: [],
    };
    await enqueue({
      id: `start-${patrol.id}`,
      kind: 'patrol-start',
      patrolId: patrol.id,
      body: { id: patrol.id, gridId: grid.id, startedAt: patrol.startedAt },
      photos: [],
      label: { zh: `开始巡查 ${grid.name}`, en: `Patrol of ${grid.name} started` },
    });
    props.onStart(patrol);
  }

  if (grids && grids.length === 0)
    return (
      <ErrorBlock
        status="empty"
        title={t('没有可巡查的网格', 'No grid to patrol')}
        description={t(
          '您不是任何网格的网格员，或网络不可用。',
          'You are not a grid worker of any grid, or you are offline.',
        )}
      />
    );
  return (
    <div className="m-pad">
      <Card className="m-card" title={t('选择网格', 'Grid')}>
        <Selector
          columns={1}
          options={(grids ?? []).map((g) => ({ value: g.id, label: g.name }))}
          value={chosen ? [chosen] : []}
          onChange={(value) => setGridId(value[0] ?? null)}
        />
      </Card>
      <p className="m-muted m-pad-x">
        {t(
          '巡查开始后，页面打开期间每隔几秒记录一次位置；轨迹仅本人和社区、街道管理员可见，按规定期限保存。',
          'While this page is open your position is recorded every few seconds. Only you and your supervisors see the track; it is kept for a set period.',
        )}
      </p>
      <div className="m-actions">
        <Button block color="primary" size="large" disabled={!chosen} onClick={() => void start()}>
          {t('开始巡查', 'Start patrol')}
        </Button>
      </div>
    </div>
  );
}

function Running(props: {
  patrolRef: React.MutableRefObject<ActivePatrol | null>;
  patrol: ActivePatrol;
  setPatrol: (patrol: ActivePatrol | null) => void;
  onEnded: (ended: Ended) => void;
}) {
  const t = useT();
  const [language] = useLanguage();
  const { patrol, patrolRef, setPatrol } = props;
  const [gps, setGps] = useState<GpsStatus>('waiting');
  const [now, setNow] = useState(Date.now());
  const [findingOpen, setFindingOpen] = useState(false);

  const sendBatch = useCallback(async () => {
    const current = patrolRef.current;
    if (!current || current.buffer.length === 0) return;
    const [points, rest] = takeBatch(current);
    setPatrol(rest);
    try {
      await enqueueFixes(current.id, points);
    } catch {
      // IndexedDB refused: keep the fixes in the buffer for the next try.
      const latest = patrolRef.current;
      if (latest) setPatrol({ ...latest, buffer: [...points, ...latest.buffer] });
    }
  }, [patrolRef, setPatrol]);

  // The track: one fix every few seconds; no fix, no point — gaps stay gaps.
  useEffect(() => {
    let lastAt = 0;
    const take = () =>
      navigator.geolocation?.getCurrentPosition(
        (position) => {
          setGps('ok');
          const current = patrolRef.current;
          if (!current || position.timestamp === lastAt) return;
          lastAt = position.timestamp;
          const fix = {
            at: new Date(Math.min(position.timestamp, Date.now())).toISOString(),
            lng: Math.round(position.coords.longitude * 1e7) / 1e7,
            lat: Math.round(position.coords.latitude * 1e7) / 1e7,
            accuracy: Math.min(100_000, Math.round(position.coords.accuracy)),
          };
          setPatrol(addFix(current, fix));
        },
        (error) => setGps(error.code === 1 ? 'refused' : 'lost'),
        { enableHighAccuracy: true, maximumAge: 2000, timeout: FIX_EVERY_MS },
      );
    take();
    const fixes = setInterval(take, FIX_EVERY_MS);
    const batches = setInterval(() => void sendBatch(), BATCH_EVERY_MS);
    const clock = setInterval(() => setNow(Date.now()), 1000);
    const hide = () => void sendBatch();
    window.addEventListener('pagehide', hide);
    // Keep the screen on during the round where the browser allows it.
    let lock: { release(): Promise<void> } | null = null;
    (navigator as unknown as { wakeLock?: { request(type: 'screen'): Promise<typeof lock> } }).wakeLock
      ?.request('screen')
      .then((l) => (lock = l))
      .catch(() => undefined);
    return () => {
      clearInterval(fixes);
      clearInterval(batches);
      clearInterval(clock);
      window.removeEventListener('pagehide', hide);
      void lock?.release().catch(() => undefined);
      void sendBatch();
    };
  }, [patrolRef, sendBatch, setPatrol]);

  useEffect(
    () =>
      onSent((event) => {
        if (event.item.kind === 'finding' && event.item.patrolId === patrolRef.current?.id)
          Toast.show({ icon: 'success', content: t('巡查发现已送达', 'Finding delivered') });
      }),
    [patrolRef, t],
  );

  async function checkIn() {
    const current = patrolRef.current;
    if (!current?.lastFix) {
      Toast.show({ content: t('还没有定位，无法打卡', 'No position yet; cannot check in') });
      return;
    }
    const id = newId();
    await enqueue({
      id: `checkin-${id}`,
      kind: 'checkin',
      patrolId: current.id,
      body: {
        id,
        at: new Date().toISOString(),
        location: { lng: current.lastFix.lng, lat: current.lastFix.lat },
      },
      photos: [],
      label: { zh: '巡查打卡', en: 'Check-in' },
    });
    setPatrol({ ...patrolRef.current!, checkinCount: patrolRef.current!.checkinCount + 1 });
    Toast.show({ icon: 'success', content: t('已打卡', 'Checked in') });
  }

  async function end() {
    const confirmed = await Dialog.confirm({
      content: t('确定结束本次巡查吗？', 'End this patrol?'),
      confirmText: t('结束巡查', 'End patrol'),
      cancelText: t('继续巡查', 'Keep going'),
    });
    if (!confirmed) return;
    await sendBatch();
    const current = patrolRef.current!;
    const endedAt = new Date().toISOString();
    await enqueue({
      id: `end-${current.id}`,
      kind: 'patrol-end',
      patrolId: current.id,
      body: { endedAt },
      photos: [],
      label: { zh: `结束巡查 ${current.gridName}`, en: `Patrol of ${current.gridName} ended` },
    });
    setPatrol(null);
    const result: Ended = { local: current, endedAt, server: null };
    props.onEnded(result);
  }

  const minutes = Math.max(0, Math.floor((now - Date.parse(patrol.startedAt)) / 60_000));
  return (
    <div className="m-pad" data-testid="patrol-running">
      <Card className="m-card" title={t(`正在巡查：${patrol.gridName}`, `Patrolling ${patrol.gridName}`)}>
        <dl className="m-stats">
          <div>
            <dt>{t('时长', 'Time')}</dt>
            <dd>{t(`${minutes} 分钟`, `${minutes} min`)}</dd>
          </div>
          <div>
            <dt>{t('距离', 'Distance')}</dt>
            <dd>{formatDistance(patrol.distanceM, language)}</dd>
          </div>
          <div>
            <dt>{t('轨迹点', 'Points')}</dt>
            <dd data-testid="point-count">{patrol.pointCount}</dd>
          </div>
          <div>
            <dt>{t('打卡', 'Check-ins')}</dt>
            <dd>{patrol.checkinCount}</dd>
          </div>
          <div>
            <dt>{t('发现', 'Findings')}</dt>
            <dd data-testid="finding-count">{patrol.findingCount}</dd>
          </div>
        </dl>
        <p className={gps === 'ok' ? 'm-muted' : 'm-warn'} role="status">
          {gps === 'ok'
            ? t('定位正常，正在记录轨迹', 'Location on; recording the track')
            : gps === 'waiting'
              ? t('正在获取位置…', 'Getting a position…')
              : gps === 'refused'
                ? t(
                    '定位被拒绝：请在微信或浏览器设置中允许定位，轨迹在此期间会中断',
                    'Location refused: allow it in the settings; the track has a gap meanwhile',
                  )
                : t(
                    '暂时没有定位信号，轨迹在此期间会中断',
                    'No position for now; the track has a gap meanwhile',
                  )}
        </p>
      </Card>
      <div className="m-actions">
        <Button block color="primary" size="large" onClick={() => setFindingOpen(true)}>
          {t('上报巡查发现', 'Report a finding')}
        </Button>
        <Button block size="large" onClick={() => void checkIn()}>
          {t('打卡', 'Check in here')}
        </Button>
        <Button block size="large" color="danger" fill="outline" onClick={() => void end()}>
          {t('结束巡查', 'End patrol')}
        </Button>
      </div>
      <OutboxList kinds={['finding', 'checkin', 'points', 'patrol-start']} />
      <Popup
        visible={findingOpen}
        onMaskClick={() => setFindingOpen(false)}
        bodyStyle={{ height: '90vh', overflowY: 'auto' }}
      >
        {findingOpen && (
          <FindingForm
            patrol={patrol}
            onDone={() => {
              setFindingOpen(false);
              setPatrol({ ...patrolRef.current!, findingCount: patrolRef.current!.findingCount + 1 });
            }}
            onCancel={() => setFindingOpen(false)}
          />
        )}
      </Popup>
    </div>
  );
}

interface FindingDraft {
  categoryCode: string | null;
  description: string;
  onTheSpot: boolean;
  result: string;
  urgent: boolean;
  place: PlaceValue;
}

function FindingForm(props: { patrol: ActivePatrol; onDone: () => void; onCancel: () => void }) {
  const t = useT();
  const { patrol } = props;
  const fresh = patrol.lastFix && Date.now() - patrol.lastFix.at < 120_000;
  const [draft, setDraft] = useDraftState<FindingDraft>('finding', {
    categoryCode: null,
    description: '',
    onTheSpot: false,
    result: '',
    urgent: false,
    place: NO_PLACE,
  });
  const place: PlaceValue =
    draft.place.location || draft.place.unit || !fresh
      ? draft.place
      : {
          location: { lng: patrol.lastFix!.lng, lat: patrol.lastFix!.lat },
          accuracy: null,
          unit: null,
          source: 'gps',
        };
  const [photos, setPhotos] = useDraftPhotos('finding');
  const [after, setAfter] = useDraftPhotos('finding-after');

  async function save() {
    const problems: string[] = [];
    if (!draft.categoryCode) problems.push(t('请选择分类', 'Choose a category'));
    if (draft.description.trim().length < 2) problems.push(t('请描述问题', 'Describe the problem'));
    if (!place.location && !place.unit) problems.push(t('请定位或选择楼栋', 'Locate or pick a building'));
    if (draft.onTheSpot && draft.result.trim().length < 2)
      problems.push(t('请填写处置结果', 'Say what was done'));
    if (draft.onTheSpot && after.length === 0)
      problems.push(t('请拍处置后的照片', 'Add a photo after the work'));
    if (problems.length) {
      Toast.show({ content: problems[0] });
      return;
    }
    const description = draft.description.trim();
    await enqueue({
      id: `finding-${newId()}`,
      kind: 'finding',
      patrolId: patrol.id,
      body: {
        categoryCode: draft.categoryCode,
        description,
        ...(place.location ? { location: place.location } : { unitId: place.unit!.id }),
        ...(place.unit ? { address: place.unit.name } : {}),
        priority: draft.urgent ? 'urgent' : 'normal',
        ...(draft.onTheSpot ? { onTheSpot: { result: draft.result.trim() } } : {}),
      },
      photos: photos.map((blob) => ({ blob, uploadId: null })),
      afterPhotos: draft.onTheSpot ? after.map((blob) => ({ blob, uploadId: null })) : [],
      label: {
        zh: `${draft.onTheSpot ? '即报即办' : '巡查发现'}：${description.slice(0, 16)}`,
        en: `${draft.onTheSpot ? 'Fixed on the spot' : 'Finding'}: ${description.slice(0, 24)}`,
      },
    });
    clearDraft('finding');
    clearDraft('finding-after');
    setPhotos([]);
    setAfter([]);
    setDraft({
      categoryCode: null,
      description: '',
      onTheSpot: false,
      result: '',
      urgent: false,
      place: NO_PLACE,
    });
    Toast.show({
      icon: 'success',
      content: navigator.onLine
        ? t('已保存，正在发送', 'Saved; sending')
        : t('已保存，联网后发送', 'Saved; sent when online'),
    });
    props.onDone();
  }

  return (
    <div className="m-sheet" role="dialog" aria-label={t('上报巡查发现', 'Report a finding')}>
      <PageBar onBack={props.onCancel}>{t('巡查发现', 'Finding')}</PageBar>
      <Form layout="vertical" footer={null}>
        <Form.Item label={t('现场照片', 'Photos')}>
          <PhotoPicker
            photos={photos}
            onChange={setPhotos}
            label={t('拍照', 'Photo')}
            testId="finding-photos"
          />
        </Form.Item>
        <Form.Item label={t('分类', 'Category')} required>
          <CategoryPicker
            value={draft.categoryCode}
            onChange={(categoryCode) => setDraft((old) => ({ ...old, categoryCode }))}
          />
        </Form.Item>
        <Form.Item label={t('描述', 'Description')} required>
          <TextBox
            aria-label={t('描述', 'Description')}
            value={draft.description}
            onChange={(description) => setDraft((old) => ({ ...old, description }))}
            rows={3}
            maxLength={2000}
          />
        </Form.Item>
        <Form.Item label={t('位置', 'Where')} required>
          <LocationField
            value={place}
            areaId={patrol.gridId}
            onChange={(value) => setDraft((old) => ({ ...old, place: value }))}
          />
        </Form.Item>
        <Form.Item label={t('紧急', 'Urgent')}>
          <Switch
            aria-label={t('紧急', 'Urgent')}
            checked={draft.urgent}
            onChange={(urgent) => setDraft((old) => ({ ...old, urgent }))}
          />
        </Form.Item>
        <Form.Item label={t('即报即办（已当场处理好）', 'Fixed on the spot (即报即办)')}>
          <Switch
            aria-label={t('即报即办', 'Fixed on the spot')}
            checked={draft.onTheSpot}
            onChange={(onTheSpot) => setDraft((old) => ({ ...old, onTheSpot }))}
          />
        </Form.Item>
        {draft.onTheSpot && (
          <>
            <Form.Item label={t('处置结果', 'What was done')} required>
              <TextBox
                aria-label={t('处置结果', 'What was done')}
                value={draft.result}
                onChange={(result) => setDraft((old) => ({ ...old, result }))}
                rows={2}
                maxLength={2000}
              />
            </Form.Item>
            <Form.Item label={t('处置后照片', 'Photos after the work')} required>
              <PhotoPicker
                photos={after}
                onChange={setAfter}
                label={t('拍照', 'Photo')}
                testId="finding-after-photos"
              />
            </Form.Item>
          </>
        )}
      </Form>
      <div className="m-actions">
        <Button block color="primary" size="large" onClick={() => void save()}>
          {t('提交', 'Send')}
        </Button>
      </div>
    </div>
  );
}

function Summary(props: { ended: Ended; onClose: () => void }) {
  const t = useT();
  const [language] = useLanguage();
  const { local, endedAt } = props.ended;
  const [server, setServer] = useState<Patrol | null>(null);
  useEffect(() => {
    let live = true;
    const read = () =>
      api
        .get<Patrol>(`/api/patrols/${local.id}`)
        .then((value) => live && value.state === 'ended' && setServer(value))
        .catch(() => undefined);
    void flush().then(read);
    const stop = onSent((event) => event.item.id === `end-${local.id}` && void read());
    return () => {
      live = false;
      stop();
    };
  }, [local.id]);
  const minutes =
    server?.summary.durationMinutes ??
    Math.round((Date.parse(endedAt) - Date.parse(local.startedAt)) / 60_000);
  const distance = server?.summary.distanceM ?? local.distanceM;
  return (
    <div className="m-scroll" data-testid="patrol-summary">
      <PageBar onBack={props.onClose}>{t('巡查小结', 'Patrol summary')}</PageBar>
      <Result
        status={server ? 'success' : 'waiting'}
        title={t('巡查已结束', 'Patrol ended')}
        description={
          server
            ? t('已同步到平台', 'Saved on the server')
            : t('部分记录等待发送，联网后自动同步', 'Some records wait to be sent; they go when online')
        }
      />
      <Card className="m-card">
        <dl className="m-stats">
          <div>
            <dt>{t('网格', 'Grid')}</dt>
            <dd>{local.gridName}</dd>
          </div>
          <div>
            <dt>{t('时长', 'Time')}</dt>
            <dd>{t(`${minutes} 分钟`, `${minutes} min`)}</dd>
          </div>
          <div>
            <dt>{t('距离', 'Distance')}</dt>
            <dd>{formatDistance(distance, language)}</dd>
          </div>
          <div>
            <dt>{t('轨迹点', 'Points')}</dt>
            <dd>{server?.summary.pointCount ?? local.pointCount}</dd>
          </div>
          <div>
            <dt>{t('打卡', 'Check-ins')}</dt>
            <dd>{server?.summary.checkinCount ?? local.checkinCount}</dd>
          </div>
          <div>
            <dt>{t('发现', 'Findings')}</dt>
            <dd data-testid="summary-findings">{server?.summary.findingCount ?? local.findingCount}</dd>
          </div>
          {server && (
            <div>
              <dt>{t('即报即办', 'Fixed on the spot')}</dt>
              <dd>{server.summary.handledOnTheSpotCount}</dd>
            </div>
          )}
          {server && server.summary.segmentCount > 1 && (
            <div>
              <dt>{t('信号中断', 'Gaps')}</dt>
              <dd>{server.summary.segmentCount - 1}</dd>
            </div>
          )}
        </dl>
      </Card>
      <OutboxList />
      <div className="m-actions">
        <Button block onClick={props.onClose}>
          {t('完成', 'Done')}
        </Button>
      </div>
    </div>
  );
}
