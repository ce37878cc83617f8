import { mapWithConcurrency } from '../../src/concurrency';

describe('mapWithConcurrency', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithConcurrency(
      Array.from({ length: 40 }, (_, i) => i),
      4,
      async (n) => {
        running++;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
        running--;
        return n * 2;
      },
    );
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i * 2));
    expect(most).toBe(4);
  });

  it('rejects with the first failure, and maps nothing for no items', async () => {
    await expect(
      mapWithConcurrency([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('two');
        return n;
      }),
    ).rejects.toThrow('two');
    expect(await mapWithConcurrency([], 3, async () => 1)).toEqual([]);
  });
});
