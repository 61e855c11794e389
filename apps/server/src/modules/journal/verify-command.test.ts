import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../app.ts';
import { buildCommunity } from '../../../test/factories.ts';
import { buildTestApp } from '../../../test/harness.ts';
import { act, report } from '../cases/case-test-helpers.ts';
import { sealOnce } from './sealer.ts';
import { runVerifyCommand } from './verify-command.ts';

async function runCommand(app: App, args: string[]) {
  const out: string[] = [];
  const progress: string[] = [];
  const status = await runVerifyCommand(args, {
    db: app.db,
    print: (line) => out.push(line),
    progress: (line) => progress.push(line),
  });
  return { status, out: out.join('\n'), progress };
}

describe('minqing verify', () => {
  let app: App;
  beforeAll(async () => {
    app = await buildTestApp();
  });
  afterAll(() => app.close());

  it('exits 0 and says what it checked when the journal verifies', async () => {
    const c = await buildCommunity(app);
    const created = await report(c.people.resident.client, c);
    await act(c.people.communityAdmin.client, created.body.id, 'accept', {});
    await sealOnce(app, { streetId: c.street.id });
    const { status, out } = await runCommand(app, ['--street', c.street.id]);
    expect(status).toBe(0);
    expect(out).toContain(`街道 street ${c.street.id}`);
    expect(out).toMatch(/entries 2（未封存 unsealed 0），记录 records 1/);
    expect(out).toContain('核验通过');
    expect(out).toContain('Verified: every entry');
  });

  it('exits 1 and names the first broken row', async () => {
    const c = await buildCommunity(app);
    const created = await report(c.people.resident.client, c);
    await sql`UPDATE cases SET description = '已处理' WHERE id = ${created.body.id}`.execute(app.db);
    const { status, out } = await runCommand(app, ['--street', c.street.id]);
    expect(status).toBe(1);
    expect(out).toContain('核验失败 VERIFICATION FAILED: 1');
    expect(out).toContain(`事件 ${created.body.id} 的 cases.description 为 "已处理"`);
    expect(out).toMatch(/cases\.description is "已处理" but the journal says/);
  });

  it('prints the whole report as JSON with --json', async () => {
    const c = await buildCommunity(app);
    await report(c.people.resident.client, c);
    const { status, out } = await runCommand(app, ['--street', c.street.id, '--json']);
    expect(status).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ isValid: true, entries: 1, records: 1, problems: [] });
  });

  it('exits 2 on a wrong command line', async () => {
    expect((await runCommand(app, ['--street', 'somewhere'])).status).toBe(2);
    expect((await runCommand(app, ['--threads', '-1'])).status).toBe(2);
    const unknown = await runCommand(app, ['--fast']);
    expect(unknown.status).toBe(2);
    expect(unknown.out).toContain('usage: minqing verify');
  });
});
