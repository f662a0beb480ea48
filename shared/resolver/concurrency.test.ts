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

  it('starts one worker per turn of the event loop when staggered, each after the previous one sent its first call', async () => {
    // Prepare
    const events: string[] = [];

    // Act
    await mapConcurrently(
      [0, 1, 2],
      3,
      async (item) => {
        events.push(`start ${item}`);
        await Promise.resolve();
        events.push(`send ${item}`);
        await sleep(1);
      },
      { staggered: true },
    );

    // Assess
    expect(events).toEqual(['start 0', 'send 0', 'start 1', 'send 1', 'start 2', 'send 2']);
  });

  it('rejects with the first failure of a worker that failed while others were still to start, and starts no more', async () => {
    // Prepare
    const started: number[] = [];

    // Act
    const mapped = mapConcurrently(
      [0, 1, 2, 3],
      4,
      async (item) => {
        started.push(item);
        if (item === 0) throw new Error('first');
        await sleep(1);
      },
      { staggered: true },
    );

    // Assess
    await expect(mapped).rejects.toThrow('first');
    expect(started).toEqual([0]);
  });
});
