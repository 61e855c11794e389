import { describe, expect, it } from 'vitest';
import { GroupCommitter, type Outcome } from './group-commit.ts';

/** A writer that records the batches it was given and answers each item by doubling it. */
function recordingWriter(failWhen: (items: number[]) => boolean = () => false) {
  const batches: number[][] = [];
  const write = async (items: number[]): Promise<Outcome<number>[]> => {
    batches.push([...items]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (failWhen(items)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((item) =>
      item < 0 ? { ok: false, error: new Error(`bad ${item}`) } : { ok: true, value: item * 2 },
    );
  };
  return { batches, write };
}

describe('group commit', () => {
  it('writes requests that arrive together in one batch, and later ones in the next', async () => {
    const { batches, write } = recordingWriter();
    const committer = new GroupCommitter(write, { maxBatch: 10, maxInFlight: 1 });
    const first = await Promise.all([1, 2, 3].map((n) => committer.submit(n)));
    expect(first).toEqual([2, 4, 6]);
    const second = await Promise.all([4, 5].map((n) => committer.submit(n)));
    expect(second).toEqual([8, 10]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('queues what arrives while a batch is in flight and respects the batch size', async () => {
    const { batches, write } = recordingWriter();
    const committer = new GroupCommitter(write, { maxBatch: 3, maxInFlight: 1 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => committer.submit(i + 1)));
    expect(results).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(batches.every((batch) => batch.length <= 3)).toBe(true);
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('answers each item with its own outcome, errors included', async () => {
    const { write } = recordingWriter();
    const committer = new GroupCommitter(write, { maxBatch: 10, maxInFlight: 1 });
    const settled = await Promise.allSettled([1, -1, 3].map((n) => committer.submit(n)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('retries the items of a failed batch one by one, so one bad item fails alone', async () => {
    const { batches, write } = recordingWriter((items) => items.includes(13));
    const committer = new GroupCommitter(write, { maxBatch: 10, maxInFlight: 1 });
    const settled = await Promise.allSettled([11, 12, 13, 14].map((n) => committer.submit(n)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : 'failed'))).toEqual([
      22,
      24,
      'failed',
      28,
    ]);
    expect(batches).toEqual([[11, 12, 13, 14], [11], [12], [13], [14]]);
  });

  it('never puts two items with the same key in one batch', async () => {
    const { batches, write } = recordingWriter();
    const committer = new GroupCommitter(write, {
      maxBatch: 10,
      maxInFlight: 1,
      keyOf: (n) => String(n % 2),
    });
    await Promise.all([1, 2, 3, 4].map((n) => committer.submit(n)));
    for (const batch of batches) expect(new Set(batch.map((n) => n % 2)).size).toBe(batch.length);
    expect(batches.flat().sort()).toEqual([1, 2, 3, 4]);
  });

  it('runs up to maxInFlight batches at once', async () => {
    let inFlight = 0;
    let most = 0;
    const committer = new GroupCommitter(
      async (items: number[]): Promise<Outcome<number>[]> => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
        return items.map((value) => ({ ok: true, value }));
      },
      { maxBatch: 1, maxInFlight: 3 },
    );
    await Promise.all(Array.from({ length: 9 }, (_, i) => committer.submit(i)));
    expect(most).toBe(3);
  });
});
