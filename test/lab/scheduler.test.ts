/**
 * The virtual clock: events in time order (ties first-in first-out), tasks that
 * interleave only where they sleep, a deadline, and the misuses it refuses.
 */
import { setImmediate as tick } from 'node:timers/promises';
import { ConcurrentTaskError, LabError } from '../../lab/errors';
import { RunStop, VirtualScheduler } from '../../lab/scheduler';

const START = 1_000;

describe('VirtualScheduler', () => {
  it('runs events in virtual time order, ties in scheduling order', async () => {
    // Prepare
    const scheduler = new VirtualScheduler(START);
    const seen: string[] = [];
    scheduler.at(START + 20, () => void seen.push('b@20'));
    scheduler.at(START + 10, () => void seen.push('a@10'));
    scheduler.at(START + 20, () => void seen.push('c@20'));

    // Act
    const stop = await scheduler.run();

    // Assess
    expect({ seen, stop, now: scheduler.now }).toEqual({ seen: ['a@10', 'b@20', 'c@20'], stop: RunStop.Idle, now: START + 20 });
  });

  it('lets tasks interleave at their virtual sleeps only, whatever real I/O takes', async () => {
    // Prepare: task "slow" does slow real I/O before sleeping; "fast" is scheduled at the same time
    const scheduler = new VirtualScheduler(START);
    const seen: string[] = [];
    scheduler.spawn(START, 'slow', async () => {
      for (let i = 0; i < 20; i += 1) await tick();
      seen.push(`slow ${scheduler.now - START}`);
      await scheduler.sleep(5);
      seen.push(`slow ${scheduler.now - START}`);
    });
    scheduler.spawn(START, 'fast', async () => {
      seen.push(`fast ${scheduler.now - START}`);
      await scheduler.sleep(1);
      seen.push(`fast ${scheduler.now - START}`);
    });

    // Act
    await scheduler.run();

    // Assess
    expect(seen).toEqual(['slow 0', 'fast 0', 'fast 1', 'slow 5']);
  });

  it('stops before the first event past the deadline', async () => {
    // Prepare
    const scheduler = new VirtualScheduler(START);
    const seen: number[] = [];
    for (const at of [10, 20, 30]) scheduler.at(START + at, () => void seen.push(at));

    // Act
    const stop = await scheduler.run({ deadline: START + 25 });

    // Assess
    expect({ seen, stop, pending: scheduler.pending }).toEqual({ seen: [10, 20], stop: RunStop.Deadline, pending: 1 });
  });

  it('rethrows what a task threw', async () => {
    // Prepare
    const scheduler = new VirtualScheduler(START);
    scheduler.spawn(START, 'failing', async () => {
      await scheduler.sleep(1);
      throw new Error('boom');
    });

    // Act
    const run = scheduler.run();

    // Assess
    await expect(run).rejects.toThrow('boom');
  });

  it('refuses a sleep outside any task', () => {
    // Prepare
    const scheduler = new VirtualScheduler(START);

    // Act
    const sleep = (): Promise<void> => scheduler.sleep(1);

    // Assess
    expect(sleep).toThrow(LabError);
  });

  it('refuses a task that sleeps on two branches at once', async () => {
    // Prepare
    const scheduler = new VirtualScheduler(START);
    let failure: unknown;
    scheduler.spawn(START, 'forked', async () => {
      const results = await Promise.allSettled([scheduler.sleep(1), scheduler.sleep(2)]);
      failure = results.find((result) => result.status === 'rejected')?.reason;
    });

    // Act
    await scheduler.run();

    // Assess
    expect(failure).toBeInstanceOf(ConcurrentTaskError);
  });
});
