/**
 * `minqing verify`: re-checks the whole journal from the database alone.
 *
 * 1. Batches in id order: each street's chain of heads (seq 1, 2, … each naming its predecessor's
 *    head hash); per batch, in a worker: the head hash, the Ed25519 signature against signing_keys,
 *    and the Merkle root over the members in leaf order, each member's hash recomputed from its
 *    content.
 * 2. Unsealed entries, street by street: their hashes.
 * 3. In arrival order (which is each record's chain order): every record's chain, seq 1..n with each
 *    entry naming its predecessor's hash; and the fold of `payload.set` for projected record types.
 * 4. Projections: each folded record against its current-state row, and rows that should have a
 *    journal but have none.
 *
 * Entries are read a page at a time (whole batches per page), so memory holds the chain heads and
 * projection folds, never the journal.
 */
import { availableParallelism } from 'node:os';
import type { Db } from '../../db/database.ts';
import {
  canonicalJson,
  invalidSignature,
  isBatchSignatureValid,
  type PageResult,
  type PageTask,
  type SignatureCheck,
} from './check-entries.ts';
import { createCheckPool } from './check-pool.ts';
import './known-record-types.ts';
import type { JournalProblem } from './problems.ts';
import { journalRecordTypes, type JournalRecordType } from './record-types.ts';
import {
  countEntries,
  findStrayEntries,
  findUnjournaledRows,
  listSigningKeys,
  readBatchHeadLines,
  readBatchHeadsByIds,
  readProjectionRows,
  readSealedEntryLines,
  readUnsealedEntryLines,
  streetsWithUnsealedEntries,
  tableColumnTypes,
} from './repository.ts';

export interface VerifyJournalOptions {
  /** Only this street's entries, batches and rows (tests; a street office checking its own). */
  streetId?: string | undefined;
  /** Entries per page (whole batches are kept together). */
  pageSize?: number | undefined;
  /** Worker threads for hashing; 0 checks in this thread. Default: by journal size and CPU count. */
  threads?: number | undefined;
  /** How many problems to keep in the report (all are counted). */
  maxProblems?: number | undefined;
  /** Which batch signatures to verify directly (see SignatureCheck); default 'chain-ends'. */
  signatures?: SignatureCheck | undefined;
  onProgress?: ((progress: VerifyProgress) => void) | undefined;
}

export interface VerifyProgress {
  phase: 'entries' | 'projections';
  checked: number;
  total: number;
  elapsedMs: number;
}

export interface VerifyReport {
  isValid: boolean;
  streetId: string | null;
  entries: number;
  records: number;
  batches: number;
  unsealedEntries: number;
  /** Batch signatures verified directly; the others are bound to them by the chain of head hashes. */
  signaturesChecked: number;
  projections: { recordType: string; rows: number }[];
  problemCount: number;
  /** The first problems in journal order; problems[0] is the first broken entry, batch or row. */
  problems: JournalProblem[];
  threads: number;
  durationMs: number;
  entriesPerSecond: number;
}

const DEFAULT_PAGE_SIZE = 10_000;
// Listing thousands of batch ids in one statement slows planning more than it saves round trips.
const MAX_BATCHES_PER_PAGE = 2_000;
// Below this, starting worker threads costs more than hashing in this thread.
const THREADS_FROM_ENTRIES = 50_000;
const PROJECTION_CHUNK = 500;

