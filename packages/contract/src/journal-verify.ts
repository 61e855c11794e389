/**
 * Verifying the journal where nobody has to trust the server: in a browser (Web Crypto), or in any
 * JavaScript runtime with `crypto.subtle`. Everything here is recomputed from what the API returns —
 * entry hashes, each record's chain, RFC 6962 inclusion proofs against signed batch heads, and the
 * Ed25519 signatures of those heads against the published keys. The server has its own synchronous
 * implementation (node:crypto) for bulk verification; shared test vectors keep the two identical.
 */
import type { LocalizedText } from './common.ts';
import {
  batchHeadContent,
  canonicalBatchHead,
  canonicalEntry,
  journalEntryContent,
  type BatchHead,
  type BatchHeadContent,
  type InclusionProof,
  type JournalEntry,
  type JournalEntryContent,
  type JournalKey,
  type RecordJournal,
} from './journal.ts';

type Bytes = Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

function subtle(): typeof globalThis.crypto.subtle {
  const api = globalThis.crypto?.subtle;
  if (!api) throw new Error('Web Crypto (crypto.subtle) is not available; open the page over HTTPS');
  return api;
}

export function hexToBytes(hex: string): Bytes {
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) throw new Error(`not a hex string: ${hex.slice(0, 16)}…`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

export function base64ToBytes(base64: string): Bytes {
  const binary = atob(base64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

async function sha256(data: Bytes): Promise<Bytes> {
  return new Uint8Array(await subtle().digest('SHA-256', data));
}

export async function sha256Hex(text: string): Promise<string> {
  return bytesToHex(await sha256(encoder.encode(text)));
}

/** The hash of a journal entry: SHA-256 of its canonical (RFC 8785) JSON, as hex. */
export function computeEntryHash(content: JournalEntryContent): Promise<string> {
  return sha256Hex(canonicalEntry(content));
}

/** The hash of a batch head, which the street's next batch links to. */
export function computeBatchHeadHash(head: BatchHeadContent): Promise<string> {
  return sha256Hex(canonicalBatchHead(head));
}

/** RFC 6962 leaf hash: SHA-256(0x00 ‖ data). A journal leaf's data is the entry hash's 32 bytes. */
export function merkleLeafHash(data: Uint8Array): Promise<Bytes> {
  const input = new Uint8Array(data.length + 1);
  input[0] = LEAF_PREFIX;
  input.set(data, 1);
  return sha256(input);
}

/** RFC 6962 inner node: SHA-256(0x01 ‖ left ‖ right). */
export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  const input = new Uint8Array(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return sha256(input);
}

/**
 * The RFC 6962 tree head over leaf hashes. Pairing neighbours level by level and carrying an
 * unpaired last node up unchanged builds exactly the tree that splits at the largest power of two.
 */
export async function merkleRoot(leafHashes: readonly Uint8Array[]): Promise<Bytes> {
  if (leafHashes.length === 0) return sha256(new Uint8Array(0));
  let level: Uint8Array[] = [...leafHashes];
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(await merkleNodeHash(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return new Uint8Array(level[0]!);
}

/** The Merkle root of a batch from its members' entry hashes in leaf order, as hex. */
export async function entryMerkleRoot(entryHashes: readonly string[]): Promise<string> {
  const leaves = await Promise.all(entryHashes.map((hash) => merkleLeafHash(hexToBytes(hash))));
  return bytesToHex(await merkleRoot(leaves));
}

/**
 * The root an inclusion proof leads to from a leaf (RFC 9162 §2.1.3.2), or null when the proof's
 * shape cannot belong to a tree of that size.
 */
export async function rootFromInclusionProof(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  path: readonly Uint8Array[],
): Promise<Bytes | null> {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return null;
  if (leafIndex < 0 || leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let node: Bytes = new Uint8Array(leafHash);
  for (const sibling of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      node = await merkleNodeHash(sibling, node);
      // Climb past the levels where this node had no right sibling (the tree's ragged right edge).
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      node = await merkleNodeHash(node, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? node : null;
}

/** Does `proof` show that the entry with hash `entryHash` is a leaf of the tree with root `rootHex`? */
export async function verifyInclusionProof(
  entryHash: string,
  proof: InclusionProof,
  rootHex: string,
): Promise<boolean> {
  try {
    const leaf = await merkleLeafHash(hexToBytes(entryHash));
    const root = await rootFromInclusionProof(
      leaf,
      proof.leafIndex,
      proof.treeSize,
      proof.path.map(hexToBytes),
    );
    return root !== null && bytesToHex(root) === rootHex;
  } catch {
    return false;
  }
}

/** Checks a batch head's Ed25519 signature with a raw public key (base64), via Web Crypto. */
export async function verifyBatchSignature(head: BatchHead, publicKeyBase64: string): Promise<boolean> {
  try {
    const key = await subtle().importKey('raw', base64ToBytes(publicKeyBase64), { name: 'Ed25519' }, false, [
      'verify',
    ]);
    return await subtle().verify(
      { name: 'Ed25519' },
      key,
      base64ToBytes(head.signature),
      encoder.encode(canonicalBatchHead(batchHeadContent(head))),
    );
  } catch {
    return false;
  }
}

export type VerificationProblemCode =
  | 'entry_hash_mismatch'
  | 'chain_seq_gap'
  | 'chain_prev_mismatch'
  | 'entry_not_in_batch'
  | 'inclusion_proof_invalid'
  | 'batch_head_hash_mismatch'
  | 'batch_signature_invalid'
  | 'batch_key_unknown';

export interface VerificationProblem {
  code: VerificationProblemCode;
  /** The entry concerned (its seq in the record's chain), when there is one. */
  seq?: number;
  batchId?: number;
  message: LocalizedText;
}

export interface EntryCheck {
  seq: number;
  hash: string;
  isHashValid: boolean;
  isChainValid: boolean;
  /** null: not sealed yet, nothing to prove. */
  isProofValid: boolean | null;
}

export interface BatchCheck {
  id: number;
  isHeadHashValid: boolean;
  isSignatureValid: boolean;
}

export interface RecordVerification {
  isValid: boolean;
  entries: EntryCheck[];
  batches: BatchCheck[];
  problems: VerificationProblem[];
}

/**
 * Checks a chain in the order given: seq 1, 2, 3 … with each entry naming its predecessor's hash.
 * Returns one problem per broken link.
 */
export function checkRecordChain(
  entries: readonly Pick<JournalEntry, 'seq' | 'prevHash' | 'hash'>[],
): VerificationProblem[] {
  const problems: VerificationProblem[] = [];
  entries.forEach((entry, index) => {
    const expectedSeq = index + 1;
    const expectedPrev = index === 0 ? null : entries[index - 1]!.hash;
    if (entry.seq !== expectedSeq) {
      problems.push({
        code: 'chain_seq_gap',
        seq: entry.seq,
        message: {
          zh: `第 ${expectedSeq} 条记录应为序号 ${expectedSeq}，实际为 ${entry.seq}（有记录缺失或顺序被改动）`,
          en: `entry ${expectedSeq} of the chain has seq ${entry.seq} (an entry is missing or reordered)`,
        },
      });
    } else if (entry.prevHash !== expectedPrev) {
      problems.push({
        code: 'chain_prev_mismatch',
        seq: entry.seq,
        message: {
          zh: `序号 ${entry.seq} 的前一哈希与上一条记录不符`,
          en: `seq ${entry.seq} does not name the previous entry's hash`,
        },
      });
    }
  });
  return problems;
}

/**
 * Verifies a record's journal as GET /api/journal/records/:type/:id returns it, against the keys of
 * /.well-known/minqing/journal-keys.json. Every entry's hash is recomputed from its content, the chain
 * is walked, every sealed entry's inclusion proof is checked against its batch's root, and every
 * batch head's hash and signature are checked.
 */
export async function verifyRecordJournal(
  journal: RecordJournal,
  keys: readonly JournalKey[],
): Promise<RecordVerification> {
  const problems: VerificationProblem[] = [];
  const keyById = new Map(keys.map((key) => [key.keyId, key]));

  const batches: BatchCheck[] = [];
  const batchById = new Map<number, BatchHead>();
  for (const head of journal.batches) {
    batchById.set(head.id, head);
    const isHeadHashValid = (await computeBatchHeadHash(batchHeadContent(head))) === head.headHash;
    if (!isHeadHashValid) {
      problems.push({
        code: 'batch_head_hash_mismatch',
        batchId: head.id,
        message: {
          zh: `批次 ${head.id} 的批次头哈希与其内容不符`,
          en: `batch ${head.id}: the head hash does not match the head`,
        },
      });
    }
    const key = keyById.get(head.keyId);
    const isSignatureValid = key ? await verifyBatchSignature(head, key.publicKey) : false;
    if (!key) {
      problems.push({
        code: 'batch_key_unknown',
        batchId: head.id,
        message: {
          zh: `批次 ${head.id} 由未公布的密钥 ${head.keyId} 签名`,
          en: `batch ${head.id} is signed by an unpublished key ${head.keyId}`,
        },
      });
    } else if (!isSignatureValid) {
      problems.push({
        code: 'batch_signature_invalid',
        batchId: head.id,
        message: { zh: `批次 ${head.id} 的签名无效`, en: `batch ${head.id}: the signature is not valid` },
      });
    }
    batches.push({ id: head.id, isHeadHashValid, isSignatureValid });
  }

  const chainProblems = checkRecordChain(journal.entries);
  problems.push(...chainProblems);
  const brokenLinks = new Set(chainProblems.map((problem) => problem.seq));

  const entries: EntryCheck[] = [];
  for (const entry of journal.entries) {
    const computed = await computeEntryHash(journalEntryContent(entry));
    const isHashValid = computed === entry.hash;
    if (!isHashValid) {
      problems.push({
        code: 'entry_hash_mismatch',
        seq: entry.seq,
        message: {
          zh: `序号 ${entry.seq} 的内容与其哈希不符（内容被改动）`,
          en: `seq ${entry.seq}: the content does not match its hash (altered)`,
        },
      });
    }
    let isProofValid: boolean | null = null;
    if (entry.batchId !== null) {
      const head = batchById.get(entry.batchId);
      isProofValid =
        !!head &&
        !!entry.proof &&
        entry.proof.leafIndex === entry.leafIndex &&
        entry.proof.treeSize === head.size &&
        (await verifyInclusionProof(computed, entry.proof, head.merkleRoot));
      if (!head) {
        problems.push({
          code: 'entry_not_in_batch',
          seq: entry.seq,
          batchId: entry.batchId,
          message: {
            zh: `序号 ${entry.seq} 所属批次 ${entry.batchId} 未随记录返回`,
            en: `seq ${entry.seq}: its batch ${entry.batchId} is missing from the answer`,
          },
        });
      } else if (!isProofValid) {
        problems.push({
          code: 'inclusion_proof_invalid',
          seq: entry.seq,
          batchId: entry.batchId,
          message: {
            zh: `序号 ${entry.seq} 不在批次 ${entry.batchId} 的默克尔树中`,
            en: `seq ${entry.seq} is not in the Merkle tree of batch ${entry.batchId}`,
          },
        });
      }
    }
    entries.push({
      seq: entry.seq,
      hash: entry.hash,
      isHashValid,
      isChainValid: !brokenLinks.has(entry.seq),
      isProofValid,
    });
  }
  return { isValid: problems.length === 0, entries, batches, problems };
}
