/**
 * The lab's flags for writers, clocks, a lagging resolver, the time a run spans and the
 * links it cuts: each read into the scenario, each refused with the flag named when wrong.
 */
import { UsageError } from '../../local/local-command';
import { parseLabArgs, USAGE } from '../../lab/args';
import { DEFAULT_SCENARIO } from '../../lab/scenario';
import exampleRules from '../../rules/example';

describe('parseLabArgs, the defaults of the new flags', () => {
  it('gives two writers per region, the documented clock bound, no lag, 10 ms per operation and no partition', () => {
    // Act
    const { scenario } = parseLabArgs([]);

    // Assess
    expect({ writers: scenario.writersPerRegion, skew: scenario.skewMs, lag: scenario.resolverLagMs, gap: scenario.meanGapMs, partitions: scenario.partitions }).toEqual({
      writers: 2,
      skew: exampleRules.table.maxClockOffsetMs,
      lag: [0, 0],
      gap: DEFAULT_SCENARIO.meanGapMs,
      partitions: [],
    });
  });
});

describe('parseLabArgs --writers', () => {
  it('reads the writer instances per region', () => {
    // Act
    const { scenario } = parseLabArgs(['--writers', '5']);

    // Assess
    expect(scenario.writersPerRegion).toBe(5);
  });

  it.each(['0', '65', '2.5', 'two'])('refuses %j', (value) => {
    // Act
    const parse = (): unknown => parseLabArgs(['--writers', value]);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ name: UsageError.name, flag: '--writers', message: `--writers: must be a whole number from 1 to 64, got "${value}"` }));
  });
});

describe('parseLabArgs --skew', () => {
  it('reads the largest clock error in ms, 0 included', () => {
    // Act
    const skews = [parseLabArgs(['--skew', '0']), parseLabArgs(['--skew=3600000'])].map(({ scenario }) => scenario.skewMs);

    // Assess
    expect(skews).toEqual([0, 3_600_000]);
  });

  it.each(['3600001', '-1', '1.5', '500ms'])('refuses %j', (value) => {
    // Act
    const parse = (): unknown => parseLabArgs(['--skew', value]);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ flag: '--skew', message: `--skew: must be a whole number from 0 to 3600000, got "${value}"` }));
  });
});

describe('parseLabArgs --resolver-lag', () => {
  it('reads one value as a fixed lag', () => {
    // Act
    const { scenario } = parseLabArgs(['--resolver-lag', '1500']);

    // Assess
    expect(scenario.resolverLagMs).toEqual([1500, 1500]);
  });

  it('reads min-max as a range', () => {
    // Act
    const { scenario } = parseLabArgs(['--resolver-lag', '0-15000']);

    // Assess
    expect(scenario.resolverLagMs).toEqual([0, 15000]);
  });

  it.each([
    ['9-3', '--resolver-lag: min 9 is above max 3'],
    ['-5', '--resolver-lag: must be <ms> or <min>-<max> in whole ms, got "-5"'],
    ['1-2-3', '--resolver-lag: must be <ms> or <min>-<max> in whole ms, got "1-2-3"'],
    ['2s', '--resolver-lag: must be <ms> or <min>-<max> in whole ms, got "2s"'],
    ['0-60001', '--resolver-lag: must be a whole number from 0 to 60000, got "60001"'],
  ])('refuses %j: %s', (value, message) => {
    // Act
    const parse = (): unknown => parseLabArgs(['--resolver-lag', value]);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ flag: '--resolver-lag', message }));
  });
});

describe('parseLabArgs --duration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['1.5h', 5_400_000],
  ])('spreads the operations over %s: mean gap = duration / operations', (value, durationMs) => {
    // Act
    const { scenario } = parseLabArgs(['--ops', '150', '--duration', value]);

    // Assess
    expect(scenario.meanGapMs).toBe(durationMs / 150);
  });

  it('divides by the --ops given after it as well', () => {
    // Act
    const { scenario } = parseLabArgs(['--duration', '1m', '--ops', '600']);

    // Assess
    expect(scenario.meanGapMs).toBe(100);
  });

  it.each([
    ['90', '--duration: must be a time such as 5s, 5m, 5h, got "90"'],
    ['500ms', '--duration: must be a time such as 5s, 5m, 5h, got "500ms"'],
    ['1d', '--duration: must be a time such as 5s, 5m, 5h, got "1d"'],
    ['0.5s', '--duration: must be from 1s to 24h, got "0.5s"'],
    ['25h', '--duration: must be from 1s to 24h, got "25h"'],
  ])('refuses %j: %s', (value, message) => {
    // Act
    const parse = (): unknown => parseLabArgs(['--duration', value]);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ flag: '--duration', message }));
  });

  it('refuses a duration that puts operations less than 1 ms apart', () => {
    // Act
    const parse = (): unknown => parseLabArgs(['--ops', '5000', '--duration', '1s']);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ flag: '--duration', message: '--duration: 1s puts 5000 operations less than 1 ms apart; give at least 5s or fewer --ops' }));
  });
});

