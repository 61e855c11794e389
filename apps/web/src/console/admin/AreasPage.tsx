import type { GridCoverage, ImportGridsReport, UnitDetail, UnitSummary } from '@minqing/contract';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  List,
  Modal,
  Row,
  Space,
  Table,
  Tag,
  Tree,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { UNIT_KIND_LABELS } from '../shell/labels.ts';
import { setSearch, useLocation } from '../shell/router.ts';
import { roleUnits, useSession } from '../shell/session.tsx';
import { useRequest } from '../shell/use-request.ts';
import { L } from './geoman.ts';

type Geometry = NonNullable<UnitDetail['geometry']>;
interface FeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; id?: string; geometry: Geometry; properties: Record<string, unknown> }[];
}
interface TreeNode {
  key: string;
  title: string;
  isLeaf: boolean;
  children?: TreeNode[];
}

const CHILD_KINDS = ['street', 'community', 'grid'];

/**
 * The area tree and its outlines: browse street → community → grid, look at the outlines on a map,
 * redraw one (leaflet-geoman), add a grid by drawing it, check that a community's grids cover it
 * without overlaps, and import grids from GeoJSON with a preview of what would happen to each.
 */
export default function AreasPage() {
  const { me } = useSession();
  const t = useT();
  const [language] = useLanguage();
  const { message } = App.useApp();
  const { search } = useLocation();
  const tops = roleUnits(me).filter((u) => CHILD_KINDS.includes(u.kind));
  const selectedId = search.get('unitId') ?? tops[0]?.id;
  const [tree, setTree] = useState<TreeNode[]>(() =>
    tops.map((u) => ({ key: u.id, title: u.name, isLeaf: u.kind === 'grid' })),
  );
  const unit = useRequest(
    selectedId ? () => api.get<UnitDetail>(`/api/units/${selectedId}`) : null,
    `unit:${selectedId}`,
  );
  const outlines = useRequest(
    selectedId
      ? () =>
          api.get<FeatureCollection>(
            `/api/units/${selectedId}/map${query({ kinds: 'street,community,grid' })}`,
          )
      : null,
    `map:${selectedId}`,
  );
  const [coverage, setCoverage] = useState<GridCoverage>();
  const [editing, setEditing] = useState(false);
  const [drawing, setDrawing] = useState<Geometry | null>(null);
  const [importing, setImporting] = useState(false);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError>();

  const mapElement = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layers = useRef<L.LayerGroup | null>(null);
  const editable = useRef<L.Layer | null>(null);

  useEffect(() => {
    if (!mapElement.current) return;
    const instance = L.map(mapElement.current, { attributionControl: false }).setView([23, 115], 12);
    layers.current = L.layerGroup().addTo(instance);
    map.current = instance;
    instance.on('pm:create', (event: { layer: L.Layer }) => {
      const drawn = (event.layer as L.Polygon).toGeoJSON().geometry as Geometry;
      instance.removeLayer(event.layer);
      instance.pm.disableDraw();
      setDrawing(drawn);
    });
    return () => {
      instance.remove();
      map.current = null;
    };
  }, []);

  // Draw the outlines of the selected unit and those below it; the selected one on top.
  useEffect(() => {
    const group = layers.current;
    const instance = map.current;
    if (!group || !instance || !outlines.data) return;
    group.clearLayers();
    editable.current = null;
    const features = [...outlines.data.features].sort(
      (a, b) => (a.id === selectedId ? 1 : 0) - (b.id === selectedId ? 1 : 0),
    );
    for (const feature of features) {
      const isSelected = feature.id === selectedId;
      const layer = L.geoJSON(feature as GeoJSON.Feature, {
        style: {
          color: isSelected ? '#1d4ed8' : feature.properties.kind === 'grid' ? '#0f766e' : '#64748b',
          weight: isSelected ? 3 : 1.5,
          fillOpacity: isSelected ? 0.08 : 0.04,
        },
      });
      layer.bindTooltip(`${String(feature.properties.name)}（${String(feature.properties.code)}）`, {
        sticky: true,
      });
      layer.on('click', () => feature.id && feature.id !== selectedId && setSearch({ unitId: feature.id }));
      layer.addTo(group);
      if (isSelected) editable.current = layer.getLayers()[0] ?? null;
    }
    if (coverage) {
      for (const gap of coverage.gaps.features) {
        L.geoJSON(gap as GeoJSON.Feature, {
          style: { color: '#b91c1c', weight: 1, fillColor: '#ef4444', fillOpacity: 0.35, dashArray: '4 4' },
        })
          .bindTooltip(
            t(
              `空白区 ${Math.round(gap.properties.areaM2)} m²`,
              `Gap ${Math.round(gap.properties.areaM2)} m²`,
            ),
          )
          .addTo(group);
      }
    }
    const bounds = L.geoJSON(outlines.data as GeoJSON.FeatureCollection).getBounds();
    if (bounds.isValid()) instance.fitBounds(bounds, { padding: [16, 16] });
  }, [outlines.data, selectedId, coverage, t]);

  useEffect(() => {
    setCoverage(undefined);
    setEditing(false);
    setError(undefined);
  }, [selectedId]);

  const loadChildren = async (node: TreeNode) => {
    if (node.children) return;
    const page = await api.get<{ items: UnitSummary[] }>(
      `/api/units/${node.key}/children${query({ limit: 500 })}`,
    );
    const children = page.items
      .filter((u) => CHILD_KINDS.includes(u.kind))
      .map((u) => ({
        key: u.id,
        title: `${u.name}${u.isActive ? '' : t('（已停用）', ' (inactive)')}`,
        isLeaf: u.kind === 'grid',
      }));
    const attach = (nodes: TreeNode[]): TreeNode[] =>
      nodes.map((n) =>
        n.key === node.key
          ? { ...n, children, isLeaf: children.length === 0 }
          : n.children
            ? { ...n, children: attach(n.children) }
            : n,
      );
    setTree((current) => attach(current));
  };

  const startEditing = () => {
    const layer = editable.current as (L.Layer & { pm: { enable: (o?: object) => void } }) | null;
    if (!layer) return;
    layer.pm.enable({ allowSelfIntersection: false });
    setEditing(true);
  };

  const saveOutline = async () => {
    const layer = editable.current as (L.Polygon & { pm: { disable: () => void } }) | null;
    if (!layer || !unit.data) return;
    const geometry = layer.toGeoJSON().geometry as Geometry;
    setSaving(true);
    setError(undefined);
    try {
      await api.patch(`/api/units/${unit.data.id}`, { expectedVersion: unit.data.version, geometry });
      layer.pm.disable();
      setEditing(false);
      message.success(t('边界已保存', 'Outline saved'));
      await Promise.all([unit.reload(), outlines.reload()]);
    } catch (caught) {
      // The edited outline stays on the map, so nothing drawn is lost; the message says what to fix.
      setError(caught as ApiError);
    } finally {
      setSaving(false);
    }
  };

  const cancelEditing = async () => {
    (editable.current as (L.Layer & { pm: { disable: () => void } }) | null)?.pm.disable();
    setEditing(false);
    setError(undefined);
    await outlines.reload();
  };

  const checkCoverage = async () => {
    if (!unit.data) return;
    try {
      setCoverage(await api.get<GridCoverage>(`/api/console/units/${unit.data.id}/coverage`));
    } catch (caught) {
      setError(caught as ApiError);
    }
  };

  const u = unit.data;
  const canEdit = !!u && u.allowedActions.includes('update') && !!u.geometry && u.geometry.type !== 'Point';
  const canAddGrid = !!u && u.kind === 'community' && u.allowedActions.includes('create_child');
  const canImport = !!u && u.allowedActions.includes('import_grids');

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('区域与网格', 'Areas and grids')}
      </Typography.Title>
      <Row gutter={12}>
        <Col xs={24} lg={6}>
          <Card size="small" title={t('区域树', 'Area tree')}>
            <Tree<TreeNode>
              treeData={tree}
              loadData={loadChildren}
              selectedKeys={selectedId ? [selectedId] : []}
              onSelect={(keys) => keys[0] && setSearch({ unitId: String(keys[0]) })}
              defaultExpandedKeys={tops.map((u) => u.id)}
            />
          </Card>
        </Col>
        <Col xs={24} lg={18}>
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Card
              size="small"
              title={u ? `${u.name} · ${pick(UNIT_KIND_LABELS[u.kind], language)}` : '…'}
              extra={
                <Space wrap>
                  {canEdit && !editing && (
                    <Button onClick={startEditing} data-testid="edit-outline">
                      {t('编辑边界', 'Edit outline')}
                    </Button>
                  )}
                  {editing && (
                    <>
                      <Button type="primary" loading={saving} onClick={() => void saveOutline()}>
                        {t('保存边界', 'Save outline')}
                      </Button>
                      <Button onClick={() => void cancelEditing()}>{t('放弃修改', 'Discard')}</Button>
                    </>
                  )}
                  {canAddGrid && !editing && (
                    <Button
                      onClick={() => map.current?.pm.enableDraw('Polygon', { allowSelfIntersection: false })}
                    >
                      {t('画新网格', 'Draw a grid')}
                    </Button>
                  )}
                  {u?.kind === 'community' && (
                    <Button onClick={() => void checkCoverage()}>{t('检查覆盖', 'Check coverage')}</Button>
                  )}
                  {canImport && (
                    <Button onClick={() => setImporting(true)}>{t('导入 GeoJSON', 'Import GeoJSON')}</Button>
                  )}
                </Space>
              }
            >
              {error && (
                <Alert
                  type="error"
                  showIcon
                  title={error.text()}
                  style={{ marginBottom: 8 }}
                  description={errorDetails(error, language)}
                />
              )}
              {editing && (
                <Alert
                  type="info"
                  showIcon
                  style={{ marginBottom: 8 }}
                  title={t(
                    '拖动顶点调整边界，点击边的中点可增加顶点；完成后保存。',
                    'Drag the vertices; click a midpoint to add one; then save.',
                  )}
                />
              )}
              <div
                ref={mapElement}
                role="region"
                aria-label={t('区域地图', 'Area map')}
                style={{ height: 480, background: '#eef2f7', borderRadius: 6 }}
              />
              {u && (
                <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginTop: 8 }}>
                  <Descriptions.Item label={t('代码', 'Code')}>{u.code}</Descriptions.Item>
                  <Descriptions.Item label={t('下级', 'Children')}>{u.childCount}</Descriptions.Item>
                  <Descriptions.Item label={t('状态', 'Status')}>
                    {u.isActive ? t('启用', 'Active') : t('已停用', 'Inactive')}
                  </Descriptions.Item>
                </Descriptions>
              )}
            </Card>
            {coverage && <CoverageCard coverage={coverage} onPick={(id) => setSearch({ unitId: id })} />}
          </Space>
        </Col>
      </Row>
      {drawing && u && (
        <NewGridDialog
          community={u}
          geometry={drawing}
          onClose={async (created) => {
            setDrawing(null);
            if (created) await Promise.all([outlines.reload(), unit.reload()]);
          }}
        />
      )}
      {importing && u && (
        <ImportDialog
          onClose={async (changed) => {
            setImporting(false);
            if (changed) await Promise.all([outlines.reload(), unit.reload()]);
          }}
        />
      )}
    </Space>
  );
}