/** Verifies the journal (all of it, or one street's) and names every problem found, first one first. */
export async function verifyJournal(db: Db, options: VerifyJournalOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const streetId = options.streetId;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const total = await countEntries(db, streetId);
  const keys = await listSigningKeys(db);
  const projected = journalRecordTypes().filter((type) => type.projection);
  const threads =
    options.threads ??
    (total >= THREADS_FROM_ENTRIES ? Math.max(1, Math.min(4, availableParallelism() - 1)) : 0);
  const state = new VerificationState(options.maxProblems ?? 100, projected);
  const signatures = options.signatures ?? 'chain-ends';
  const pool = createCheckPool(threads, {
    signatures,
    keys: keys.map((key) => ({
      keyId: key.keyId,
      publicKey: key.publicKey,
      createdAt: key.createdAt.toISOString(),
      retiredAt: key.retiredAt?.toISOString() ?? null,
    })),
    projectedTypes: projected.map((type) => type.recordType),
  });
  const report = (phase: VerifyProgress['phase'], checked: number, of: number) =>
    options.onProgress?.({ phase, checked, total: of, elapsedMs: performance.now() - started });

  // Pages are checked concurrently but applied in order: chains and folds need arrival order.
  const queue: Promise<PageResult>[] = [];
  const maxInFlight = Math.max(1, threads * 2);
  const applyNext = async () => {
    state.apply(await queue.shift()!);
    report('entries', state.entries, total);
  };
  const submit = async (task: PageTask) => {
    const result = pool.check(task);
    // Awaited in order below; this only keeps an early failure from counting as unhandled meanwhile.
    result.catch(() => undefined);
    queue.push(result);
    while (queue.length > maxInFlight) await applyNext();
  };

  try {
    // Sealed entries a page of whole batches at a time, in batch id order: within a street that is
    // the order the sealer took them in, so each record's entries arrive in chain order.
    for (let after = 0; ;) {
      const heads = await readBatchHeadLines(db, {
        streetId,
        afterId: after,
        maxBatches: MAX_BATCHES_PER_PAGE,
        maxEntries: pageSize,
      });
      if (heads.count === 0) break;
      const entries = await readSealedEntryLines(db, {
        afterBatchId: after,
        lastBatchId: heads.lastId,
        streetId,
      });
      await submit({ kind: 'sealed', heads: heads.text, entries });
      after = heads.lastId;
    }

    for (const street of await streetsWithUnsealedEntries(db, streetId)) {
      for (let after = 0; ;) {
        const page = await readUnsealedEntryLines(db, { streetId: street, afterId: after, limit: pageSize });
        if (page.count === 0) break;
        state.unsealedEntries += page.count;
        await submit({ kind: 'unsealed', heads: '', entries: page.text });
        after = page.lastId;
        if (page.count < pageSize) break;
      }
    }
    while (queue.length > 0) await applyNext();
  } finally {
    await pool.close();
  }

  if (state.entries < total) {
    // Some entries escaped the batch-ordered read: their batch is missing or another street's.
    for (const stray of await findStrayEntries(db, { streetId, limit: options.maxProblems ?? 100 })) {
      state.add({
        code: 'batch_member_misplaced',
        recordType: stray.recordType,
        recordId: stray.recordId,
        seq: stray.seq,
        entryId: stray.id,
        batchId: stray.batchId,
        streetId: stray.streetId,
        message: {
          zh: `日志记录 ${stray.id}（${stray.recordType} ${stray.recordId} 序号 ${stray.seq}）指向不存在或属于其他街道的批次 ${stray.batchId}`,
          en: `entry ${stray.id} (${stray.recordType} ${stray.recordId} seq ${stray.seq}) names batch ${stray.batchId}, which is missing or another street's`,
        },
      });
    }
  }

  if (signatures === 'chain-ends') {
    const publicKeys = new Map(keys.map((key) => [key.keyId, key.publicKey]));
    for (const record of await readBatchHeadsByIds(db, state.chainEnds())) {
      const head = { ...record, sealedAt: record.sealedAt.toISOString() };
      state.signaturesChecked++;
      const publicKey = publicKeys.get(head.keyId);
      // An unknown key was already named with its batch.
      if (publicKey && !isBatchSignatureValid(publicKey, head)) {
        state.add({ ...invalidSignature(head), batchId: head.id, streetId: head.streetId });
      }
    }
  } else {
    state.signaturesChecked = state.batches;
  }

  const projections = await checkProjections(db, state, streetId, report);
  const durationMs = performance.now() - started;
  return {
    isValid: state.problemCount === 0,
    streetId: streetId ?? null,
    entries: state.entries,
    records: state.records(),
    batches: state.batches,
    unsealedEntries: state.unsealedEntries,
    signaturesChecked: state.signaturesChecked,
    projections,
    problemCount: state.problemCount,
    problems: state.problems,
    threads,
    durationMs: Math.round(durationMs),
    entriesPerSecond: durationMs > 0 ? Math.round((state.entries / durationMs) * 1000) : 0,
  };
}

