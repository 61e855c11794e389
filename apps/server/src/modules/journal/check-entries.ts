/**
 * The CPU-heavy half of verification, free of any database or shared state so that it can run in
 * worker threads: parse a page of batch heads and entries, recompute every entry hash from its
 * content, and check each batch (members in leaf order give the Merkle root; head hash; key).
 * What needs the whole journal in order — record chains, chains of heads, projections — the caller
 * does with the result.
 */
import { JOURNAL_FORMAT_VERSION } from '@minqing/contract';
import { sha256Hex, verifySignature } from '../../crypto/index.ts';
import { entryLeafHash, merkleRoot } from './merkle.ts';
import type { JournalProblem } from './problems.ts';

/**
 * How the database renders an entry: one line, fields separated by tabs, in this order. Only the
 * last two fields are free text, and both are JSON (which escapes tabs and newlines).
 */
export const ENTRY_LINE_FIELDS = [
  'id',
  'batch_id',
  'leaf_index',
  'street_id',
  'record_id',
  'seq',
  'actor_id',
  'at_epoch_ms',
  'prev_hash',
  'hash',
  'names_json',
  'payload_json',
] as const;

/** How the database renders a batch head, likewise; the key id and signature go through JSON. */
export const HEAD_LINE_FIELDS = [
  'id',
  'street_id',
  'seq',
  'size',
  'merkle_root',
  'prev_head_hash',
  'head_hash',
  'first_entry_id',
  'last_entry_id',
  'sealed_at_epoch_ms',
  'key_and_signature_json',
] as const;

