import { setTimeout as sleep } from 'node:timers/promises';
import { mapConcurrently } from './concurrency';

describe('mapConcurrently', () => {
  it('never runs more than the limit at once', async () => {
    // Prepare
    let running = 0;
    let peak = 0;

    // Act
    await mapConcurrently(Array.from({ length: 20 }, (_, i) => i), 4, async () => {
      running += 1;
      peak = Math.max(peak, running);
      await sleep(1);
      running -= 1;
    });

    // Assess
    expect(peak).toBe(4);
  });

  it('returns results in input order whatever order the work finishes in', async () => {
    // Act
    const results = await mapConcurrently([30, 10, 20], 3, async (ms) => {
      await sleep(ms);
      return ms;
    });

    // Assess
    expect(results).toEqual([30, 10, 20]);
  });

  it('starts the items in input order', async () => {
    // Prepare
    const started: number[] = [];

    // Act
    await mapConcurrently([0, 1, 2, 3, 4], 2, async (item) => {
      started.push(item);
      await sleep(1);
    });

    // Assess
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('handles an empty list', async () => {
    // Act
    const results = await mapConcurrently([], 16, async () => 1);

    // Assess
    expect(results).toEqual([]);
  });
});