/** What verification carries from page to page: chain heads, batch heads, folds and problems. */
class VerificationState {
  entries = 0;
  batches = 0;
  unsealedEntries = 0;
  signaturesChecked = 0;
  problemCount = 0;
  readonly problems: JournalProblem[] = [];
  private readonly chains = new Map<string, { seq: number; hash: string }>();
  private readonly streetHeads = new Map<string, { seq: number; headHash: string }>();
  /** Per street, the newest head so far (id, key); heads whose signature must be checked directly. */
  private readonly newestHeads = new Map<string, { id: number; keyId: string }>();
  private readonly keyChangeHeads: number[] = [];
  readonly folds = new Map<string, Map<string, Record<string, unknown>>>();

  constructor(
    private readonly maxProblems: number,
    projected: JournalRecordType[],
  ) {
    for (const type of projected) this.folds.set(type.recordType, new Map());
  }

  records(): number {
    return this.chains.size;
  }

  /** The heads that close a run signed by one key: before each change of key, and each street's newest. */
  chainEnds(): number[] {
    return [...this.keyChangeHeads, ...[...this.newestHeads.values()].map((head) => head.id)];
  }

  add(problem: JournalProblem): void {
    this.problemCount++;
    if (this.problems.length < this.maxProblems) this.problems.push(problem);
  }

  /** A street's batches form one chain: seq 1, 2, … each naming the previous head's hash. */
  private checkBatchChain(head: {
    id: number;
    streetId: string;
    seq: number;
    prevHeadHash: string | null;
    headHash: string;
    keyId: string;
  }): JournalProblem | null {
    this.batches++;
    const newest = this.newestHeads.get(head.streetId);
    if (newest && newest.keyId !== head.keyId) this.keyChangeHeads.push(newest.id);
    this.newestHeads.set(head.streetId, { id: head.id, keyId: head.keyId });
    const previous = this.streetHeads.get(head.streetId);
    this.streetHeads.set(head.streetId, { seq: head.seq, headHash: head.headHash });
    const expectedSeq = (previous?.seq ?? 0) + 1;
    const expectedPrev = previous?.headHash ?? null;
    if (head.seq === expectedSeq && head.prevHeadHash === expectedPrev) return null;
    const where = `batch ${head.id} (street ${head.streetId} #${head.seq})`;
    const isSeqWrong = head.seq !== expectedSeq;
    return {
      code: 'batch_chain_broken',
      batchId: head.id,
      streetId: head.streetId,
      expected: isSeqWrong ? expectedSeq : expectedPrev,
      actual: isSeqWrong ? head.seq : head.prevHeadHash,
      message: isSeqWrong
        ? {
            zh: `批次 ${head.id}（街道 ${head.streetId}）序号为 ${head.seq}，应为 ${expectedSeq}：有批次缺失或被改动`,
            en: `${where}: expected #${expectedSeq}; a batch is missing or altered`,
          }
        : {
            zh: `批次 ${head.id}（街道 ${head.streetId} 第 ${head.seq} 批）没有指向上一批次的批次头哈希`,
            en: `${where} does not link to the previous batch's head hash`,
          },
    };
  }

