/**
 * npm run bench:verify — journal verification throughput (issue 2: ≥ 200,000 entries/s).
 *
 * Builds a realistic journal — cases going through the workflow over 90 days in many streets, every
 * entry hashed by the real appender, sealed into signed batches per street the way the sealer cuts
 * them (one batch per 2-second tick with activity, so a quiet street has about one entry per batch),
 * a short unsealed tail, and the `cases` rows its sets fold into — in a scratch PGlite data folder
 * and a scratch PostgreSQL database. Then, in the same run, on each engine:
 *
 *   baseline  reading every entry and batch head with the verifier's own page queries, checking nothing
 *   rows      reading every entry as plain rows (SELECT … ORDER BY id, keyset pages), for context
 *   verify    `verifyJournal`: every entry hash, record chain, batch root, head and chain of heads,
 *             signatures at chain ends, and the case projections
 *
 * BENCH_VERIFY_ENTRIES (default 500000), BENCH_VERIFY_STREETS (20), BENCH_BACKENDS ("pglite,postgres"),
 * BENCH_VERIFY_THREADS (default: the verifier's own choice).
 */
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalBatchHead } from '@minqing/contract';
import { sql } from 'kysely';
import {
  loadOrCreateSigningKey,
  sha256Hex,
  signText,
  type SigningKey,
} from '../apps/server/src/crypto/index.ts';
import { openDatabase, type Database, type Db } from '../apps/server/src/db/database.ts';
import { migrate } from '../apps/server/src/db/migrate.ts';
import { insertUnit } from '../apps/server/src/modules/areas/repository.ts';
import { CASE_PROJECTED_COLUMNS } from '../apps/server/src/modules/cases/case-journal.ts';
import { NEW_RECORD, prepareEntry, type ChainHead } from '../apps/server/src/modules/journal/append-entry.ts';
import { entryMerkleRootHex } from '../apps/server/src/modules/journal/merkle.ts';
import {
  readBatchHeadLines,
  readSealedEntryLines,
  readUnsealedEntryLines,
  registerSigningKey,
  streetsWithUnsealedEntries,
} from '../apps/server/src/modules/journal/repository.ts';
import { publicSigningKey } from '../apps/server/src/modules/journal/sealer.ts';
import { verifyJournal, type VerifyReport } from '../apps/server/src/modules/journal/verify-journal.ts';
import { loadReferenceData } from '../apps/server/src/reference-data.ts';
import { createScratchDatabase, scratchDir } from './setup.ts';

const TARGET_ENTRIES = Number(process.env.BENCH_VERIFY_ENTRIES ?? 500_000);
const STREETS = Number(process.env.BENCH_VERIFY_STREETS ?? 20);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',');
const THREADS = process.env.BENCH_VERIFY_THREADS ? Number(process.env.BENCH_VERIFY_THREADS) : undefined;
const UNSEALED_TAIL = 1000;
const SEAL_TICK_MS = 2000;
const DAY = 86_400_000;

/** A small deterministic generator, so that both engines get the same journal. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20_261_129);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const between = (min: number, max: number) => min + rand() * (max - min);

const DESCRIPTIONS = [
  '小区门口垃圾堆了三天没人清运，气味很大',
  '3栋楼道里堆满了纸箱和旧家具，影响通行',
  '路灯坏了两盏，晚上路过很黑',
  '雨后积水没过脚踝，老人孩子出行不便',
  '邻居装修噪音从早到晚，多次沟通无果',
  '独居老人家里水管漏水，需要帮忙联系维修',
  '井盖松动，踩上去会晃，担心有人摔倒',
  '楼下早餐店油烟直排，窗户都不敢开',
  '小区围墙有裂缝，下雨时往下掉砖',
  '健身器材损坏，孩子玩耍有危险',
];
const RESULTS = ['已清运并消毒', '已更换灯泡并测试', '已疏通排水口', '已调解双方达成一致', '已上门维修完毕'];
const ROLES = ['community_admin', 'handler', 'grid_worker'] as const;

interface Place {
  streetId: string;
  communityId: string;
  gridIds: string[];
  gridPaths: string[];
  lng: number;
  lat: number;
}

interface GeneratedEntry {
  id: number;
  streetId: string;
  recordId: string;
  seq: number;
  action: string;
  actorId: string | null;
  actorRole: string | null;
  at: string;
  payload: string;
  prevHash: string | null;
  hash: string;
  committedAt: number;
  batchId: number | null;
  leafIndex: number | null;
}

interface GeneratedBatch {
  id: number;
  streetId: string;
  seq: number;
  size: number;
  merkleRoot: string;
  prevHeadHash: string | null;
  headHash: string;
  firstEntryId: number;
  lastEntryId: number;
  sealedAt: string;
  keyId: string;
  signature: string;
}

/** A moment during the 90 days, mostly in office hours in China (UTC+8). */
function reportTime(start: number): number {
  const day = Math.floor(rand() * 90);
  const hour = rand() < 0.85 ? between(8, 18) : between(0, 24);
  return start + day * DAY + (hour - 8) * 3_600_000;
}

