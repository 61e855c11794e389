import { generateKeyPairSync } from 'node:crypto';
import {
  canonicalBatchHead,
  canonicalEntry,
  type BatchHead,
  type JournalEntryContent,
} from '@minqing/contract';
import * as browser from '@minqing/contract/journal-verify';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex, signText, type SigningKey } from '../../crypto/index.ts';
import {
  entryLeafHash,
  entryMerkleRootHex,
  inclusionProof,
  merkleLeafHash,
  merkleRoot,
  verifyInclusion,
} from './merkle.ts';
import vectors from './merkle-vectors.json' with { type: 'json' };

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => Buffer.from(text, 'hex');

// The roots Certificate Transparency publishes for its eight reference leaves (sizes 0..8): an
// anchor outside this repository, so the vectors file cannot drift with the code.
const PUBLISHED_CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 6962 Merkle trees, server (node:crypto) and browser (Web Crypto)', () => {
  const ct = vectors.certificateTransparency;
  const ctLeaves = ct.leaves.map((data) => merkleLeafHash(unhex(data)));

  it('reproduces the published Certificate Transparency roots for sizes 0 to 8', async () => {
    expect(ct.roots).toEqual(PUBLISHED_CT_ROOTS);
    for (let size = 0; size <= 8; size++) {
      const leaves = ctLeaves.slice(0, size);
      expect(hex(merkleRoot(leaves)), `server, size ${size}`).toBe(PUBLISHED_CT_ROOTS[size]);
      expect(hex(await browser.merkleRoot(leaves)), `browser, size ${size}`).toBe(PUBLISHED_CT_ROOTS[size]);
    }
  });

  it('reproduces the published inclusion proofs, and both sides accept them', async () => {
    for (const { leafIndex, treeSize, path } of ct.inclusion) {
      const leaves = ctLeaves.slice(0, treeSize);
      const root = merkleRoot(leaves);
      expect(inclusionProof(leaves, leafIndex).map(hex)).toEqual(path);
      expect(verifyInclusion(leaves[leafIndex]!, leafIndex, treeSize, path.map(unhex), root)).toBe(true);
      const browserRoot = await browser.rootFromInclusionProof(
        leaves[leafIndex]!,
        leafIndex,
        treeSize,
        path.map(unhex),
      );
      expect(browserRoot && hex(browserRoot)).toBe(hex(root));
    }
  });

  it('gives the independent vectors’ root and every leaf’s proof for trees of 1 to 17 entries', async () => {
    const { entryHashes, trees } = vectors.journal;
    expect(trees.map((tree) => tree.size)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    for (const tree of trees) {
      const members = entryHashes.slice(0, tree.size);
      const leaves = members.map(entryLeafHash);
      expect(entryMerkleRootHex(members), `server root, size ${tree.size}`).toBe(tree.root);
      expect(await browser.entryMerkleRoot(members), `browser root, size ${tree.size}`).toBe(tree.root);
      for (let index = 0; index < tree.size; index++) {
        const expected = tree.proofs[index]!;
        const where = `leaf ${index} of ${tree.size}`;
        expect(inclusionProof(leaves, index).map(hex), where).toEqual(expected);
        expect(verifyInclusion(leaves[index]!, index, tree.size, expected.map(unhex), unhex(tree.root))).toBe(
          true,
        );
        const proof = { leafIndex: index, treeSize: tree.size, path: expected };
        expect(await browser.verifyInclusionProof(members[index]!, proof, tree.root), where).toBe(true);
      }
    }
  });

  it('rejects every kind of wrong proof on both sides', async () => {
    const { entryHashes, trees } = vectors.journal;
    for (const tree of trees.filter((t) => t.size > 1)) {
      const members = entryHashes.slice(0, tree.size);
      for (let index = 0; index < tree.size; index++) {
        const path = tree.proofs[index]!;
        const flipped = path.map((node, i) =>
          i === 0 ? `${node[0] === '0' ? '1' : '0'}${node.slice(1)}` : node,
        );
        const wrong = [
          { label: 'altered sibling', leafIndex: index, treeSize: tree.size, path: flipped },
          { label: 'other position', leafIndex: (index + 1) % tree.size, treeSize: tree.size, path },
          { label: 'shortened path', leafIndex: index, treeSize: tree.size, path: path.slice(0, -1) },
          { label: 'lengthened path', leafIndex: index, treeSize: tree.size, path: [...path, path[0]!] },
          { label: 'index past the end', leafIndex: tree.size, treeSize: tree.size, path },
          { label: 'other entry', leafIndex: index, treeSize: tree.size, path, entry: entryHashes[16]! },
        ];
        for (const attempt of wrong) {
          const entry = attempt.entry ?? members[index]!;
          if (attempt.entry !== undefined && tree.size === 17 && index === 16) continue;
          const where = `${attempt.label}, leaf ${index} of ${tree.size}`;
          expect(
            verifyInclusion(
              entryLeafHash(entry),
              attempt.leafIndex,
              attempt.treeSize,
              attempt.path.map(unhex),
              unhex(tree.root),
            ),
            `server: ${where}`,
          ).toBe(false);
          expect(await browser.verifyInclusionProof(entry, attempt, tree.root), `browser: ${where}`).toBe(
            false,
          );
        }
      }
    }
  });

  it('computes the same entry hash as the server for any entry content', async () => {
    const json = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          streetId: fc.uuid(),
          recordType: fc.constantFrom('case', 'voucher', 'vote'),
          recordId: fc.uuid(),
          seq: fc.integer({ min: 1, max: 10_000 }),
          action: fc.string({ minLength: 1, maxLength: 20 }),
          actorId: fc.option(fc.uuid(), { nil: null }),
          actorRole: fc.option(fc.constantFrom('grid_worker', 'handler', '社区管理员'), { nil: null }),
          at: fc
            .date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true })
            .map((d) => d.toISOString()),
          payload: fc.record({ set: fc.dictionary(fc.string(), json), note: fc.string() }),
          prevHash: fc.option(
            fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => hex(bytes)),
            { nil: null },
          ),
        }),
        async (content: JournalEntryContent) => {
          expect(await browser.computeEntryHash(content)).toBe(sha256Hex(canonicalEntry(content)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('verifies in the browser a batch head the server signed, and nothing altered', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const spki = publicKey.export({ type: 'spki', format: 'der' });
    const publicKeyRaw = spki.subarray(spki.length - 32).toString('base64');
    const key = {
      keyId: 'ed25519:test',
      algorithm: 'ed25519',
      privateKey,
      publicKey,
    } as unknown as SigningKey;
    const content = {
      streetId: crypto.randomUUID(),
      seq: 3,
      size: 17,
      merkleRoot: vectors.journal.trees[16]!.root,
      prevHeadHash: sha256Hex('previous head'),
      firstEntryId: 101,
      lastEntryId: 140,
      sealedAt: new Date().toISOString(),
      keyId: key.keyId,
    };
    const head: BatchHead = {
      ...content,
      id: 9,
      headHash: sha256Hex(canonicalBatchHead(content)),
      signature: signText(key, canonicalBatchHead(content)),
    };
    expect(await browser.computeBatchHeadHash(content)).toBe(head.headHash);
    expect(await browser.verifyBatchSignature(head, publicKeyRaw)).toBe(true);
    expect(await browser.verifyBatchSignature({ ...head, size: 18 }, publicKeyRaw)).toBe(false);
    expect(await browser.verifyBatchSignature({ ...head, merkleRoot: sha256Hex('x') }, publicKeyRaw)).toBe(
      false,
    );
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    expect(
      await browser.verifyBatchSignature(head, other.subarray(other.length - 32).toString('base64')),
    ).toBe(false);
  });
});
