import {
  passwordProblems,
  ROLE_NAMES,
  USER_ROLES,
  type Organisation,
  type User,
  type UserRole,
} from '@minqing/contract';
import {
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { api, ApiError, query } from '../../shared/api.ts';
import { pick, useLanguage, useT } from '../../shared/i18n.ts';
import { FormDialog } from '../common/FormDialog.tsx';
import { loadTeams } from '../common/data.ts';
import { formatTime } from '../shell/format.ts';
import { roleUnits, useSession } from '../shell/session.tsx';
import { useRequest } from '../shell/use-request.ts';

const STAFF_ROLES = USER_ROLES.filter((role) => role !== 'resident');

/** Staff accounts and their roles at units: create, grant, revoke, lock out, deactivate (never delete). */
export default function PeoplePage() {
  const t = useT();
  const [language] = useLanguage();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<UserRole>();
  const list = useRequest(
    () =>
      api.get<{ items: User[]; nextCursor: string | null }>(
        `/api/users${query({ kind: 'staff', q: q || undefined, role, limit: 100 })}`,
      ),
    `staff:${q}:${role}`,
  );
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string>();
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>
        {t('人员与角色', 'People and roles')}
      </Typography.Title>
      <Card
        size="small"
        title={
          <Space>
            <Input.Search
              aria-label={t('搜索姓名或用户名', 'Search name or username')}
              placeholder={t('姓名、用户名或手机号', 'Name, username or mobile')}
              allowClear
              onSearch={(v) => setQ(v.trim())}
              style={{ width: 240 }}
            />
            <Select
              aria-label={t('角色', 'Role')}
              allowClear
              placeholder={t('全部角色', 'All roles')}
              value={role}
              onChange={setRole}
              options={STAFF_ROLES.map((r) => ({ value: r, label: pick(ROLE_NAMES[r], language) }))}
              style={{ width: 180 }}
            />
          </Space>
        }
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('新建工作人员', 'New staff account')}
          </Button>
        }
      >
        {list.error && <Typography.Text type="danger">{list.error.text()}</Typography.Text>}
        <Table<User>
          size="small"
          rowKey="id"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            {
              title: t('姓名', 'Name'),
              render: (_, u) => <a onClick={() => setOpen(u.id)}>{u.displayName}</a>,
            },
            { title: t('用户名', 'Username'), dataIndex: 'username' },
            { title: t('手机', 'Mobile'), dataIndex: 'phone', render: (p: string | null) => p ?? '—' },
            {
              title: t('角色', 'Roles'),
              render: (_, u) => (
                <Space size={4} wrap>
                  {u.roles.map((r) => (
                    <Tag key={r.id}>{`${pick(r.roleName, language)} · ${r.unit.name}`}</Tag>
                  ))}
                </Space>
              ),
            },
            {
              title: t('状态', 'Status'),
              render: (_, u) =>
                !u.isActive ? (
                  <Tag>{t('已停用', 'Deactivated')}</Tag>
                ) : u.lockedUntil ? (
                  <Tag color="red">{t('已锁定', 'Locked')}</Tag>
                ) : (
                  <Tag color="green">{t('正常', 'Active')}</Tag>
                ),
            },
          ]}
        />
      </Card>
      {creating && (
        <CreateStaffDialog
          onClose={async (changed) => {
            setCreating(false);
            if (changed) await list.reload();
          }}
        />
      )}
      {open && (
        <UserDrawer
          userId={open}
          onClose={async () => {
            setOpen(undefined);
            await list.reload();
          }}
        />
      )}
    </Space>
  );
}

function RoleFields({ prefix = '' }: { prefix?: string }) {
  const { me } = useSession();
  const t = useT();
  const [language] = useLanguage();
  const form = Form.useFormInstance();
  const role = Form.useWatch(prefix ? [prefix, 'role'] : 'role', form) as UserRole | undefined;
  const unitId = Form.useWatch(prefix ? [prefix, 'unitId'] : 'unitId', form) as string | undefined;
  const teams = useRequest(role === 'handler' && unitId ? () => loadTeams(unitId) : null, `teams:${unitId}`);
  const name = (field: string) => (prefix ? [prefix, field] : field);
  return (
    <>
      <Form.Item
        name={name('role')}
        label={t('角色', 'Role')}
        rules={[{ required: true, message: t('请选择角色', 'Choose a role') }]}
      >
        <Select options={STAFF_ROLES.map((r) => ({ value: r, label: pick(ROLE_NAMES[r], language) }))} />
      </Form.Item>
      <Form.Item
        name={name('unitId')}
        label={t('所在单位', 'At unit')}
        rules={[{ required: true, message: t('请选择单位', 'Choose the unit') }]}
      >
        <UnitPicker units={roleUnits(me)} />
      </Form.Item>
      {role === 'handler' && (
        <Form.Item
          name={name('orgId')}
          label={t('所属处置单位', 'Organisation')}
          rules={[
            {
              required: true,
              message: t('处置人员须属于一个处置单位', 'A handler acts for an organisation'),
            },
          ]}
        >
          <Select
            loading={teams.loading}
            options={(teams.data ?? []).map((o: Organisation) => ({ value: o.id, label: o.name }))}
          />
        </Form.Item>
      )}
    </>
  );
}

