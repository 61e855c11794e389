/**
 * RFC 6962 (Certificate Transparency) Merkle trees, synchronous on node:crypto for the sealer and
 * bulk verification. The browser twin is packages/contract/src/journal-verify.ts; shared vectors in
 * merkle.test.ts keep them identical.
 *
 * leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right), and a tree of n > 1 leaves
 * splits at the largest power of two below n. A journal leaf's data is the entry hash's 32 bytes.
 */
import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

export function merkleLeafHash(data: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(data).digest();
}

/** The Merkle leaf of a journal entry, from its hex hash. */
export function entryLeafHash(entryHashHex: string): Buffer {
  return merkleLeafHash(Buffer.from(entryHashHex, 'hex'));
}

export function merkleNodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * Every level of the tree, leaves first, root last. Pairing neighbours and carrying an unpaired last
 * node up unchanged builds exactly RFC 6962's tree (split at the largest power of two), without
 * recursion, in n - 1 node hashes.
 */
export function merkleLevels(leafHashes: readonly Buffer[]): Buffer[][] {
  if (leafHashes.length === 0) return [[createHash('sha256').digest()]];
  const levels: Buffer[][] = [[...leafHashes]];
  let level = levels[0]!;
  while (level.length > 1) {
    const next: Buffer[] = new Array<Buffer>(Math.ceil(level.length / 2));
    for (let i = 0; i + 1 < level.length; i += 2) next[i >> 1] = merkleNodeHash(level[i]!, level[i + 1]!);
    if (level.length % 2 === 1) next[next.length - 1] = level[level.length - 1]!;
    levels.push(next);
    level = next;
  }
  return levels;
}

/** The tree head; SHA-256 of nothing for an empty tree (RFC 6962 §2.1). */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  const levels = merkleLevels(leafHashes);
  return levels[levels.length - 1]![0]!;
}

/** The root over journal entries given by their hex hashes in leaf order, as hex. */
export function entryMerkleRootHex(entryHashes: readonly string[]): string {
  return merkleRoot(entryHashes.map(entryLeafHash)).toString('hex');
}

/**
 * The audit path of leaf `index` (RFC 6962 §2.1.1), read off precomputed levels: the sibling at each
 * level, skipping levels where the node is an unpaired last node carried up.
 */
export function inclusionProofFromLevels(levels: readonly Buffer[][], index: number): Buffer[] {
  const size = levels[0]!.length;
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw new RangeError(`leaf ${index} is outside a tree of ${size}`);
  }
  const path: Buffer[] = [];
  let position = index;
  for (let depth = 0; depth < levels.length - 1; depth++) {
    const level = levels[depth]!;
    const sibling = position ^ 1;
    if (sibling < level.length) path.push(level[sibling]!);
    position >>= 1;
  }
  return path;
}

export function inclusionProof(leafHashes: readonly Buffer[], index: number): Buffer[] {
  return inclusionProofFromLevels(merkleLevels(leafHashes), index);
}

/**
 * The root an audit path leads to from a leaf (RFC 9162 §2.1.3.2), or null when the path's shape
 * cannot belong to a tree of that size.
 */
export function rootFromInclusionProof(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  path: readonly Uint8Array[],
): Buffer | null {
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize)) return null;
  if (leafIndex < 0 || leafIndex >= treeSize) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let node: Buffer = Buffer.from(leafHash);
  for (const sibling of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      node = merkleNodeHash(sibling, node);
      // Climb past the levels where this node had no right sibling (the tree's ragged right edge).
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      node = merkleNodeHash(node, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? node : null;
}

export function verifyInclusion(
  leafHash: Uint8Array,
  leafIndex: number,
  treeSize: number,
  path: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(leafHash, leafIndex, treeSize, path);
  return computed !== null && computed.equals(root);
}