export interface BatchHeadRow {
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

export interface PublicKeyRow {
  keyId: string;
  publicKey: string;
  createdAt: string;
  retiredAt: string | null;
}

/**
 * 'chain-ends' checks the signature of each street's newest head and of the last head signed by each
 * key before a change of key; every other head is bound to a checked signature through the chain of
 * head hashes (each head's hash is recomputed, each head names its predecessor's). 'every' checks
 * each head's signature itself, at one Ed25519 verification per batch.
 */
export type SignatureCheck = 'chain-ends' | 'every';

export interface CheckOptions {
  keys: PublicKeyRow[];
  signatures: SignatureCheck;
  /** Record types whose `payload.set` the caller folds into projections: their sets come back. */
  projectedTypes: string[];
}

export interface PageTask {
  /** Sealed pages hold whole batches (heads, then members in batch and leaf order); unsealed pages loose entries. */
  kind: 'sealed' | 'unsealed';
  entries: string;
  heads: string;
}

/** What the ordered checks need from a page, in arrival order. */
export interface PageResult {
  ids: number[];
  recordTypes: string[];
  recordIds: string[];
  seqs: number[];
  prevHashes: (string | null)[];
  hashes: string[];
  /** [position in the page, payload.set] for entries of projected record types. */
  sets: [number, Record<string, unknown>][];
  /** The page's batch heads in id order, for the chains of heads per street. */
  heads: {
    ids: number[];
    streetIds: string[];
    seqs: number[];
    prevHeadHashes: (string | null)[];
    headHashes: string[];
    keyIds: string[];
  };
  /** Problems found, each with the position of the entry it concerns (a batch's: after its members). */
  problems: (JournalProblem & { position: number })[];
}

interface ParsedEntry {
  id: number;
  batchId: number | null;
  leafIndex: number | null;
  streetId: string;
  recordType: string;
  recordId: string;
  seq: number;
  actorId: string | null;
  atMs: number;
  prevHash: string | null;
  hash: string;
  action: string;
  actorRole: string | null;
  payload: unknown;
}

interface KeyOrder {
  /** The keys in the order Object.keys gave them. */
  given: string[];
  /** The keys in JCS order, each with the text that precedes its value ('{"a":' then ',"b":' …). */
  keys: string[];
  prefixes: string[];
}

/**
 * Journal payloads repeat a few shapes (the same columns in the same order), so each shape is sorted
 * once. Looked up by a cheap signature and confirmed key by key: property names are interned, so the
 * comparison is by reference.
 */
const keyOrders = new Map<string, KeyOrder[]>();
const KEY_ORDER_CACHE_LIMIT = 10_000;
let cachedShapes = 0;

function jcsKeyOrder(given: string[]): KeyOrder {
  const signature = `${given.length}\u0000${given[0]}\u0000${given[given.length - 1]}`;
  const candidates = keyOrders.get(signature);
  if (candidates) {
    for (const candidate of candidates) {
      let isSame = true;
      for (let i = 0; i < given.length; i++) {
        if (candidate.given[i] !== given[i]) {
          isSame = false;
          break;
        }
      }
      if (isSame) return candidate;
    }
  }
  const keys = [...given].sort();
  const order = {
    given,
    keys,
    prefixes: keys.map((key, i) => `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`),
  };
  if (cachedShapes < KEY_ORDER_CACHE_LIMIT) {
    cachedShapes++;
    if (candidates) candidates.push(order);
    else keyOrders.set(signature, [order]);
  }
  return order;
}

/**
 * RFC 8785 (JCS) serialisation of a value that came from JSON.parse: object keys sorted by UTF-16
 * code units (what Array.prototype.sort does), strings and numbers as ECMAScript serialises them.
 * It yields the same text as the `canonicalize` package the entries were hashed with, without its
 * per-call bookkeeping (cycle detection, toJSON) that parsed JSON never needs, and sorts each shape
 * of object once.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error('non-finite number in journal payload');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + canonicalJson(value[i]);
        return `${out}]`;
      }
      const object = value as Record<string, unknown>;
      const keys = Object.keys(object);
      if (keys.length === 0) return '{}';
      const order = jcsKeyOrder(keys);
      let out = '';
      for (let i = 0; i < order.keys.length; i++) {
        const item = object[order.keys[i]!];
        out += order.prefixes[i]! + (typeof item === 'string' ? JSON.stringify(item) : canonicalJson(item));
      }
      return `${out}}`;
    }
    default:
      throw new Error(`unexpected ${typeof value} in journal payload`);
  }
}

const quote = (text: string | null) => (text === null ? 'null' : JSON.stringify(text));

/** canonicalEntry (packages/contract) of a parsed entry, with the keys already in JCS order. */
export function canonicalEntryText(
  entry: Omit<ParsedEntry, 'id' | 'batchId' | 'leafIndex' | 'hash'>,
): string {
  return (
    `{"action":${JSON.stringify(entry.action)},"actor":${quote(entry.actorId)},` +
    `"at":"${new Date(entry.atMs).toISOString()}","payload":${canonicalJson(entry.payload)},` +
    `"prev":${quote(entry.prevHash)},"record":${JSON.stringify(entry.recordId)},` +
    `"role":${quote(entry.actorRole)},"seq":${entry.seq},"street":${JSON.stringify(entry.streetId)},` +
    `"type":${JSON.stringify(entry.recordType)},"v":${JOURNAL_FORMAT_VERSION}}`
  );
}

/** canonicalBatchHead (packages/contract) of a head, with the keys already in JCS order. */
export function canonicalHeadText(head: BatchHeadRow): string {
  return (
    `{"first":${head.firstEntryId},"key":${JSON.stringify(head.keyId)},"last":${head.lastEntryId},` +
    `"prev":${quote(head.prevHeadHash)},"root":${JSON.stringify(head.merkleRoot)},` +
    `"sealedAt":${JSON.stringify(head.sealedAt)},"seq":${head.seq},"size":${head.size},` +
    `"street":${JSON.stringify(head.streetId)},"v":${JOURNAL_FORMAT_VERSION}}`
  );
}

function parseEntryLine(line: string): ParsedEntry {
  const fields = line.split('\t');
  // The payload is last and JSON escapes tabs, so a well-formed line has exactly twelve fields.
  if (fields.length !== ENTRY_LINE_FIELDS.length) throw new Error(`${fields.length} fields`);
  const [id, batchId, leafIndex, streetId, recordId, seq, actorId, atMs, prevHash, hash, names, payload] =
    fields as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
  const [recordType, action, actorRole] = JSON.parse(names) as [string, string, string | null];
  return {
    id: Number(id),
    batchId: batchId === '' ? null : Number(batchId),
    leafIndex: leafIndex === '' ? null : Number(leafIndex),
    streetId,
    recordType,
    recordId,
    seq: Number(seq),
    actorId: actorId === '' ? null : actorId,
    atMs: Number(atMs),
    prevHash: prevHash === '' ? null : prevHash,
    hash,
    action,
    actorRole,
    payload: JSON.parse(payload) as unknown,
  };
}

/** A head line; the sealed instant is rebuilt as the ISO text the head was signed with. */
export function parseHeadLine(line: string): BatchHeadRow {
  const fields = line.split('\t');
  if (fields.length !== HEAD_LINE_FIELDS.length) throw new Error(`${fields.length} fields`);
  const [id, streetId, seq, size, root, prev, headHash, first, last, sealedMs, keyAndSignature] = fields as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [keyId, signature] = JSON.parse(keyAndSignature) as [string, string];
  const sealed = Number(sealedMs);
  return {
    id: Number(id),
    streetId,
    seq: Number(seq),
    size: Number(size),
    merkleRoot: root,
    prevHeadHash: prev === '' ? null : prev,
    headHash,
    firstEntryId: Number(first),
    lastEntryId: Number(last),
    // Sub-millisecond digits cannot come from the sealer; keep them visible so the hash fails.
    sealedAt: Number.isInteger(sealed) ? new Date(sealed).toISOString() : `${sealedMs} ms`,
    keyId,
    signature,
  };
}

function lines(text: string): string[] {
  return text === '' ? [] : text.split('\n');
}

/** Checks pages; one instance per thread, holding the public keys. */
export class EntryChecker {
  private readonly keys = new Map<string, { publicKey: string; retiredAt: number | null }>();
  private readonly projectedTypes: Set<string>;
  private readonly signatures: SignatureCheck;

