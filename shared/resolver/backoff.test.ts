import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles the ceiling with each retry', () => {
    // Prepare
    const atTheTop = { baseMs: 10, maxMs: 1_000, random: () => 0.999_999 };

    // Act
    const delays = [1, 2, 3, 4].map((retry) => backoffDelay(atTheTop, retry));

    // Assess
    expect(delays).toEqual([10, 20, 40, 80]);
  });

  it('caps the ceiling', () => {
    // Act
    const delay = backoffDelay({ baseMs: 10, maxMs: 50, random: () => 0.999_999 }, 10);

    // Assess
    expect(delay).toBe(50);
  });

  it('draws the delay uniformly below the ceiling (full jitter)', () => {
    // Act
    const delays = [0, 0.25].map((draw) => backoffDelay({ baseMs: 100, maxMs: 1_000, random: () => draw }, 2));

    // Assess
    expect(delays).toEqual([0, 50]);
  });
});
