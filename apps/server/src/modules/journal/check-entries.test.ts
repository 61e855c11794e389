import { canonicalBatchHead, canonicalEntry } from '@minqing/contract';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalEntryText, canonicalHeadText, canonicalJson, parseHeadLine } from './check-entries.ts';

// What jsonb gives back: JSON values without undefined, NaN or lone surrogates.
const json = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.parse(JSON.stringify(value)) as unknown);
const hex64 = fc
  .uint8Array({ minLength: 32, maxLength: 32 })
  .map((bytes) => Buffer.from(bytes).toString('hex'));
const instantMs = fc.integer({ min: Date.parse('2020-01-01'), max: Date.parse('2040-01-01') });

describe('the verifier’s fast canonical forms', () => {
  it('serialise any JSON value exactly as the canonicalize package (RFC 8785) does', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 500 },
    );
    expect(canonicalJson({ b: [1e21, -0, 0.1], a: { é: '\u2028', A: null } })).toBe(
      canonicalize({ b: [1e21, -0, 0.1], a: { é: '\u2028', A: null } }),
    );
  });

  it('give the same entry text as canonicalEntry in the contract', () => {
    fc.assert(
      fc.property(
        fc.record({
          streetId: fc.uuid(),
          recordType: fc.string({ minLength: 1, maxLength: 12 }),
          recordId: fc.uuid(),
          seq: fc.integer({ min: 1, max: 1_000_000 }),
          action: fc.string({ maxLength: 12 }),
          actorId: fc.option(fc.uuid(), { nil: null }),
          actorRole: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
          atMs: instantMs,
          payload: json,
          prevHash: fc.option(hex64, { nil: null }),
        }),
        (entry) => {
          const at = new Date(entry.atMs).toISOString();
          expect(canonicalEntryText(entry)).toBe(canonicalEntry({ ...entry, at }));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('give the same batch head text as canonicalBatchHead in the contract', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.integer({ min: 1 }),
          streetId: fc.uuid(),
          seq: fc.integer({ min: 1, max: 10_000_000 }),
          size: fc.integer({ min: 1, max: 5000 }),
          merkleRoot: hex64,
          prevHeadHash: fc.option(hex64, { nil: null }),
          headHash: hex64,
          firstEntryId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          lastEntryId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          sealedAt: instantMs.map((ms) => new Date(ms).toISOString()),
          keyId: fc.string({ maxLength: 30 }),
          signature: fc.base64String(),
        }),
        (head) => {
          expect(canonicalHeadText(head)).toBe(canonicalBatchHead(head));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps a sub-millisecond sealing time visible, so that the head no longer hashes', () => {
    const line = (ms: string) =>
      [
        '7',
        crypto.randomUUID(),
        '1',
        '1',
        'a'.repeat(64),
        '',
        'b'.repeat(64),
        '3',
        '3',
        ms,
        '["ed25519:k","c2ln"]',
      ].join('\t');
    expect(parseHeadLine(line('1764403200123.000000')).sealedAt).toBe('2025-11-29T08:00:00.123Z');
    expect(parseHeadLine(line('1764403200123.400000')).sealedAt).toBe('1764403200123.400000 ms');
    expect(() => parseHeadLine('7\tonly two')).toThrow(/2 fields/);
  });
});