  constructor(options: CheckOptions) {
    this.signatures = options.signatures;
    for (const row of options.keys) {
      this.keys.set(row.keyId, {
        publicKey: row.publicKey,
        retiredAt: row.retiredAt ? Date.parse(row.retiredAt) : null,
      });
    }
    this.projectedTypes = new Set(options.projectedTypes);
  }

  check(task: PageTask): PageResult {
    const result: PageResult = {
      ids: [],
      recordTypes: [],
      recordIds: [],
      seqs: [],
      prevHashes: [],
      hashes: [],
      sets: [],
      heads: { ids: [], streetIds: [], seqs: [], prevHeadHashes: [], headHashes: [], keyIds: [] },
      problems: [],
    };
    const heads = this.parseHeads(task.heads, result);
    const entries = this.parseEntries(task.entries, result);
    if (task.kind === 'sealed') this.sortSealed(entries);
    else entries.sort((a, b) => a.id - b.id);

    for (let position = 0; position < entries.length; position++) {
      const entry = entries[position]!;
      result.ids.push(entry.id);
      result.recordTypes.push(entry.recordType);
      result.recordIds.push(entry.recordId);
      result.seqs.push(entry.seq);
      result.prevHashes.push(entry.prevHash);
      result.hashes.push(entry.hash);
      this.checkEntryHash(entry, position, result);
      if (task.kind === 'unsealed' && entry.leafIndex !== null) {
        result.problems.push({
          ...problemAt(entry),
          position,
          ...misplaced(entry, 'an unsealed entry with a leaf index'),
        });
      }
      if (this.projectedTypes.has(entry.recordType)) {
        const set = (entry.payload as { set?: unknown } | null)?.set;
        if (set && typeof set === 'object' && !Array.isArray(set)) {
          result.sets.push([position, set as Record<string, unknown>]);
        }
      }
    }
    if (task.kind === 'sealed') this.checkBatches(heads, entries, result);
    return result;
  }

  private parseHeads(text: string, result: PageResult): BatchHeadRow[] {
    const heads: BatchHeadRow[] = [];
    for (const line of lines(text)) {
      try {
        const head = parseHeadLine(line);
        heads.push(head);
        result.heads.ids.push(head.id);
        result.heads.streetIds.push(head.streetId);
        result.heads.seqs.push(head.seq);
        result.heads.prevHeadHashes.push(head.prevHeadHash);
        result.heads.headHashes.push(head.headHash);
        result.heads.keyIds.push(head.keyId);
      } catch (error) {
        const id = Number(line.slice(0, line.indexOf('\t')));
        result.problems.push({
          position: -1,
          code: 'batch_unreadable',
          batchId: Number.isFinite(id) ? id : undefined,
          message: {
            zh: `批次 ${id} 的批次头无法解析：${(error as Error).message}`,
            en: `batch ${id}: its head cannot be read: ${(error as Error).message}`,
          },
        });
      }
    }
    return heads;
  }

  private parseEntries(text: string, result: PageResult): ParsedEntry[] {
    const entries: ParsedEntry[] = [];
    for (const line of lines(text)) {
      try {
        entries.push(parseEntryLine(line));
      } catch (error) {
        const id = Number(line.slice(0, line.indexOf('\t')));
        result.problems.push({
          position: -1,
          code: 'entry_unreadable',
          entryId: Number.isFinite(id) ? id : undefined,
          message: {
            zh: `日志记录 ${id} 无法解析：${(error as Error).message}`,
            en: `journal entry ${id} cannot be read: ${(error as Error).message}`,
          },
        });
      }
    }
    return entries;
  }