/** The steps a case goes through (each an entry), with the columns each sets, like the case module. */
function caseEvents(place: Place, caseNumber: number, category: string, start: number) {
  const id = randomUUID();
  const gridIndex = Math.floor(rand() * place.gridIds.length);
  const reportedAt = reportTime(start);
  const iso = (ms: number) => new Date(ms).toISOString();
  const reach = pick([1, 2, 3, 3, 4, 4, 5, 6, 7, 7, 7, 7, 7]);
  const row: Record<string, unknown> = Object.fromEntries(
    CASE_PROJECTED_COLUMNS.map((column) => [column, null]),
  );
  Object.assign(row, {
    code: `B${iso(reportedAt).slice(0, 10).replaceAll('-', '')}-${String(caseNumber).padStart(7, '0')}`,
    street_id: place.streetId,
    community_id: place.communityId,
    grid_id: place.gridIds[gridIndex],
    unit_path: place.gridPaths[gridIndex],
    category_code: category,
    priority: rand() < 0.1 ? 'urgent' : 'normal',
    source: pick(['resident', 'patrol', 'patrol', 'hotline']),
    state: 'reported',
    description: pick(DESCRIPTIONS),
    address: `${pick(['幸福', '和平', '清水塘', '深田', '新山'])}小区${1 + Math.floor(rand() * 20)}栋`,
    lng: Math.round((place.lng + rand() * 0.02) * 1e6) / 1e6,
    lat: Math.round((place.lat + rand() * 0.02) * 1e6) / 1e6,
    is_public_anonymous: false,
    reported_at: iso(reportedAt),
    accept_due_at: iso(reportedAt + 4 * 3_600_000),
    due_at: iso(reportedAt + 4 * 3_600_000),
    escalation_level: 0,
    was_overdue: false,
    rework_count: 0,
    version: 1,
  });
  const events: {
    action: string;
    at: number;
    set: Record<string, unknown>;
    details: Record<string, unknown>;
  }[] = [{ action: 'report', at: reportedAt, set: { ...row }, details: {} }];
  let at = reportedAt;
  const step = (
    action: string,
    gapMinutes: [number, number],
    set: (now: string) => Record<string, unknown>,
    details: Record<string, unknown> = {},
  ) => {
    at += between(gapMinutes[0], gapMinutes[1]) * 60_000;
    const change = { ...set(iso(at)), version: (row.version as number) + 1 };
    Object.assign(row, change);
    events.push({ action, at, set: change, details });
  };
  if (reach >= 2) {
    step('accept', [5, 240], (now) => ({ state: 'accepted', accepted_at: now, due_at: iso(at + DAY) }));
  }
  if (reach >= 3) {
    step(
      'dispatch',
      [5, 120],
      (now) => ({
        state: 'dispatched',
        dispatched_at: now,
        handle_due_at: iso(at + 3 * DAY),
        due_at: iso(at + 3 * DAY),
      }),
      { note: '请尽快处理' },
    );
  }
  if (reach >= 4) step('start', [30, 1440], (now) => ({ state: 'in_progress', started_at: now }));
  if (reach >= 5) {
    step('submit', [60, 4320], (now) => ({
      state: 'handled',
      handled_at: now,
      result_summary: pick(RESULTS),
    }));
  }
  if (reach >= 6) {
    step('verify', [60, 1440], (now) => ({ state: 'follow_up', verified_at: now, due_at: null }), {
      passed: true,
    });
  }
  if (reach >= 7) {
    const rating = pick(['satisfied', 'satisfied', 'basically_satisfied']);
    step('rate', [60, 2880], (now) => ({ state: 'closed', closed_at: now, rating }), { rating });
  }
  return { id, events };
}

