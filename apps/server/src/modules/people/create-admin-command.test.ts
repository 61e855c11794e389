import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { runCreateAdminCommand } from './create-admin-command.ts';
import { clientAt, securityEventsOf, uniqueIp } from './people-test-helpers.ts';

describe('minqing create-admin', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp({ trustProxy: true });
  });
  afterAll(() => app.close());

  async function run(args: string[], password = 'Guanli#Yuan2026') {
    const lines: string[] = [];
    const code = await runCreateAdminCommand(args, {
      db: app.db,
      cipher: app.fieldCipher,
      print: (line) => lines.push(line),
      readPassword: async () => `${password}\n`,
    });
    return { code, output: lines.join('\n') };
  }

  it('creates a system administrator at a street who must change the password at first sign-in', async () => {
    const community = await buildCommunity(app);
    const username = `admin${Date.now()}`;
    const { code, output } = await run([
      '--username',
      username,
      '--name',
      '系统管理员',
      '--unit',
      community.street.code,
    ]);
    expect(code).toBe(0);
    expect(output).toContain('首次登录须修改密码');

    const { reply, client } = await clientAt(app, uniqueIp()).login(username, 'Guanli#Yuan2026');
    expect(reply.status).toBe(200);
    expect(reply.body.me.mustChangePassword).toBe(true);
    expect(reply.body.me.roles).toEqual([
      expect.objectContaining({
        role: 'system_admin',
        unit: expect.objectContaining({ id: community.street.id }),
      }),
    ]);
    await client!.post('/api/me/password', {
      currentPassword: 'Guanli#Yuan2026',
      newPassword: 'Xitong#Guanli2026',
    });
    const users = await client!.get('/api/users?role=community_admin');
    expect(users.body.items.map((u: { id: string }) => u.id)).toEqual([community.people.communityAdmin.id]);
    const events = await securityEventsOf(app, reply.body.me.id);
    expect(events[0]!.details).toMatchObject({ via: 'command_line', role: 'system_admin' });
  });

  it('refuses a weak password, a unit of the wrong kind, a taken name and a wrong command line', async () => {
    const community = await buildCommunity(app);
    const weak = await run(
      ['--username', `a${Date.now()}`, '--name', '管理员', '--unit', community.street.code],
      'admin',
    );
    expect(weak.code).toBe(1);
    expect(weak.output).toContain('密码至少需要 8 个字符');
    const atGrid = await run([
      '--username',
      `b${Date.now()}`,
      '--name',
      '审计员',
      '--unit',
      community.grid.code,
      '--role',
      'auditor',
    ]);
    expect(atGrid.code).toBe(1);
    expect(atGrid.output).toContain('不能设在此类单位');
    const username = `c${Date.now()}`;
    expect((await run(['--username', username, '--name', '甲', '--unit', community.street.code])).code).toBe(
      0,
    );
    const taken = await run(['--username', username, '--name', '乙', '--unit', community.street.code]);
    expect(taken.code).toBe(1);
    expect(taken.output).toContain('用户名已被使用');
    expect((await run(['--username', 'd1234', '--unit', community.street.code])).code).toBe(2);
    expect(
      (
        await run([
          '--username',
          'd1234',
          '--name',
          '丙',
          '--unit',
          community.street.code,
          '--role',
          'street_admin',
        ])
      ).code,
    ).toBe(2);
    expect((await run(['--bogus'])).code).toBe(2);
    expect((await run(['--username', 'e1234', '--name', '丁', '--unit', 'no-such-code'])).output).toContain(
      '不存在',
    );
  });
});