  /** The database sends members in batch and leaf order; sort only when it did not. */
  private sortSealed(entries: ParsedEntry[]): void {
    for (let i = 1; i < entries.length; i++) {
      const a = entries[i - 1]!;
      const b = entries[i]!;
      if (a.batchId! > b.batchId! || (a.batchId === b.batchId && a.leafIndex! > b.leafIndex!)) {
        entries.sort((x, y) => x.batchId! - y.batchId! || x.leafIndex! - y.leafIndex!);
        return;
      }
    }
  }

  private checkEntryHash(entry: ParsedEntry, position: number, result: PageResult): void {
    if (!Number.isInteger(entry.atMs)) {
      result.problems.push({
        ...problemAt(entry),
        position,
        code: 'entry_hash_mismatch',
        message: {
          zh: `${describeEntry(entry, 'zh')}的时间精度被改动（应为整毫秒）`,
          en: `${describeEntry(entry, 'en')}: its time was altered below the millisecond`,
        },
      });
      return;
    }
    let computed: string;
    try {
      computed = sha256Hex(canonicalEntryText(entry));
    } catch (error) {
      computed = `unhashable: ${(error as Error).message}`;
    }
    if (computed !== entry.hash) {
      result.problems.push({
        ...problemAt(entry),
        position,
        code: 'entry_hash_mismatch',
        expected: entry.hash,
        actual: computed,
        message: {
          zh: `${describeEntry(entry, 'zh')}的内容与其哈希不符：内容被改动`,
          en: `${describeEntry(entry, 'en')}: its content does not match its hash (altered)`,
        },
      });
    }
  }

  private checkBatches(heads: BatchHeadRow[], entries: ParsedEntry[], result: PageResult): void {
    const byId = new Map(heads.map((head) => [head.id, head]));
    const checked = new Set<number>();
    let start = 0;
    while (start < entries.length) {
      const batchId = entries[start]!.batchId!;
      let end = start + 1;
      while (end < entries.length && entries[end]!.batchId === batchId) end++;
      const head = byId.get(batchId);
      if (head) {
        this.checkBatch(head, entries.slice(start, end), start, result);
        checked.add(batchId);
      } else {
        for (let position = start; position < end; position++) {
          const stray = entries[position]!;
          result.problems.push({
            ...problemAt(stray),
            position,
            ...misplaced(stray, 'its batch is missing or belongs to another street'),
          });
        }
      }
      start = end;
    }
    // A batch none of whose members is left: every one of its entries was deleted or moved.
    for (const head of heads) {
      if (checked.has(head.id)) continue;
      const position = entries.findIndex((entry) => entry.batchId! > head.id);
      this.checkBatch(head, [], position < 0 ? entries.length : position, result);
    }
  }