async function generate(key: SigningKey) {
  const started = performance.now();
  const start = Date.now() - 91 * DAY;
  const places: Place[] = [];
  for (let i = 0; i < STREETS; i++) {
    const streetId = randomUUID();
    const communityId = randomUUID();
    const gridIds = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    places.push({
      streetId,
      communityId,
      gridIds,
      // insertUnit's materialised path: the ancestors' ids and the unit's own.
      gridPaths: gridIds.map((gridId) => `/${streetId}/${communityId}/${gridId}/`),
      lng: 113 + rand() * 2,
      lat: 22 + rand() * 2,
    });
  }
  const categories = ['0101', '0102', '0103', '0201', '0202', '0203', '0301', '0401', '0402', '0501', '0502'];
  const pending: {
    caseId: string;
    streetId: string;
    action: string;
    at: number;
    payload: unknown;
    role: string | null;
  }[] = [];
  const rows: Record<string, unknown>[] = [];
  let entryCount = 0;
  for (let n = 1; entryCount < TARGET_ENTRIES; n++) {
    const place = places[Math.floor(rand() * places.length)]!;
    const { id, events } = caseEvents(place, n, pick(categories), start);
    const kept = events.slice(0, Math.min(events.length, TARGET_ENTRIES - entryCount));
    for (const event of kept) {
      pending.push({
        caseId: id,
        streetId: place.streetId,
        action: event.action,
        at: event.at,
        payload: { set: event.set, ...event.details },
        role: event.action === 'report' ? null : pick(ROLES),
      });
    }
    // The row is what the kept entries fold to (the report sets every column).
    const folded: Record<string, unknown> = { id };
    for (const event of kept) Object.assign(folded, event.set);
    rows.push(folded);
    entryCount += kept.length;
  }
  // Commit order is time order; it gives the entry ids, and each case's steps keep their order.
  pending.sort((a, b) => a.at - b.at);
  const heads = new Map<string, ChainHead>();
  const entries: GeneratedEntry[] = pending.map((event, index) => {
    const prepared = prepareEntry(
      {
        streetId: event.streetId,
        recordType: 'case',
        recordId: event.caseId,
        action: event.action,
        actorId: event.role ? randomUUID() : null,
        actorRole: event.role,
        payload: event.payload,
        at: new Date(event.at),
      },
      heads.get(event.caseId) ?? NEW_RECORD,
    );
    heads.set(event.caseId, { seq: prepared.content.seq, hash: prepared.hash });
    return {
      id: index + 1,
      streetId: prepared.content.streetId,
      recordId: prepared.content.recordId,
      seq: prepared.content.seq,
      action: prepared.content.action,
      actorId: prepared.content.actorId,
      actorRole: prepared.content.actorRole,
      at: prepared.content.at,
      payload: JSON.stringify(prepared.content.payload),
      prevHash: prepared.content.prevHash,
      hash: prepared.hash,
      committedAt: event.at + Math.floor(rand() * 40),
      batchId: null,
      leafIndex: null,
    };
  });

  // The sealer's cut: per street, one batch per 2-second tick that saw entries.
  const sealable = entries.slice(0, Math.max(0, entries.length - UNSEALED_TAIL));
  const open = new Map<string, { tick: number; members: GeneratedEntry[] }>();
  const closed: { streetId: string; tick: number; members: GeneratedEntry[] }[] = [];
  for (const entry of sealable) {
    const tick = Math.floor(entry.committedAt / SEAL_TICK_MS);
    const current = open.get(entry.streetId);
    if (current && current.tick === tick) {
      current.members.push(entry);
    } else {
      if (current) closed.push({ streetId: entry.streetId, ...current });
      open.set(entry.streetId, { tick, members: [entry] });
    }
  }
  for (const [streetId, current] of open) closed.push({ streetId, ...current });
  closed.sort((a, b) => a.tick - b.tick || a.members[0]!.id - b.members[0]!.id);
  const chain = new Map<string, { seq: number; headHash: string }>();
  const batches: GeneratedBatch[] = closed.map(({ streetId, tick, members }, index) => {
    const id = index + 1;
    members.forEach((member, leaf) => {
      member.batchId = id;
      member.leafIndex = leaf;
    });
    const previous = chain.get(streetId);
    const content = {
      streetId,
      seq: (previous?.seq ?? 0) + 1,
      size: members.length,
      merkleRoot: entryMerkleRootHex(members.map((member) => member.hash)),
      prevHeadHash: previous?.headHash ?? null,
      firstEntryId: members[0]!.id,
      lastEntryId: members[members.length - 1]!.id,
      sealedAt: new Date((tick + 1) * SEAL_TICK_MS + Math.floor(rand() * 300)).toISOString(),
      keyId: key.keyId,
    };
    const text = canonicalBatchHead(content);
    const headHash = sha256Hex(text);
    chain.set(streetId, { seq: content.seq, headHash });
    return { id, ...content, headHash, signature: signText(key, text) };
  });
  const seconds = (performance.now() - started) / 1000;
  return { places, entries, batches, rows, seconds };
}