/** A unit where the administrator holds a role, or one of its communities and grids. */
function UnitPicker({
  units,
  value,
  onChange,
}: {
  units: { id: string; name: string }[];
  value?: string;
  onChange?: (v: string) => void;
}) {
  const [q, setQ] = useState('');
  const t = useT();
  const found = useRequest(
    q.length >= 1
      ? () =>
          api.get<{ items: { id: string; name: string; code: string }[] }>(
            `/api/units/search${query({ q, limit: 20 })}`,
          )
      : null,
    `unit-search:${q}`,
  );
  const options = [
    ...units.map((u) => ({ value: u.id, label: u.name })),
    ...(found.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.name}（${u.code}）` })),
  ];
  return (
    <Select
      showSearch
      filterOption={false}
      onSearch={setQ}
      value={value}
      onChange={onChange}
      placeholder={t('输入名称或代码搜索', 'Search by name or code')}
      options={options.filter((o, i) => options.findIndex((x) => x.value === o.value) === i)}
    />
  );
}

function CreateStaffDialog({ onClose }: { onClose: (changed: boolean) => void }) {
  const t = useT();
  const [language] = useLanguage();
  return (
    <FormDialog<{
      username: string;
      displayName: string;
      phone?: string;
      password: string;
      first: { role: UserRole; unitId: string; orgId?: string };
    }>
      title={t('新建工作人员', 'New staff account')}
      okText={t('创建', 'Create')}
      onClose={onClose}
      onSubmit={async (values) => {
        await api.post('/api/users', {
          username: values.username.trim(),
          displayName: values.displayName.trim(),
          ...(values.phone?.trim() ? { phone: values.phone.trim() } : {}),
          password: values.password,
          roles: [
            {
              role: values.first.role,
              unitId: values.first.unitId,
              ...(values.first.orgId ? { orgId: values.first.orgId } : {}),
            },
          ],
        });
      }}
    >
      {(form) => (
        <>
          <Form.Item
            name="username"
            label={t('用户名', 'Username')}
            rules={[
              { required: true, message: t('请填写用户名', 'Enter a username') },
              {
                pattern: /^[A-Za-z][A-Za-z0-9_.-]{2,31}$/,
                message: t(
                  '3–32 位，以字母开头，只含字母、数字、_ . -',
                  '3–32 characters: a letter first, then letters, digits, _ . -',
                ),
              },
            ]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="displayName"
            label={t('姓名', 'Name')}
            rules={[{ required: true, whitespace: true }, { max: 40 }]}
          >
            <Input />
          </Form.Item>
          <Form.Item
            name="phone"
            label={t('手机号（可选）', 'Mobile (optional)')}
            rules={[
              {
                pattern: /^(\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}$/,
                message: t('请填写有效的手机号', 'Enter a valid mobile number'),
              },
            ]}
          >
            <Input inputMode="tel" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('初始密码（首次登录须修改）', 'Initial password (changed at first sign-in)')}
            rules={[
              { required: true, message: t('请填写初始密码', 'Enter an initial password') },
              {
                validator: async (_r, value: string) => {
                  const problems = passwordProblems(value ?? '', {
                    username: form.getFieldValue('username') as string,
                    phone: form.getFieldValue('phone') as string,
                  });
                  if (problems.length)
                    throw new Error(problems.map((p) => (language === 'zh' ? p.zh : p.en)).join('；'));
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <RoleFields prefix="first" />
        </>
      )}
    </FormDialog>
  );
}

function UserDrawer({ userId, onClose }: { userId: string; onClose: () => void }) {
  const t = useT();
  const [language] = useLanguage();
  const { message, modal } = App.useApp();
  const user = useRequest(() => api.get<User>(`/api/users/${userId}`), `user:${userId}`);
  const [granting, setGranting] = useState(false);
  const [reason, setReason] = useState<'deactivate' | 'reactivate' | null>(null);
  const [resetting, setResetting] = useState(false);
  const u = user.data;
  const act = async (path: string, body: object = {}) => {
    try {
      await api.post(`/api/users/${userId}/${path}`, body);
      await user.reload();
    } catch (caught) {
      message.error((caught as ApiError).text());
    }
  };
  return (
    <Drawer open width={560} title={u?.displayName ?? '…'} onClose={onClose}>
      {u && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('用户名', 'Username')}>{u.username}</Descriptions.Item>
            <Descriptions.Item label={t('手机', 'Mobile')}>{u.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('最近登录', 'Last sign-in')}>
              {formatTime(u.lastLoginAt, language)}
            </Descriptions.Item>
            <Descriptions.Item label={t('状态', 'Status')}>
              {u.isActive ? t('正常', 'Active') : t('已停用', 'Deactivated')}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Text strong>{t('角色', 'Roles')}</Typography.Text>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={u.roles}
            columns={[
              { title: t('角色', 'Role'), render: (_, r) => pick(r.roleName, language) },
              { title: t('单位', 'Unit'), render: (_, r) => r.unit.name + (r.org ? ` · ${r.org.name}` : '') },
              {
                title: '',
                render: (_, r) =>
                  r.allowedActions.includes('revoke') && (
                    <Button
                      size="small"
                      danger
                      onClick={() =>
                        modal.confirm({
                          title: t('收回这个角色？', 'Revoke this role?'),
                          onOk: () => act(`roles/${r.id}/revoke`, {}),
                        })
                      }
                    >
                      {t('收回', 'Revoke')}
                    </Button>
                  ),
              },
            ]}
          />
          <Space wrap>
            {u.allowedActions.includes('grant-role') && (
              <Button onClick={() => setGranting(true)}>{t('授予角色', 'Grant a role')}</Button>
            )}
            {u.allowedActions.includes('unlock') && (
              <Button onClick={() => void act('unlock')}>{t('解除锁定', 'Unlock')}</Button>
            )}
            {u.allowedActions.includes('reset-password') && (
              <Button onClick={() => setResetting(true)}>{t('重置密码', 'Reset password')}</Button>
            )}
            {u.allowedActions.includes('deactivate') && (
              <Button danger onClick={() => setReason('deactivate')}>
                {t('停用账号', 'Deactivate')}
              </Button>
            )}
            {u.allowedActions.includes('reactivate') && (
              <Button onClick={() => setReason('reactivate')}>{t('重新启用', 'Reactivate')}</Button>
            )}
          </Space>
        </Space>
      )}
      {granting && (
        <FormDialog<{ role: UserRole; unitId: string; orgId?: string }>
          title={t('授予角色', 'Grant a role')}
          okText={t('授予', 'Grant')}
          onClose={async (changed) => {
            setGranting(false);
            if (changed) await user.reload();
          }}
          onSubmit={async (values) => {
            await api.post(`/api/users/${userId}/roles`, {
              role: values.role,
              unitId: values.unitId,
              ...(values.orgId ? { orgId: values.orgId } : {}),
            });
          }}
        >
          <RoleFields />
        </FormDialog>
      )}
      {reason && (
        <FormDialog<{ reason: string }>
          title={
            reason === 'deactivate'
              ? t('停用账号', 'Deactivate the account')
              : t('重新启用账号', 'Reactivate the account')
          }
          okText={reason === 'deactivate' ? t('停用', 'Deactivate') : t('启用', 'Reactivate')}
          danger={reason === 'deactivate'}
          onClose={async (changed) => {
            setReason(null);
            if (changed) await user.reload();
          }}
          onSubmit={async (values) => {
            await api.post(`/api/users/${userId}/${reason}`, { reason: values.reason.trim() });
          }}
        >
          <Typography.Paragraph type="secondary">
            {t(
              '账号不会被删除：停用后不能登录，记录保留。',
              'Accounts are never deleted: a deactivated one cannot sign in; its records stay.',
            )}
          </Typography.Paragraph>
          <Form.Item
            name="reason"
            label={t('原因（记入安全日志）', 'Reason (kept in the security log)')}
            rules={[{ required: true, whitespace: true }, { min: 2 }, { max: 500 }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
        </FormDialog>
      )}
      {resetting && u && (
        <FormDialog<{ newPassword: string }>
          title={t('重置密码', 'Reset the password')}
          okText={t('重置', 'Reset')}
          onClose={async (changed) => {
            setResetting(false);
            if (changed)
              message.success(
                t('已重置，对方下次登录须修改密码', 'Reset: they must change it at next sign-in'),
              );
          }}
          onSubmit={async (values) => {
            await api.post(`/api/users/${userId}/reset-password`, { newPassword: values.newPassword });
          }}
        >
          <Form.Item
            name="newPassword"
            label={t('临时密码', 'Temporary password')}
            rules={[
              { required: true },
              {
                validator: async (_r, value: string) => {
                  const problems = passwordProblems(value ?? '', { username: u.username });
                  if (problems.length)
                    throw new Error(problems.map((p) => (language === 'zh' ? p.zh : p.en)).join('；'));
                },
              },
            ]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </FormDialog>
      )}
    </Drawer>
  );
}
