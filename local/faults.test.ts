import { FaultSchedule } from './faults';

const drawMany = (schedule: FaultSchedule<string>, subject: string, times: number): (string | undefined)[] => Array.from({ length: times }, () => schedule.draw(subject));

describe('FaultSchedule', () => {
  it('fails exactly the next N matching draws', () => {
    // Prepare
    const schedule = new FaultSchedule('Throttle');
    schedule.failNext({ count: 2 });

    // Act
    const drawn = drawMany(schedule, 'PutItem', 3);

    // Assess
    expect(drawn).toEqual(['Throttle', 'Throttle', undefined]);
  });

  it('counts only the subjects it is limited to', () => {
    // Prepare
    const schedule = new FaultSchedule('Throttle');
    schedule.failNext({ count: 1, only: ['PutItem'] });

    // Act
    const drawn = [schedule.draw('GetItem'), schedule.draw('PutItem'), schedule.draw('PutItem')];

    // Assess
    expect(drawn).toEqual([undefined, 'Throttle', undefined]);
  });

  it('fails the same draws for the same seed', () => {
    // Prepare
    const first = new FaultSchedule('Throttle');
    const second = new FaultSchedule('Throttle');
    first.failFraction({ fraction: 0.3, seed: 42 });
    second.failFraction({ fraction: 0.3, seed: 42 });

    // Act
    const drawn = [drawMany(first, 's', 200), drawMany(second, 's', 200)];

    // Assess
    expect(drawn[0]).toEqual(drawn[1]);
  });

  it('fails about the requested fraction of draws', () => {
    // Prepare
    const schedule = new FaultSchedule('Throttle');
    schedule.failFraction({ fraction: 0.25, seed: 7 });

    // Act
    const failed = drawMany(schedule, 's', 4000).filter(Boolean).length;

    // Assess
    expect(failed / 4000).toBeCloseTo(0.25, 1);
  });

  it('uses the error given instead of the default', () => {
    // Prepare
    const schedule = new FaultSchedule<'Throttle' | 'Internal'>('Throttle');
    schedule.failNext({ count: 1, error: 'Internal' });

    // Act
    const drawn = schedule.draw('s');

    // Assess
    expect(drawn).toBe('Internal');
  });

  it('fails nothing once cleared', () => {
    // Prepare
    const schedule = new FaultSchedule('Throttle');
    schedule.failFraction({ fraction: 1, seed: 1 });
    schedule.clear();

    // Act
    const drawn = schedule.draw('s');

    // Assess
    expect(drawn).toBeUndefined();
  });
});