type Journal = Awaited<ReturnType<typeof generate>>;

async function insertJson(db: Db, rows: unknown[], statement: (json: string) => ReturnType<typeof sql>) {
  for (let i = 0; i < rows.length; i += 5000) {
    await statement(JSON.stringify(rows.slice(i, i + 5000))).execute(db);
  }
}

async function load(database: Database, journal: Journal, key: SigningKey): Promise<number> {
  const started = performance.now();
  const db = database.db;
  await migrate(database);
  await loadReferenceData(db);
  await registerSigningKey(db, publicSigningKey(key));
  for (const [i, place] of journal.places.entries()) {
    const code = `44152${String(i).padStart(4, '0')}000`;
    await insertUnit(db, {
      id: place.streetId,
      parentId: null,
      kind: 'street',
      code,
      name: `压测街道${i + 1}`,
    });
    const community = `${code.slice(0, 9)}201`;
    await insertUnit(db, {
      id: place.communityId,
      parentId: place.streetId,
      kind: 'community',
      code: community,
      name: `压测社区${i + 1}`,
    });
    for (const [g, gridId] of place.gridIds.entries()) {
      const grid = await insertUnit(db, {
        id: gridId,
        parentId: place.communityId,
        kind: 'grid',
        code: `${community}${String(g + 1).padStart(3, '0')}`,
        name: `第${g + 1}网格`,
      });
      if (grid.path !== place.gridPaths[g]) throw new Error(`unexpected unit path ${grid.path}`);
    }
  }
  const columns = sql.join(CASE_PROJECTED_COLUMNS.map((column) => sql.ref(column)));
  await insertJson(
    db,
    journal.rows,
    (json) =>
      sql`INSERT INTO cases (id, ${columns}) SELECT id, ${columns} FROM json_populate_recordset(NULL::cases, ${json}::json)`,
  );
  // Only this scratch database: nobody listens, so the per-entry NOTIFY is just cost.
  await sql`ALTER TABLE journal_entries DISABLE TRIGGER journal_entries_announce`.execute(db);
  await insertJson(
    db,
    journal.batches.map((b) => ({
      id: b.id,
      street_id: b.streetId,
      seq: b.seq,
      size: b.size,
      merkle_root: b.merkleRoot,
      prev_head_hash: b.prevHeadHash,
      head_hash: b.headHash,
      first_entry_id: b.firstEntryId,
      last_entry_id: b.lastEntryId,
      sealed_at: b.sealedAt,
      key_id: b.keyId,
      signature: b.signature,
    })),
    (json) => sql`INSERT INTO journal_batches OVERRIDING SYSTEM VALUE
                  SELECT * FROM json_populate_recordset(NULL::journal_batches, ${json}::json)`,
  );
  await insertJson(
    db,
    journal.entries.map((e) => ({
      id: e.id,
      street_id: e.streetId,
      record_type: 'case',
      record_id: e.recordId,
      seq: e.seq,
      action: e.action,
      actor_id: e.actorId,
      actor_role: e.actorRole,
      at: e.at,
      payload: JSON.parse(e.payload) as unknown,
      prev_hash: e.prevHash,
      hash: e.hash,
      committed_at: new Date(e.committedAt).toISOString(),
      batch_id: e.batchId,
      leaf_index: e.leafIndex,
    })),
    (json) => sql`INSERT INTO journal_entries OVERRIDING SYSTEM VALUE
                  SELECT * FROM json_populate_recordset(NULL::journal_entries, ${json}::json)`,
  );
  await sql`ALTER TABLE journal_entries ENABLE TRIGGER journal_entries_announce`.execute(db);
  await sql`SELECT setval(pg_get_serial_sequence('journal_entries', 'id'), (SELECT max(id) FROM journal_entries))`.execute(
    db,
  );
  await sql`SELECT setval(pg_get_serial_sequence('journal_batches', 'id'), (SELECT max(id) FROM journal_batches))`.execute(
    db,
  );
  await sql`VACUUM ANALYZE`.execute(db);
  return (performance.now() - started) / 1000;
}

/** The verifier's reads alone: the same page queries, nothing checked. */
async function readLikeVerifier(db: Db): Promise<number> {
  let entries = 0;
  for (let after = 0; ;) {
    const heads = await readBatchHeadLines(db, { afterId: after, maxBatches: 2000, maxEntries: 10_000 });
    if (heads.count === 0) break;
    const text = await readSealedEntryLines(db, { afterBatchId: after, lastBatchId: heads.lastId });
    entries += text === '' ? 0 : text.split('\n').length;
    after = heads.lastId;
  }
  for (const street of await streetsWithUnsealedEntries(db)) {
    for (let after = 0; ;) {
      const page = await readUnsealedEntryLines(db, { streetId: street, afterId: after, limit: 10_000 });
      if (page.count === 0) break;
      entries += page.count;
      after = page.lastId;
    }
  }
  return entries;
}