function errorDetails(error: ApiError, language: string): React.ReactNode {
  const issues =
    (error.details.issues as { path: string; messageZh: string; messageEn: string }[] | undefined) ?? [];
  if (issues.length === 0) return undefined;
  return (
    <ul style={{ margin: 0, paddingInlineStart: 18 }}>
      {issues.map((issue) => (
        <li key={issue.path + issue.messageEn}>{language === 'zh' ? issue.messageZh : issue.messageEn}</li>
      ))}
    </ul>
  );
}

function CoverageCard({ coverage, onPick }: { coverage: GridCoverage; onPick: (id: string) => void }) {
  const t = useT();
  const fine =
    coverage.overlaps.length === 0 && coverage.gaps.features.length === 0 && coverage.outside.length === 0;
  return (
    <Card size="small" title={t('网格覆盖检查', 'Grid coverage')} data-testid="coverage">
      {coverage.coveredShare !== null && (
        <Typography.Paragraph>
          {t(
            `网格覆盖社区面积的 ${(coverage.coveredShare * 100).toFixed(1)}%。`,
            `The grids cover ${(coverage.coveredShare * 100).toFixed(1)}% of the community.`,
          )}
        </Typography.Paragraph>
      )}
      {coverage.communityAreaM2 === null && (
        <Alert
          type="warning"
          showIcon
          title={t('社区没有边界，无法检查空白区。', 'The community has no outline: gaps cannot be checked.')}
        />
      )}
      {fine && (
        <Alert
          type="success"
          showIcon
          title={t('网格之间没有重叠，也没有空白区。', 'No overlaps and no gaps.')}
        />
      )}
      {coverage.overlaps.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>{t('重叠', 'Overlaps')}</Typography.Text>}
          dataSource={coverage.overlaps}
          renderItem={(o) => (
            <List.Item>
              <a onClick={() => onPick(o.a.id)}>{o.a.name}</a> ×{' '}
              <a onClick={() => onPick(o.b.id)}>{o.b.name}</a>：{Math.round(o.areaM2)} m²
            </List.Item>
          )}
        />
      )}
      {coverage.gaps.features.length > 0 && (
        <Typography.Paragraph type="danger">
          {t(
            `有 ${coverage.gaps.features.length} 处空白区（地图上红色虚线），最大 ${Math.round(coverage.gaps.features[0]!.properties.areaM2)} m²。`,
            `${coverage.gaps.features.length} gaps (red, dashed on the map); the largest is ${Math.round(coverage.gaps.features[0]!.properties.areaM2)} m².`,
          )}
        </Typography.Paragraph>
      )}
      {coverage.outside.length > 0 && (
        <Typography.Paragraph type="warning">
          {t('超出社区边界的网格：', 'Grids reaching outside the community: ')}
          {coverage.outside.map((g) => `${g.name}（${Math.round(g.areaM2)} m²）`).join('、')}
        </Typography.Paragraph>
      )}
    </Card>
  );
}