describe('parseLabArgs --partition', () => {
  it('reads the two regions, the start and the length', () => {
    // Act
    const { scenario } = parseLabArgs(['--partition', 'us-east-1/eu-west-1@30m+3h']);

    // Assess
    expect(scenario.partitions).toEqual([{ a: 'us-east-1', b: 'eu-west-1', startMs: 1_800_000, lengthMs: 10_800_000 }]);
  });

  it('may be given several times, in both forms, and takes 0 and every unit', () => {
    // Act
    const { scenario } = parseLabArgs(['--regions', '4', '--partition', 'us-east-1/us-west-2@0+500ms', '--partition=eu-west-1/ap-southeast-2@90s+1.5h']);

    // Assess
    expect(scenario.partitions).toEqual([
      { a: 'us-east-1', b: 'us-west-2', startMs: 0, lengthMs: 500 },
      { a: 'eu-west-1', b: 'ap-southeast-2', startMs: 90_000, lengthMs: 5_400_000 },
    ]);
  });

  it('checks the regions against the --regions given after it', () => {
    // Act
    const { scenario } = parseLabArgs(['--partition', 'eu-west-1/sa-east-1@1m+1m', '--regions', 'eu-west-1,sa-east-1']);

    // Assess
    expect(scenario.partitions).toEqual([{ a: 'eu-west-1', b: 'sa-east-1', startMs: 60_000, lengthMs: 60_000 }]);
  });

  it.each([
    ['us-east-1/eu-central-1@1m+1h', '--partition: "eu-central-1" is not one of the run\'s regions (us-east-1, eu-west-1, ap-southeast-2)'],
    ['mars/eu-west-1@1m+1h', '--partition: "mars" is not one of the run\'s regions (us-east-1, eu-west-1, ap-southeast-2)'],
    ['eu-west-1/eu-west-1@1m+1h', '--partition: cuts eu-west-1 off from itself: name two different regions'],
    ['us-east-1/eu-west-1@1m+0', '--partition: the length must be from 1ms to 24h, got "0"'],
    ['us-east-1/eu-west-1@1m+0s', '--partition: the length must be from 1ms to 24h, got "0s"'],
    ['us-east-1/eu-west-1@1m+25h', '--partition: the length must be from 1ms to 24h, got "25h"'],
    ['us-east-1/eu-west-1@10+1h', '--partition: the start must be a time such as 5h, 5m, 5s, 5ms, got "10"'],
    ['us-east-1/eu-west-1@-1m+1h', '--partition: the start must be a time such as 5h, 5m, 5s, 5ms, got "-1m"'],
    ['us-east-1/eu-west-1+1h', '--partition: must be <regionA>/<regionB>@<start>+<length> (e.g. us-east-1/eu-west-1@30m+3h), got "us-east-1/eu-west-1+1h"'],
    ['us-east-1@1m+1h', '--partition: must be <regionA>/<regionB>@<start>+<length> (e.g. us-east-1/eu-west-1@30m+3h), got "us-east-1@1m+1h"'],
  ])('refuses %j: %s', (value, message) => {
    // Act
    const parse = (): unknown => parseLabArgs(['--partition', value]);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ name: UsageError.name, flag: '--partition', message }));
  });
});

describe('parseLabArgs, flags given twice', () => {
  it.each(['--writers', '--skew', '--resolver-lag', '--duration'])('refuses %s twice: only --partition repeats', (flag) => {
    // Act
    const parse = (): unknown => parseLabArgs([flag, '1s', flag, '1s']);

    // Assess
    expect(parse).toThrow(expect.objectContaining({ flag, message: `${flag}: is given twice` }));
  });
});

describe('USAGE', () => {
  it('lists every new flag', () => {
    // Act
    const listed = ['--writers <n>', '--skew <ms>', '--resolver-lag <ms|min-max>', '--duration <n>s|m|h', '--partition <a>/<b>@<start>+<length>'].filter((flag) => USAGE.includes(`  ${flag}`));

    // Assess
    expect(listed).toHaveLength(5);
  });
});