  /** Applies a checked page in order: record chains, projection folds, then its problems in place. */
  apply(result: PageResult): void {
    const found: (JournalProblem & { position: number })[] = [];
    const { heads } = result;
    for (let i = 0; i < heads.ids.length; i++) {
      const problem = this.checkBatchChain({
        id: heads.ids[i]!,
        streetId: heads.streetIds[i]!,
        seq: heads.seqs[i]!,
        prevHeadHash: heads.prevHeadHashes[i]!,
        headHash: heads.headHashes[i]!,
        keyId: heads.keyIds[i]!,
      });
      if (problem) found.push({ ...problem, position: -1 });
    }
    // A broken link names the record and the missing seq; at the same place it says more than the
    // batch-level consequences, so it comes first (the sort below is stable).
    for (let i = 0; i < result.ids.length; i++) {
      const recordType = result.recordTypes[i]!;
      const recordId = result.recordIds[i]!;
      const seq = result.seqs[i]!;
      const key = `${recordType} ${recordId}`;
      const previous = this.chains.get(key);
      const problem = chainProblem(previous, {
        id: result.ids[i]!,
        recordType,
        recordId,
        seq,
        prevHash: result.prevHashes[i]!,
      });
      if (problem) found.push({ ...problem, position: i });
      if (previous) {
        previous.seq = seq;
        previous.hash = result.hashes[i]!;
      } else {
        this.chains.set(key, { seq, hash: result.hashes[i]! });
      }
    }
    for (const [position, set] of result.sets) {
      const folds = this.folds.get(result.recordTypes[position]!)!;
      const recordId = result.recordIds[position]!;
      const fold = folds.get(recordId);
      if (fold) Object.assign(fold, set);
      else folds.set(recordId, { ...set });
    }
    this.entries += result.ids.length;
    found.push(...result.problems);
    found.sort((a, b) => a.position - b.position);
    for (const { position: _position, ...problem } of found) this.add(problem);
  }
}

function chainProblem(
  previous: { seq: number; hash: string } | undefined,
  entry: { id: number; recordType: string; recordId: string; seq: number; prevHash: string | null },
): JournalProblem | null {
  const expectedSeq = (previous?.seq ?? 0) + 1;
  const expectedPrev = previous?.hash ?? null;
  const at = {
    recordType: entry.recordType,
    recordId: entry.recordId,
    seq: entry.seq,
    entryId: entry.id,
  };
  const what = `${entry.recordType} ${entry.recordId}`;
  if (entry.seq !== expectedSeq) {
    const message =
      entry.seq > expectedSeq
        ? {
            zh: `${what} 缺少序号 ${expectedSeq}${entry.seq - 1 > expectedSeq ? `–${entry.seq - 1}` : ''}：日志记录 ${entry.id} 序号为 ${entry.seq}，前一条为 ${expectedSeq - 1}（记录被删除或顺序被改动）`,
            en: `${what}: seq ${expectedSeq}${entry.seq - 1 > expectedSeq ? `–${entry.seq - 1}` : ''} missing — entry ${entry.id} has seq ${entry.seq} after seq ${expectedSeq - 1} (deleted or reordered)`,
          }
        : {
            zh: `${what} 的日志记录 ${entry.id} 序号 ${entry.seq} 出现在序号 ${expectedSeq - 1} 之后（顺序被改动或重复）`,
            en: `${what}: entry ${entry.id} with seq ${entry.seq} comes after seq ${expectedSeq - 1} (reordered or duplicated)`,
          };
    return { ...at, code: 'chain_seq_gap', expected: expectedSeq, actual: entry.seq, message };
  }
  if (entry.prevHash !== expectedPrev) {
    return {
      ...at,
      code: 'chain_prev_mismatch',
      expected: expectedPrev,
      actual: entry.prevHash,
      message: {
        zh: `${what} 序号 ${entry.seq}（日志记录 ${entry.id}）记载的前一哈希与序号 ${entry.seq - 1} 的哈希不符`,
        en: `${what} seq ${entry.seq} (entry ${entry.id}) does not name the hash of seq ${entry.seq - 1}`,
      },
    };
  }
  return null;
}

