import {
  ORG_KINDS,
  type Organisation,
  type OrganisationDetail,
  type UnitTreeNode,
  type User,
} from '@minqing/contract';
import {
  App,
  Button,
  Card,
  Drawer,
  Form,
  Input,
  List,
  Select,
  Space,
  Table,
  Tag,
  TreeSelect,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { useT } from '../../shared/i18n.ts';
import { FormDialog, type ShownFields } from '../common/FormDialog.tsx';
import { forgetCached, loadAreaTrees } from '../common/data.ts';
import { setSearch, useLocation } from '../shell/router.ts';
import { roleUnits, useSession } from '../shell/session.tsx';
import { useRequest } from '../shell/use-request.ts';

export const ORG_KIND_LABELS: Record<string, [string, string]> = {
  party_working_committee: ['党工委', 'Party working committee'],
  party_committee: ['党委', 'Party committee'],
  party_branch: ['党支部', 'Party branch'],
  building_group: ['楼栋党小组', 'Building group'],
  party_member_household: ['党员中心户', 'Party-member household'],
  mediation_team: ['调解服务队', 'Mediation team'],
  volunteer_team: ['志愿服务队', 'Volunteer team'],
  property_company: ['物业公司', 'Property company'],
  sanitation_team: ['环卫队', 'Sanitation team'],
  department: ['职能部门', 'Department'],
  committee: ['居委会/村委会', 'Committee'],
  other: ['其他', 'Other'],
};

/** Organisations and teams of a unit and below: create, rename, deactivate, members. */
export default function OrganisationsPage() {
  const { me } = useSession();
  const t = useT();
  const { message } = App.useApp();
  const { search } = useLocation();
  const units = roleUnits(me).filter((u) => ['street', 'community'].includes(u.kind));
  const unitId = search.get('unitId') ?? units[0]?.id;
  const areas = useRequest(() => loadAreaTrees(me), `areas:${me.id}`);
  // Streets and their communities: organisations hang there (teams of a grid are rare).
  const unitTree = useMemo(() => {
    type Option = { value: string; title: string; children: Option[] };
    const convert = (node: UnitTreeNode): Option => ({
      value: node.id,
      title: node.name,
      children: node.children.filter((c) => c.kind !== 'grid').map(convert),
    });
    return (areas.data ?? []).map(convert);
  }, [areas.data]);
  const list = useRequest(
    unitId
      ? () =>
          api.get<{ items: Organisation[] }>(
            `/api/organisations${query({ unitId, subtree: true, includeInactive: true })}`,
          )
      : null,
    `orgs:${unitId}`,
  );
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Organisation>();
  const [open, setOpen] = useState<string>();
  const kindName = (kind: string) =>
    t(ORG_KIND_LABELS[kind]?.[0] ?? kind, ORG_KIND_LABELS[kind]?.[1] ?? kind);

  const orgFields = (org: Organisation): ShownFields => ({
    name: { label: t('名称', 'Name'), value: org.name },
    code: { label: t('代码', 'Code'), value: org.code ?? '—' },
    isActive: {
      label: t('状态', 'Status'),
      value: org.isActive ? t('启用', 'Active') : t('已停用', 'Inactive'),
    },
  });

  const toggle = async (org: Organisation) => {
    try {
      await api.post(`/api/organisations/${org.id}/${org.isActive ? 'deactivate' : 'activate'}`, {
        expectedVersion: org.version,
      });
      forgetCached('teams:');
      await list.reload();
    } catch (caught) {
      message.error((caught as ApiError).text());
      await list.reload();
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('组织与队伍', 'Organisations and teams')}
      </Typography.Title>
      <Card
        size="small"
        title={
          <TreeSelect
            aria-label={t('单位', 'Unit')}
            // Until the tree arrives the id would show instead of the name.
            value={areas.data ? unitId : undefined}
            onChange={(value: string) => setSearch({ unitId: value })}
            treeData={unitTree}
            treeDefaultExpandAll
            placeholder={t('选择街道或社区', 'Choose a street or community')}
            style={{ width: 240 }}
          />
        }
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('新建组织', 'New organisation')}
          </Button>
        }
      >
        <Table<Organisation>
          size="small"
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('名称', 'Name'),
              render: (_, org) => <a onClick={() => setOpen(org.id)}>{org.name}</a>,
            },
            { title: t('类型', 'Kind'), render: (_, org) => kindName(org.kind) },
            { title: t('所属区域', 'Unit'), render: (_, org) => org.unit.name },
            {
              title: t('状态', 'Status'),
              render: (_, org) =>
                org.isActive ? (
                  <Tag color="green">{t('启用', 'Active')}</Tag>
                ) : (
                  <Tag>{t('已停用', 'Inactive')}</Tag>
                ),
            },
            {
              title: t('操作', 'Actions'),
              render: (_, org) => (
                <Space>
                  {org.allowedActions.includes('update') && (
                    <Button size="small" onClick={() => setEditing(org)}>
                      {t('修改', 'Edit')}
                    </Button>
                  )}
                  {(org.allowedActions.includes('deactivate') || org.allowedActions.includes('activate')) && (
                    <Button size="small" danger={org.isActive} onClick={() => void toggle(org)}>
                      {org.isActive ? t('停用', 'Deactivate') : t('启用', 'Activate')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {creating && unitId && (
        <FormDialog<{ kind: string; name: string; code?: string; parentId?: string }>
          title={t('新建组织', 'New organisation')}
          okText={t('创建', 'Create')}
          onClose={async (changed) => {
            setCreating(false);
            if (changed) {
              forgetCached('teams:');
              await list.reload();
            }
          }}
          onSubmit={async (values) => {
            await api.post('/api/organisations', {
              unitId,
              kind: values.kind,
              name: values.name.trim(),
              ...(values.code?.trim() ? { code: values.code.trim() } : {}),
              ...(values.parentId ? { parentId: values.parentId } : {}),
            });
          }}
        >
          <Form.Item
            name="kind"
            label={t('类型', 'Kind')}
            rules={[{ required: true, message: t('请选择类型', 'Choose a kind') }]}
          >
            <Select options={ORG_KINDS.map((k) => ({ value: k, label: kindName(k) }))} />
          </Form.Item>
          <Form.Item
            name="name"
            label={t('名称', 'Name')}
            rules={[
              { required: true, whitespace: true, message: t('请填写名称', 'Enter the name') },
              { max: 100 },
            ]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="code" label={t('代码（可选）', 'Code (optional)')} rules={[{ max: 64 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="parentId" label={t('上级组织（可选）', 'Parent (optional)')}>
            <Select
              allowClear
              options={(list.data?.items ?? [])
                .filter((o) => o.isActive)
                .map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
        </FormDialog>
      )}
      {editing && (
        <FormDialog<{ name: string; code?: string }>
          title={t('修改组织', 'Edit organisation')}
          okText={t('保存', 'Save')}
          initialValues={{ name: editing.name, code: editing.code ?? '' }}
          onClose={async (changed) => {
            setEditing(undefined);
            if (changed) await list.reload();
          }}
          conflict={{
            shown: orgFields(editing),
            load: async () => {
              const now = await api.get<OrganisationDetail>(`/api/organisations/${editing.id}`);
              return {
                version: now.version,
                fields: orgFields(now),
                values: { name: now.name, code: now.code ?? '' },
              };
            },
          }}
          onSubmit={async (values, _form, version) => {
            await api.patch(`/api/organisations/${editing.id}`, {
              expectedVersion: version ?? editing.version,
              name: values.name.trim(),
              code: values.code?.trim() || null,
            });
          }}
        >
          <Form.Item
            name="name"
            label={t('名称', 'Name')}
            rules={[{ required: true, whitespace: true }, { max: 100 }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="code" label={t('代码', 'Code')} rules={[{ max: 64 }]}>
            <Input />
          </Form.Item>
        </FormDialog>
      )}
      {open && <MembersDrawer orgId={open} onClose={() => setOpen(undefined)} />}
    </Space>
  );
}

function MembersDrawer({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const detail = useRequest(() => api.get<OrganisationDetail>(`/api/organisations/${orgId}`), `org:${orgId}`);
  const [q, setQ] = useState('');
  const people = useRequest(
    q.length >= 1
      ? () => api.get<{ items: User[] }>(`/api/users${query({ q, kind: 'staff', limit: 20 })}`)
      : null,
    `users:${q}`,
  );
  const [adding, setAdding] = useState<string>();
  const [title, setTitle] = useState('');
  const canManage = detail.data?.allowedActions.includes('manage_members');
  return (
    <Drawer open width={520} title={detail.data?.name ?? '…'} onClose={onClose}>
      <List
        header={<Typography.Text strong>{t('成员', 'Members')}</Typography.Text>}
        dataSource={detail.data?.members ?? []}
        locale={{ emptyText: t('还没有成员', 'No members yet') }}
        renderItem={(m) => (
          <List.Item
            actions={
              canManage
                ? [
                    <Button
                      key="remove"
                      size="small"
                      danger
                      onClick={async () => {
                        try {
                          await api.delete(`/api/organisations/${orgId}/members/${m.userId}`);
                          await detail.reload();
                        } catch (caught) {
                          message.error((caught as ApiError).text());
                        }
                      }}
                    >
                      {t('移出', 'Remove')}
                    </Button>,
                  ]
                : []
            }
          >
            {m.displayName}
            {m.title ? `（${m.title}）` : ''}
          </List.Item>
        )}
      />
      {canManage && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text strong>{t('添加成员', 'Add a member')}</Typography.Text>
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            value={adding}
            onChange={setAdding}
            placeholder={t('搜索工作人员姓名', 'Search staff by name')}
            options={(people.data?.items ?? []).map((u) => ({ value: u.id, label: u.displayName }))}
            style={{ width: '100%' }}
          />
          <Input
            placeholder={t('职务（可选），如 队长', 'Title (optional)')}
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
          <Button
            type="primary"
            disabled={!adding}
            onClick={async () => {
              try {
                await api.put(
                  `/api/organisations/${orgId}/members/${adding}`,
                  title.trim() ? { title: title.trim() } : {},
                );
                setAdding(undefined);
                setTitle('');
                await detail.reload();
              } catch (caught) {
                message.error((caught as ApiError).text());
              }
            }}
          >
            {t('添加', 'Add')}
          </Button>
        </Space>
      )}
    </Drawer>
  );
}