function NewGridDialog({
  community,
  geometry,
  onClose,
}: {
  community: UnitDetail;
  geometry: Geometry;
  onClose: (created: boolean) => void;
}) {
  const t = useT();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open
      title={t('新增网格', 'New grid')}
      okText={t('保存', 'Save')}
      confirmLoading={busy}
      onCancel={() => onClose(false)}
      onOk={() => form.submit()}
    >
      {error && <Alert type="error" showIcon title={error.text()} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ code: community.code }}
        onFinish={async (values) => {
          setBusy(true);
          setError(undefined);
          try {
            await api.post('/api/units', {
              parentId: community.id,
              kind: 'grid',
              code: values.code.trim(),
              name: values.name.trim(),
              geometry,
            });
            onClose(true);
          } catch (caught) {
            setError(caught as ApiError);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item
          name="code"
          label={t('网格代码（15 位）', 'Grid code (15 digits)')}
          extra={t(
            `社区代码 ${community.code} 加 3 位网格序号（自西向东、自北向南编号）`,
            `The community code ${community.code} and a 3-digit grid number`,
          )}
          rules={[
            { required: true, message: t('请填写代码', 'Enter the code') },
            { pattern: /^\d{15}$/, message: t('网格代码为 15 位数字', 'A grid code has 15 digits') },
            {
              validator: async (_r, value: string) => {
                if (value && /^\d{15}$/.test(value) && !value.startsWith(community.code)) {
                  throw new Error(
                    t(
                      `应以社区代码 ${community.code} 开头`,
                      `Must start with the community code ${community.code}`,
                    ),
                  );
                }
              },
            },
          ]}
        >
          <Input inputMode="numeric" maxLength={15} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('名称', 'Name')}
          rules={[
            { required: true, whitespace: true, message: t('请填写名称', 'Enter the name') },
            { max: 100 },
          ]}
        >
          <Input placeholder={t('例如：第5网格', 'e.g. Grid 5')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function featureName(feature: unknown): string {
  const name = (feature as { properties?: { name?: unknown } } | undefined)?.properties?.name;
  return typeof name === 'string' ? name : '';
}

function ImportDialog({ onClose }: { onClose: (changed: boolean) => void }) {
  const t = useT();
  const [language] = useLanguage();
  const [collection, setCollection] = useState<{ type: 'FeatureCollection'; features: unknown[] }>();
  const [fileName, setFileName] = useState<string>();
  const [report, setReport] = useState<ImportGridsReport>();
  const [error, setError] = useState<ApiError | string>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!collection) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.post<ImportGridsReport>('/api/units/import-grids', {
        dryRun,
        featureCollection: collection,
      });
      setReport(result);
      if (!dryRun) setDone(true);
    } catch (caught) {
      setError(caught as ApiError);
    } finally {
      setBusy(false);
    }
  };

  const rows = useMemo(
    () =>
      report
        ? [
            ...report.imported.map((r) => ({ ...r, outcome: 'imported' as const, reason: '' })),
            ...report.updated.map((r) => ({ ...r, outcome: 'updated' as const, reason: '' })),
            ...report.unchanged.map((r) => ({ ...r, outcome: 'unchanged' as const, reason: '' })),
            ...report.refused.map((r) => ({
              index: r.index,
              code: r.code ?? '—',
              // The report names the feature by its position; its name is in the file.
              name: featureName(collection?.features[r.index]),
              unitId: null,
              outcome: 'refused' as const,
              reason: pick(r.message, language),
            })),
          ].sort((a, b) => a.index - b.index)
        : [],
    [report, language, collection],
  );
  const outcomeTag = {
    imported: <Tag color="green">{t('新增', 'New')}</Tag>,
    updated: <Tag color="blue">{t('更新', 'Updated')}</Tag>,
    unchanged: <Tag>{t('无变化', 'Unchanged')}</Tag>,
    refused: <Tag color="red">{t('拒绝', 'Refused')}</Tag>,
  };

  return (
    <Modal
      open
      width={820}
      title={t('导入网格（GeoJSON）', 'Import grids (GeoJSON)')}
      onCancel={() => onClose(done)}
      footer={
        done ? (
          <Button type="primary" onClick={() => onClose(true)}>
            {t('完成', 'Done')}
          </Button>
        ) : (
          <Space>
            <Button onClick={() => onClose(false)}>{t('取消', 'Cancel')}</Button>
            <Button onClick={() => void run(true)} disabled={!collection} loading={busy && !report}>
              {t('预览', 'Preview')}
            </Button>
            <Button
              type="primary"
              disabled={!report || report.imported.length + report.updated.length === 0}
              loading={busy && !!report}
              onClick={() => void run(false)}
            >
              {t('确认导入', 'Import')}
            </Button>
          </Space>
        )
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">
          {t(
            '每个要素为一个网格：Polygon 或 MultiPolygon，属性 code（15 位网格代码）和 name。先预览，确认后写入；有问题的要素逐条列出原因，其余照常导入。',
            'One feature per grid: Polygon or MultiPolygon with properties code (15 digits) and name. Preview first; refused features are listed with their reason, the rest import.',
          )}
        </Typography.Paragraph>
        <Upload
          accept=".geojson,.json,application/geo+json,application/json"
          maxCount={1}
          showUploadList={false}
          beforeUpload={async (file) => {
            setReport(undefined);
            setDone(false);
            setError(undefined);
            try {
              const parsed = JSON.parse(await file.text()) as { type?: string; features?: unknown[] };
              if (parsed.type !== 'FeatureCollection' || !Array.isArray(parsed.features)) {
                throw new Error(
                  t('文件不是 GeoJSON FeatureCollection', 'The file is not a GeoJSON FeatureCollection'),
                );
              }
              setCollection(parsed as { type: 'FeatureCollection'; features: unknown[] });
              setFileName(file.name);
            } catch (caught) {
              setCollection(undefined);
              setError(
                caught instanceof SyntaxError
                  ? t('文件不是有效的 JSON', 'The file is not valid JSON')
                  : String((caught as Error).message),
              );
            }
            return false;
          }}
        >
          <Button>{t('选择文件…', 'Choose a file…')}</Button>
        </Upload>
        {fileName && collection && (
          <Typography.Text>
            {fileName}：{t(`${collection.features.length} 个要素`, `${collection.features.length} features`)}
          </Typography.Text>
        )}
        {error && <Alert type="error" showIcon title={typeof error === 'string' ? error : error.text()} />}
        {report && (
          <>
            <Alert
              type={report.refused.length ? 'warning' : 'success'}
              showIcon
              title={
                (report.dryRun ? t('预览：', 'Preview: ') : t('已导入：', 'Imported: ')) +
                t(
                  `新增 ${report.imported.length}，更新 ${report.updated.length}，无变化 ${report.unchanged.length}，拒绝 ${report.refused.length}`,
                  `${report.imported.length} new, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ${report.refused.length} refused`,
                )
              }
            />
            <Table
              size="small"
              rowKey={(r) => `${r.index}-${r.outcome}`}
              dataSource={rows}
              pagination={rows.length > 10 ? { pageSize: 10 } : false}
              columns={[
                { title: '#', dataIndex: 'index', width: 50, render: (i: number) => i + 1 },
                { title: t('代码', 'Code'), dataIndex: 'code', width: 160 },
                { title: t('名称', 'Name'), dataIndex: 'name', width: 140 },
                {
                  title: t('结果', 'Outcome'),
                  dataIndex: 'outcome',
                  render: (o: keyof typeof outcomeTag) => outcomeTag[o],
                },
                { title: t('原因', 'Reason'), dataIndex: 'reason' },
              ]}
            />
          </>
        )}
      </Space>
    </Modal>
  );
}
