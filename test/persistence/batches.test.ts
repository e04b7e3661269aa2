// A list of ids longer than one statement can carry is read in batches, every id once, in order.
import { describe, expect, it } from 'vitest';
import { IN_LIST_BATCH, inBatches } from '../../src/persistence/batches.ts';

describe('reading by a long list of ids', () => {
  it('asks in batches no larger than one statement takes, and keeps every answer in order', async () => {
    const ids = Array.from({ length: 2 * IN_LIST_BATCH + 5 }, (_, i) => `id-${i}`);
    const asked: number[] = [];
    const rows = await inBatches(ids, async (batch) => {
      asked.push(batch.length);
      return batch.map((id) => ({ id }));
    });
    expect(asked).toEqual([IN_LIST_BATCH, IN_LIST_BATCH, 5]);
    expect(rows.map((r) => r.id)).toEqual(ids);
    expect(IN_LIST_BATCH).toBeLessThan(65_535);
  });

  it('asks nothing for no ids', async () => {
    let asked = 0;
    expect(await inBatches([], async () => [asked++])).toEqual([]);
    expect(asked).toBe(0);
  });
});
