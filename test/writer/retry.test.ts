import { backoffDelay, retryPolicy } from '../../shared/writer';

describe('retry budget', () => {
  it('the backoff cap doubles each failure up to maxDelayMs, and the draw scales it', () => {
    // Prepare
    const policy = retryPolicy({ baseDelayMs: 10, maxDelayMs: 50, random: () => 0.25 });

    // Act
    const delays = [1, 2, 3, 4, 5].map((failures) => backoffDelay(failures, policy));

    // Assess
    expect(delays).toEqual([2.5, 5, 10, 12.5, 12.5]);
  });

  it.each([
    [{ maxAttempts: 0 }, 'retry.maxAttempts must be a whole number ≥ 1, got 0'],
    [{ baseDelayMs: 100, maxDelayMs: 10 }, 'retry delays must satisfy 0 ≤ baseDelayMs ≤ maxDelayMs, got 100 and 10'],
  ])('%j is refused', (options, message) => {
    // Act
    const create = (): unknown => retryPolicy(options);

    // Assess
    expect(create).toThrow(new RangeError(message));
  });
});
