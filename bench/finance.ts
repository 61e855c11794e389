/**
 * npm run bench:finance — a village's books at 10 years (≈ 10,000 posted vouchers, 120 months):
 *
 * 1. posting throughput through the whole workflow (制单 → 提交 → 审批 → 审核 → 入账, five use-cases and
 *    five journal entries per voucher) beside preparing drafts only (one use-case), in the same run;
 * 2. the bulk of the 10 years loaded by preparing and posting, 50 vouchers per transaction (the
 *    journal still gets both entries of each), timed as "post only";
 * 3. each month closed, then the last quarter disclosed, reviewed and sealed (time to seal);
 * 4. the reports and the public page at 10,000 vouchers beside the same reports of a book of 100
 *    vouchers in the same database (p50/p95 over repeated HTTP requests through the server);
 * 5. the villager's check of the sealed quarter (verifyDisclosure, as the browser runs it, here in Node).
 *
 * BENCH_BACKENDS ("pglite,postgres"), BENCH_VOUCHERS (10000), BENCH_WORKFLOW (300).
 */
import { loadavg } from 'node:os';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { verifyDisclosure } from '@minqing/contract/finance-verify';
import type { VoucherInput } from '@minqing/contract';
import { buildApp, type App } from '../apps/server/src/app.ts';
import { loadConfig } from '../apps/server/src/config.ts';
import { openDatabase } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { inTransaction } from '../apps/server/src/db/transaction.ts';
import { loadReferenceData } from '../apps/server/src/reference-data.ts';
import { insertUnit } from '../apps/server/src/modules/areas/repository.ts';
import { actOnVoucher } from '../apps/server/src/modules/finance/act-on-voucher.ts';
import { createBook } from '../apps/server/src/modules/finance/create-book.ts';
import { createVoucher, insertDraftVoucher } from '../apps/server/src/modules/finance/create-voucher.ts';
import { actOnDisclosure, createDisclosure } from '../apps/server/src/modules/finance/disclosures.ts';
import { closePeriod, nextPeriod } from '../apps/server/src/modules/finance/periods.ts';
import { postLockedVoucher } from '../apps/server/src/modules/finance/post-voucher.ts';
import { findBook, lockVoucher } from '../apps/server/src/modules/finance/repository.ts';
import { setOpeningBalances } from '../apps/server/src/modules/finance/set-opening-balances.ts';
import { startBook } from '../apps/server/src/modules/finance/start-book.ts';
import { sealOnce } from '../apps/server/src/modules/journal/sealer.ts';
import { grantRole, insertUser } from '../apps/server/src/modules/people/repository.ts';
import { loadActor } from '../apps/server/src/modules/people/sessions.ts';
import type { Actor } from '../apps/server/src/policy/index.ts';
import { createScratchDatabase, fmt, scratchDir } from './setup.ts';