/** Plain rows through the driver, keyset by id: what a naive reader pays. */
async function readRows(db: Db): Promise<number> {
  let entries = 0;
  for (let after = 0; ;) {
    const rows = await db
      .selectFrom('journal_entries')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(10_000)
      .execute();
    if (rows.length === 0) break;
    entries += rows.length;
    after = rows[rows.length - 1]!.id;
  }
  return entries;
}

async function timed(
  run: () => Promise<number>,
): Promise<{ entries: number; seconds: number; perSecond: number }> {
  const started = performance.now();
  const entries = await run();
  const seconds = (performance.now() - started) / 1000;
  return { entries, seconds, perSecond: Math.round(entries / seconds) };
}

async function benchBackend(backend: string, journal: Journal, key: SigningKey) {
  const dataDir = scratchDir(`minqing-bench-verify-${backend}`);
  const scratch = backend === 'postgres' ? await createScratchDatabase('minqing_bench_verify') : null;
  const database = await openDatabase(
    scratch ? { databaseUrl: scratch.url, poolSize: 4 } : { dataDir: join(dataDir, 'pglite') },
  );
  try {
    const loadSeconds = await load(database, journal, key);
    process.stderr.write(`${backend}: loaded in ${loadSeconds.toFixed(1)} s\n`);
    const results: {
      baseline: Awaited<ReturnType<typeof timed>>[];
      rows: Awaited<ReturnType<typeof timed>>;
      verify: VerifyReport[];
    } = { baseline: [], rows: await timed(() => readRows(database.db)), verify: [] };
    for (let round = 0; round < 2; round++) {
      results.baseline.push(await timed(() => readLikeVerifier(database.db)));
      const report = await verifyJournal(database.db, { threads: THREADS });
      if (!report.isValid)
        throw new Error(`the generated journal does not verify: ${report.problems[0]?.message.en}`);
      results.verify.push(report);
    }
    const baseline = results.baseline.reduce((best, run) => (run.perSecond > best.perSecond ? run : best));
    const verify = results.verify.reduce((best, run) =>
      run.entriesPerSecond > best.entriesPerSecond ? run : best,
    );
    return { backend, loadSeconds, baseline, rows: results.rows, verify };
  } finally {
    await database.close();
    await scratch?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const keyDir = scratchDir('minqing-bench-verify-key');
const key = loadOrCreateSigningKey(join(keyDir, 'journal-ed25519.pem'));
const journal = await generate(key);
process.stderr.write(
  `generated ${journal.entries.length} entries of ${journal.rows.length} cases in ${STREETS} streets, ` +
    `${journal.batches.length} batches, in ${journal.seconds.toFixed(1)} s\n`,
);
const results = [];
for (const backend of BACKENDS) results.push(await benchBackend(backend, journal, key));
rmSync(keyDir, { recursive: true, force: true });

console.log(
  `\njournal verification — ${journal.entries.length} entries, ${journal.rows.length} cases, ` +
    `${journal.batches.length} batches, ${STREETS} streets (${UNSEALED_TAIL} unsealed)\n`,
);
console.log(
  'engine    baseline (verifier reads)   plain rows           verify (all checks)              verify/baseline',
);
for (const { backend, baseline, rows, verify } of results) {
  console.log(
    `${backend.padEnd(9)} ${String(baseline.perSecond).padStart(9)} entries/s ${baseline.seconds.toFixed(2).padStart(6)} s` +
      `   ${String(rows.perSecond).padStart(8)} entries/s` +
      `   ${String(verify.entriesPerSecond).padStart(9)} entries/s ${(verify.durationMs / 1000).toFixed(2).padStart(6)} s` +
      ` (${verify.threads} threads)   ${(verify.entriesPerSecond / baseline.perSecond).toFixed(2)}`,
  );
}
console.log(
  JSON.stringify(
    results.map(({ backend, loadSeconds, baseline, rows, verify }) => ({
      backend,
      entries: verify.entries,
      batches: verify.batches,
      records: verify.records,
      loadSeconds: Math.round(loadSeconds),
      baselinePerSecond: baseline.perSecond,
      rowsPerSecond: rows.perSecond,
      verifyPerSecond: verify.entriesPerSecond,
      verifySeconds: verify.durationMs / 1000,
      threads: verify.threads,
    })),
  ),
);
