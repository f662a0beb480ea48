import { CapacityLimiter } from './capacity-limiter';

/** A clock that advances only when the limiter sleeps. */
function virtualTime(): { now: () => number; sleep: (ms: number) => Promise<void>; slept: number[] } {
  let at = 0;
  const slept: number[] = [];
  return {
    now: () => at,
    sleep: async (ms) => {
      slept.push(ms);
      at += ms;
    },
    slept,
  };
}

describe('CapacityLimiter', () => {
  it('lets one second of units through at once, then holds the rate', async () => {
    // Prepare
    const time = virtualTime();
    const limiter = new CapacityLimiter({ unitsPerSecond: 10, now: time.now, sleep: time.sleep });

    // Act
    for (let call = 0; call < 30; call += 1) await limiter.spend(1);

    // Assess: 10 from the bucket, then 20 more at 10 a second.
    expect({ elapsedMs: time.now(), spent: limiter.spent }).toEqual({ elapsedMs: 2_000, spent: 30 });
  });

  it('waits off a large call in one sleep', async () => {
    // Prepare
    const time = virtualTime();
    const limiter = new CapacityLimiter({ unitsPerSecond: 4, now: time.now, sleep: time.sleep });

    // Act
    await limiter.spend(12);

    // Assess: 4 in the bucket, 8 of debt at 4 a second.
    expect(time.slept).toEqual([2_000]);
  });
});