const backends = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',');
const TOTAL = Number(process.env.BENCH_VOUCHERS ?? 10_000);
const WORKFLOW = Number(process.env.BENCH_WORKFLOW ?? 300);
const SNAPSHOT = process.env.BENCH_BOOKS_SNAPSHOT || undefined;
const START = '2016-01';
const MONTHS = 120;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timeRequests(app: App, url: string, reps: number): Promise<{ p50: number; p95: number }> {
  const times: number[] = [];
  for (let i = 0; i < reps + 3; i++) {
    const t0 = performance.now();
    const reply = await app.inject({ method: 'GET', url });
    if (reply.statusCode !== 200) throw new Error(`${url}: ${reply.statusCode} ${reply.body.slice(0, 200)}`);
    if (i >= 3) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

const ACCOUNTS: [string, string][] = [
  ['102', '501'],
  ['102', '522'],
  ['511', '102'],
  ['541', '102'],
  ['101', '102'],
  ['511', '101'],
  ['502', '102'],
];

function voucherFor(period: string, i: number): VoucherInput {
  const [debit, credit] = ACCOUNTS[i % ACCOUNTS.length]!;
  const amount = 10_00 + ((i * 7919) % 500_000);
  return {
    date: `${period}-${String(1 + (i % 28)).padStart(2, '0')}`,
    summary: `基准凭证 ${i}`,
    handlerName: '王建国',
    lines: [
      { accountCode: debit, summary: '借方', debit: amount, credit: 0 },
      { accountCode: credit, summary: '贷方', debit: 0, credit: amount },
    ],
    attachments: [],
  };
}

async function people(app: App, communityId: string, streetId: string) {
  const user = async (name: string, role: 'bookkeeper' | 'finance_reviewer' | 'community_admin') => {
    const id = await insertUser(app.db, app.fieldCipher, {
      kind: 'staff',
      displayName: name,
      username: `bench_${role}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
      phone: `170${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      password: null,
      householdId: null,
      streetId,
    });
    await grantRole(app.db, { userId: id, role, unitId: communityId });
    return (await loadActor(app.db, id))!;
  };
  return {
    keeper: await user('报账员', 'bookkeeper'),
    reviewer: await user('理财小组', 'finance_reviewer'),
    admin: await user('村两委', 'community_admin'),
  };
}

async function openBook(app: App, unitId: string, keeper: Actor, name: string): Promise<string> {
  const book = await createBook(app, keeper, { unitId, name, startMonth: START });
  await setOpeningBalances(app, keeper, book.id, {
    balances: [
      { accountCode: '101', debit: 10_000_00, credit: 0 },
      { accountCode: '102', debit: 5_000_000_00, credit: 0 },
      { accountCode: '301', debit: 0, credit: 5_010_000_00 },
    ],
  });
  await startBook(app, keeper, book.id, undefined);
  return book.id;
}

/**
 * Prepares and posts vouchers through the same functions as the use-cases (both journal entries
 * written for each), a batch per transaction, for loading years of books: one commit per voucher made
 * the 50,000-voucher book take longer than the machine's session.
 */
async function postDirect(app: App, actor: Actor, bookId: string, inputs: VoucherInput[]): Promise<void> {
  await inTransaction(app.db, async (trx) => {
    const book = (await findBook(trx, bookId))!;
    for (const input of inputs) {
      const id = await insertDraftVoucher(trx, actor, book, input);
      const row = (await lockVoucher(trx, id))!;
      await postLockedVoucher(trx, row, { userId: actor.userId, role: 'bookkeeper' });
    }
  });
}

/** Steps 1 and 2: the two villages, their staff and books, the workflow figures and ten years posted. */
async function loadTenYears(app: App, backend: string) {
  const out: Record<string, number> = {};
  const street = await insertUnit(app.db, {
    parentId: null,
    kind: 'street',
    code: '441900100000',
    name: '基准街道',
  });
  const village = await insertUnit(app.db, {
    parentId: street.id,
    kind: 'community',
    code: '441900100201',
    name: '基准村',
  });
  const small = await insertUnit(app.db, {
    parentId: street.id,
    kind: 'community',
    code: '441900100202',
    name: '对照村',
  });
  const a = await people(app, village.id, street.id);
  const b = await people(app, small.id, street.id);
  const bookId = await openBook(app, village.id, a.keeper, '基准村股份经济合作社');
  const smallId = await openBook(app, small.id, b.keeper, '对照村股份经济合作社');

  // 1. the whole workflow vs drafts only (in the first month)
  let t0 = performance.now();
  for (let i = 0; i < WORKFLOW; i++) {
    const voucher = await createVoucher(app, a.keeper, bookId, voucherFor(START, i));
    await actOnVoucher(app, a.keeper, voucher.id, 'submit', {});
    await actOnVoucher(app, a.admin, voucher.id, 'approve', {});
    await actOnVoucher(app, a.reviewer, voucher.id, 'review', {});
    await actOnVoucher(app, a.keeper, voucher.id, 'post', {});
  }
  out.workflowPerSecond = WORKFLOW / ((performance.now() - t0) / 1000);
  console.error(`  ${backend}: workflow done`);
  t0 = performance.now();
  const drafts = Math.min(WORKFLOW, 200);
  for (let i = 0; i < drafts; i++) await createVoucher(app, b.keeper, smallId, voucherFor('2025-12', i));
  out.draftsPerSecond = drafts / ((performance.now() - t0) / 1000);

  // 2. ten years: the rest spread evenly over months 2–120 (the sealed last quarter gets its share)
  t0 = performance.now();
  let posted = WORKFLOW;
  const rest = TOTAL - WORKFLOW;
  let period = nextPeriod(START);
  for (let m = 1; m < MONTHS; m++, period = nextPeriod(period)) {
    const until = WORKFLOW + Math.round((rest * m) / (MONTHS - 1));
    while (posted < until) {
      const batch: VoucherInput[] = [];
      for (; posted < until && batch.length < 50; posted++) batch.push(voucherFor(period, posted));
      await postDirect(app, a.keeper, bookId, batch);
    }
    if (m % 12 === 0)
      console.error(`  ${backend}: ${posted} posted after ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  out.postOnlyPerSecond = (posted - WORKFLOW) / ((performance.now() - t0) / 1000);
  out.vouchers = posted;
  // the baseline book: 100 vouchers over its first months
  for (let i = 0; i < 100; i++)
    await postDirect(app, b.keeper, smallId, [voucherFor(`2016-0${1 + (i % 3)}`, i)]);

  return { bookId, smallId, a, b, out };
}

/** The bench's village, its control village and their staff, found again in a reused snapshot. */
async function findBenchBooks(app: App) {
  const books = await app.db
    .selectFrom('finance_books')
    .select(['id', 'unit_id', 'name'])
    .where('name', 'in', ['基准村股份经济合作社', '对照村股份经济合作社'])
    .execute();
  const staffOf = async (unitId: string) => {
    const grants = await app.db
      .selectFrom('role_assignments')
      .select(['user_id', 'role'])
      .where('unit_id', '=', unitId)
      .execute();
    const actor = async (role: string) =>
      (await loadActor(app.db, grants.find((g) => g.role === role)!.user_id))!;
    return {
      keeper: await actor('bookkeeper'),
      reviewer: await actor('finance_reviewer'),
      admin: await actor('community_admin'),
    };
  };
  const big = books.find((b) => b.name.startsWith('基准村'))!;
  const small = books.find((b) => b.name.startsWith('对照村'))!;
  return {
    bookId: big.id,
    smallId: small.id,
    a: await staffOf(big.unit_id),
    b: await staffOf(small.unit_id),
  };
}

async function benchBackend(backend: string) {
  const dataDir = scratchDir(`minqing-bench-finance-${backend}`);
  const scratch = backend === 'postgres' ? await createScratchDatabase('minqing_bench_fin') : null;
  // BENCH_BOOKS_SNAPSHOT (PGlite): the loaded ten years are saved there (with the loading figures
  // beside it, .json) and reused by the next run, which then only closes, seals and measures.
  const reuse = backend === 'pglite' && SNAPSHOT !== undefined && existsSync(SNAPSHOT);
  const database = scratch
    ? await openDatabase({ databaseUrl: scratch.url, poolSize: 10 })
    : await openDatabase({
        dataDir: 'memory://',
        loadDataDir: reuse ? new Blob([readFileSync(SNAPSHOT)]) : undefined,
      });
  await migrate(database);
  await loadReferenceData(database.db);
  const config = {
    ...loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', SEED_DEMO: 'false' }),
    runBackgroundJobs: false,
  };
  const app = await buildApp({ config, database });
  await app.ready();
  let out: Record<string, number> = {};
  try {
    const loaded = reuse
      ? { ...(await findBenchBooks(app)), out: JSON.parse(readFileSync(`${SNAPSHOT}.json`, 'utf8')) }
      : await loadTenYears(app, backend);
    out = loaded.out;
    if (!reuse && backend === 'pglite' && SNAPSHOT) {
      const dump = await database.pglite!.dumpDataDir('none');
      writeFileSync(SNAPSHOT, Buffer.from(await dump.arrayBuffer()));
      writeFileSync(`${SNAPSHOT}.json`, JSON.stringify(out));
      console.error(`  ${backend}: the loaded books saved to ${SNAPSHOT}`);
    }
    const { bookId, smallId, a, b } = loaded;
    let t0: number;
    let last = START;
    // 3. close every month, then seal the last quarter
    for (let m = 0, p = START; m < MONTHS; m++, p = nextPeriod(p)) {
      await closePeriod(app, a.keeper, bookId, p);
      last = p;
    }
    const quarterLabel = `${last.slice(0, 4)}-Q4`;
    const disclosure = await createDisclosure(app, a.keeper, bookId, {
      kind: 'quarter',
      label: quarterLabel,
      majorItems: [],
    });
    await actOnDisclosure(app, a.reviewer, disclosure.id, 'review', {});
    t0 = performance.now();
    const sealed = await actOnDisclosure(app, a.admin, disclosure.id, 'seal', {});
    out.sealMs = performance.now() - t0;
    out.quarterVouchers = sealed.content!.totals.voucherCount;
    await sealOnce(app);

    // 4. reports and the public page at 10k vs at 100 vouchers
    for (const [key, path] of [
      ['trial', (id: string) => `/api/finance/books/${id}/reports/trial-balance?from=2025-01&to=2025-12`],
      ['sheet', (id: string) => `/api/finance/books/${id}/reports/balance-sheet?period=2025-12`],
      ['income', (id: string) => `/api/finance/books/${id}/reports/income-statement?period=2025-12`],
    ] as const) {
      const cookieOf = async (actor: Actor) => {
        const { createSession, SESSION_COOKIE } =
          await import('../apps/server/src/modules/people/sessions.ts');
        const session = await createSession(
          app.db,
          { id: actor.userId, kind: 'staff' },
          { staffIdleMinutes: 30, residentSessionDays: 30 },
        );
        return `${SESSION_COOKIE}=${session.token}`;
      };
      const time = async (id: string, actor: Actor) => {
        const cookie = await cookieOf(actor);
        const times: number[] = [];
        for (let i = 0; i < 33; i++) {
          const s = performance.now();
          const reply = await app.inject({ method: 'GET', url: path(id), headers: { cookie } });
          if (reply.statusCode !== 200)
            throw new Error(`${path(id)}: ${reply.statusCode} ${reply.body.slice(0, 200)}`);
          if (i >= 3) times.push(performance.now() - s);
        }
        times.sort((x, y) => x - y);
        return { p50: percentile(times, 50), p95: percentile(times, 95) };
      };
      const big = await time(bookId, a.keeper);
      const base = await time(smallId, b.keeper);
      out[`${key}P95`] = big.p95;
      out[`${key}P50`] = big.p50;
      out[`${key}BaseP95`] = base.p95;
    }
    const publicBook = await timeRequests(app, `/api/public/books/${bookId}`, 30);
    const publicDisclosure = await timeRequests(app, `/api/public/disclosures/${disclosure.id}`, 30);
    const publicVouchers = await timeRequests(
      app,
      `/api/public/disclosures/${disclosure.id}/vouchers?limit=500`,
      30,
    );
    const publicList = await timeRequests(app, `/api/public/books`, 30);
    out.publicBookP95 = publicBook.p95;
    out.publicDisclosureP95 = publicDisclosure.p95;
    out.publicVouchersP95 = publicVouchers.p95;
    out.publicListP95 = publicList.p95;
    out.healthP95 = (await timeRequests(app, '/api/health', 30)).p95;

    // 5. the villager's check of the quarter
    const get = async (url: string) => JSON.parse((await app.inject({ method: 'GET', url })).body);
    const shown = await get(`/api/public/disclosures/${disclosure.id}`);
    t0 = performance.now();
    const vouchers = [];
    let cursor: string | null = null;
    do {
      const page = await get(
        `/api/public/disclosures/${disclosure.id}/vouchers?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      vouchers.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const journal = await get(shown.journal.url);
    const keys = (await get('/.well-known/minqing/journal-keys.json')).keys;
    out.fetchMs = performance.now() - t0;
    t0 = performance.now();
    const result = await verifyDisclosure({ disclosure: shown, journal, keys, vouchers });
    out.verifyMs = performance.now() - t0;
    if (result.isValid !== true)
      throw new Error(`verification failed: ${JSON.stringify(result.problems.slice(0, 3))}`);
    return { backend, out };
  } finally {
    await app.close();
    await database.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const load = loadavg()
  .map((n) => n.toFixed(2))
  .join(' ');
const results = [];
for (const backend of backends) results.push(await benchBackend(backend));
console.log(
  `\nfinance benchmark — ${TOTAL} vouchers over ${MONTHS} months, ${new Date().toISOString()}, load average at start ${load}, at end ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')}`,
);
for (const { backend, out } of results) {
  console.log(`\n${backend}`);
  console.log(
    `  whole workflow (5 use-cases): ${fmt(out.workflowPerSecond!)} vouchers/s; drafts only (baseline): ${fmt(out.draftsPerSecond!)} /s`,
  );
  console.log(
    `  prepare+post in one transaction: ${fmt(out.postOnlyPerSecond!)} vouchers/s (${out.vouchers} vouchers in the book)`,
  );
  console.log(
    `  seal a quarter of ${out.quarterVouchers} vouchers: ${fmt(out.sealMs!)} ms; villager's check: fetch ${fmt(out.fetchMs!)} ms + verify ${fmt(out.verifyMs!)} ms`,
  );
  console.log('  report (p95 ms)         | big book     | 100 vouchers (baseline)');
  for (const key of ['trial', 'sheet', 'income']) {
    console.log(
      `  ${key.padEnd(23)} | ${fmt(out[`${key}P95`]!).padStart(12)} | ${fmt(out[`${key}BaseP95`]!).padStart(8)}`,
    );
  }
  console.log(
    `  public p95 ms: book page ${fmt(out.publicBookP95!)}, disclosure ${fmt(out.publicDisclosureP95!)}, 500 vouchers ${fmt(out.publicVouchersP95!)}, list ${fmt(out.publicListP95!)}; GET /api/health ${fmt(out.healthP95!)}`,
  );
}