async function checkProjections(
  db: Db,
  state: VerificationState,
  streetId: string | undefined,
  report: (phase: 'projections', checked: number, of: number) => void,
): Promise<{ recordType: string; rows: number }[]> {
  const summary: { recordType: string; rows: number }[] = [];
  for (const type of journalRecordTypes()) {
    const projection = type.projection;
    const folds = state.folds.get(type.recordType);
    if (!projection || !folds) continue;
    const columnTypes = await tableColumnTypes(db, projection.table);
    const unknown = projection.columns.filter((column) => !columnTypes.has(column));
    if (unknown.length > 0) {
      throw new Error(
        `journal record type '${type.recordType}' lists columns that ${projection.table} lacks: ${unknown.join(', ')}`,
      );
    }
    const ids = [...folds.keys()];
    let rows = 0;
    for (let start = 0; start < ids.length; start += PROJECTION_CHUNK) {
      const chunk = ids.slice(start, start + PROJECTION_CHUNK);
      const found = await readProjectionRows(db, {
        table: projection.table,
        columns: projection.columns,
        ids: chunk,
      });
      const byId = new Map(found.map((row) => [String(row[0]), row]));
      for (const recordId of chunk) {
        const row = byId.get(recordId);
        if (!row) {
          state.add({
            code: 'projection_row_missing',
            recordType: type.recordType,
            recordId,
            message: {
              zh: `${type.label.zh} ${recordId} 有日志记录，但 ${projection.table} 中的行已不存在`,
              en: `${type.label.en} ${recordId} has journal entries but its ${projection.table} row is gone`,
            },
          });
          continue;
        }
        rows++;
        const fold = folds.get(recordId)!;
        projection.columns.forEach((column, index) => {
          const expected = column in fold ? fold[column] : (projection.defaults?.[column] ?? null);
          const actual = row[index + 1] ?? null;
          if (isSameValue(columnTypes.get(column)!, expected, actual)) return;
          state.add({
            code: 'projection_mismatch',
            recordType: type.recordType,
            recordId,
            column,
            expected,
            actual,
            message: {
              zh: `${type.label.zh} ${recordId} 的 ${projection.table}.${column} 为 ${show(actual)}，日志记载为 ${show(expected)}：当前数据被改动`,
              en: `${type.label.en} ${recordId}: ${projection.table}.${column} is ${show(actual)} but the journal says ${show(expected)} (row edited)`,
            },
          });
        });
      }
      report('projections', Math.min(start + PROJECTION_CHUNK, ids.length), ids.length);
    }
    if (projection.isEveryRowJournaled) {
      const unjournaled = await findUnjournaledRows(db, {
        table: projection.table,
        recordType: type.recordType,
        streetColumn: projection.streetColumn ?? 'street_id',
        streetId,
        limit: 100,
      });
      for (const recordId of unjournaled) {
        state.add({
          code: 'projection_row_unjournaled',
          recordType: type.recordType,
          recordId,
          message: {
            zh: `${type.label.zh} ${recordId} 在 ${projection.table} 中存在，却没有任何日志记录：该行不是经由业务流程写入的`,
            en: `${type.label.en} ${recordId} is in ${projection.table} with no journal entry at all (written outside the workflow)`,
          },
        });
      }
    }
    summary.push({ recordType: type.recordType, rows });
  }
  return summary;
}

const NUMERIC_TYPES = new Set(['smallint', 'integer', 'bigint', 'numeric', 'real', 'double precision']);

/**
 * Compares a folded journal value with a row value (both as JSON) by what the column means: the
 * same instant, the same number, the same JSON value — not the same spelling.
 */
export function isSameValue(dataType: string, expected: unknown, actual: unknown): boolean {
  if (expected === null || actual === null) return expected === actual;
  const expectedText = asText(expected);
  const actualText = asText(actual);
  if (dataType.startsWith('timestamp')) {
    const a = Date.parse(expectedText);
    const b = Date.parse(actualText);
    return Number.isNaN(a) || Number.isNaN(b) ? expectedText === actualText : a === b;
  }
  if (NUMERIC_TYPES.has(dataType)) return Number(expectedText) === Number(actualText);
  if (dataType === 'uuid') return expectedText.toLowerCase() === actualText.toLowerCase();
  if (dataType === 'json' || dataType === 'jsonb' || dataType === 'ARRAY' || typeof expected === 'object') {
    try {
      return canonicalJson(expected) === canonicalJson(actual);
    } catch {
      return false;
    }
  }
  return expected === actual;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