  private checkBatch(
    batch: BatchHeadRow,
    members: ParsedEntry[],
    position: number,
    result: PageResult,
  ): void {
    // A batch's own problems follow its members' in the report: a deleted or altered entry is named
    // first, then the batch it breaks.
    const at = { position: position + members.length - 0.5, batchId: batch.id, streetId: batch.streetId };
    const misplacedAt = members.findIndex(
      (member, index) =>
        member.leafIndex !== index ||
        member.streetId !== batch.streetId ||
        (index > 0 && member.id <= members[index - 1]!.id),
    );
    if (misplacedAt >= 0) {
      const member = members[misplacedAt]!;
      result.problems.push({
        ...problemAt(member),
        position: position + misplacedAt,
        batchId: batch.id,
        code: 'batch_member_misplaced',
        message: {
          zh: `${describeEntry(member, 'zh')}在批次 ${batch.id} 中的位置或街道不对（叶序号 ${member.leafIndex}，应为 ${misplacedAt}）`,
          en: `${describeEntry(member, 'en')} is out of place in batch ${batch.id} (leaf ${member.leafIndex}, expected ${misplacedAt}; ids must ascend)`,
        },
      });
    }
    if (members.length !== batch.size) {
      result.problems.push({
        ...at,
        code: 'batch_member_missing',
        expected: batch.size,
        actual: members.length,
        message: {
          zh: `批次 ${batch.id} 应有 ${batch.size} 条记录，实有 ${members.length} 条：有记录被删除或移走`,
          en: `batch ${batch.id} should hold ${batch.size} entries and holds ${members.length} (deleted or moved)`,
        },
      });
    } else if (
      members.length > 0 &&
      (members[0]!.id !== batch.firstEntryId || members[members.length - 1]!.id !== batch.lastEntryId)
    ) {
      result.problems.push({
        ...at,
        code: 'batch_member_misplaced',
        message: {
          zh: `批次 ${batch.id} 的首末记录编号与批次头不符`,
          en: `batch ${batch.id}: its first and last entry ids differ from the head`,
        },
      });
    }
    const root = merkleRoot(members.map((member) => entryLeafHash(member.hash))).toString('hex');
    if (root !== batch.merkleRoot) {
      result.problems.push({
        ...at,
        code: 'batch_root_mismatch',
        expected: batch.merkleRoot,
        actual: root,
        message: {
          zh: `批次 ${batch.id}（街道 ${batch.streetId} 第 ${batch.seq} 批）的默克尔根与其记录不符`,
          en: `batch ${batch.id} (street ${batch.streetId} #${batch.seq}): its entries do not give its Merkle root`,
        },
      });
    }
    if (sha256Hex(canonicalHeadText(batch)) !== batch.headHash) {
      result.problems.push({
        ...at,
        code: 'batch_head_hash_mismatch',
        message: {
          zh: `批次 ${batch.id}（街道 ${batch.streetId} 第 ${batch.seq} 批）的批次头哈希与内容不符`,
          en: `batch ${batch.id} (street ${batch.streetId} #${batch.seq}): the head hash does not match the head`,
        },
      });
    }
    const key = this.keys.get(batch.keyId);
    if (!key) {
      result.problems.push({
        ...at,
        code: 'batch_key_unknown',
        message: {
          zh: `批次 ${batch.id} 由未登记的密钥 ${batch.keyId} 签名`,
          en: `batch ${batch.id} is signed by an unregistered key ${batch.keyId}`,
        },
      });
      return;
    }
    if (key.retiredAt !== null && Date.parse(batch.sealedAt) > key.retiredAt) {
      result.problems.push({
        ...at,
        code: 'batch_signature_invalid',
        message: {
          zh: `批次 ${batch.id} 的签名时间晚于密钥 ${batch.keyId} 的停用时间`,
          en: `batch ${batch.id} was signed after key ${batch.keyId} was retired`,
        },
      });
    }
    if (this.signatures === 'every' && !isBatchSignatureValid(key.publicKey, batch)) {
      result.problems.push({ ...at, ...invalidSignature(batch) });
    }
  }
}

/** Checks a batch head's Ed25519 signature (over its canonical head) with a raw public key. */
export function isBatchSignatureValid(publicKey: string, batch: BatchHeadRow): boolean {
  try {
    return verifySignature(publicKey, canonicalHeadText(batch), batch.signature);
  } catch {
    return false;
  }
}

export function invalidSignature(batch: BatchHeadRow) {
  return {
    code: 'batch_signature_invalid' as const,
    message: { zh: `批次 ${batch.id} 的签名无效`, en: `batch ${batch.id}: the signature is not valid` },
  };
}

function problemAt(entry: ParsedEntry) {
  return {
    recordType: entry.recordType,
    recordId: entry.recordId,
    seq: entry.seq,
    entryId: entry.id,
    streetId: entry.streetId,
    batchId: entry.batchId ?? undefined,
  };
}

function misplaced(entry: ParsedEntry, why: string) {
  return {
    code: 'batch_member_misplaced' as const,
    message: {
      zh: `${describeEntry(entry, 'zh')}的批次信息不一致（批次 ${entry.batchId ?? '无'}，叶序号 ${entry.leafIndex ?? '无'}）`,
      en: `${describeEntry(entry, 'en')}: inconsistent batch data (${why})`,
    },
  };
}

export function describeEntry(
  entry: { id?: number; recordType: string; recordId: string; seq: number },
  language: 'zh' | 'en',
): string {
  const id = entry.id === undefined ? '' : language === 'zh' ? `日志记录 ${entry.id}` : `entry ${entry.id}`;
  return language === 'zh'
    ? `${id}（${entry.recordType} ${entry.recordId} 序号 ${entry.seq}）`
    : `${id} (${entry.recordType} ${entry.recordId} seq ${entry.seq})`;
}
