import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { FieldCipher } from '../../crypto/index.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { BOOTSTRAP_ROLES, createAdministrator, type BootstrapRole } from './create-administrator.ts';

const USAGE =
  'usage: minqing create-admin --username NAME --name 显示名 --unit UNIT_CODE [--role system_admin|security_officer|auditor] [--phone MOBILE]\n' +
  '       the password is read from standard input (typed without echo on a terminal)';

/**
 * `minqing create-admin`: the operator creates an administrator, security officer or auditor. The
 * password never appears on the command line (shell history, process lists): it is read from
 * standard input. Answers 0 on success, 1 when refused, 2 for a wrong command line.
 */
export async function runCreateAdminCommand(
  args: string[],
  deps: { db: Db; cipher: FieldCipher; print: (line: string) => void; readPassword: () => Promise<string> },
): Promise<number> {
  let values: { username?: string; name?: string; unit?: string; role?: string; phone?: string };
  try {
    values = parseArgs({
      args,
      options: {
        username: { type: 'string' },
        name: { type: 'string' },
        unit: { type: 'string' },
        role: { type: 'string', default: 'system_admin' },
        phone: { type: 'string' },
      },
    }).values;
  } catch (error) {
    deps.print(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const role = values.role as BootstrapRole;
  if (!values.username || !values.name || !values.unit || !BOOTSTRAP_ROLES.includes(role)) {
    deps.print(USAGE);
    return 2;
  }
  const password = (await deps.readPassword()).trim();
  try {
    const created = await createAdministrator(deps.db, deps.cipher, {
      username: values.username,
      displayName: values.name,
      password,
      phone: values.phone,
      unitCode: values.unit,
      role,
    });
    deps.print(
      `已创建 ${values.name}（${role}，${created.unitName}），首次登录须修改密码 / ` +
        `created ${values.username} (${role} at ${created.unitName}); the password must be changed at first sign-in`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const problems = (error.details?.problems as { zh: string; en: string }[] | undefined) ?? [];
    deps.print(`${error.text.zh} / ${error.text.en}`);
    for (const problem of problems) deps.print(`  - ${problem.zh} / ${problem.en}`);
    return 1;
  }
}

/** Reads one line from standard input; on a terminal, prompts and does not echo what is typed. */
export async function readPasswordFromStdin(): Promise<string> {
  const isTerminal = process.stdin.isTTY;
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const reader = createInterface({ input: process.stdin, output, terminal: isTerminal });
  try {
    if (!isTerminal) {
      for await (const line of reader) return line;
      return '';
    }
    const asking = reader.question('密码 / password: ');
    muted = true;
    const answer = await asking;
    process.stderr.write('\n');
    return answer;
  } finally {
    reader.close();
  }
}
