import { CommandLineError } from '../shared/errors';
import { pointInTime } from './duration';

const NOW = Date.UTC(2026, 0, 2);

describe('pointInTime', () => {
  it.each([
    ['90s', NOW - 90_000],
    ['30m', NOW - 1_800_000],
    ['24h', NOW - 86_400_000],
    ['7d', NOW - 604_800_000],
    ['2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1)],
  ])('reads %s', (value, expected) => {
    // Act
    const at = pointInTime('--since', value, NOW);

    // Assess
    expect(at).toBe(expected);
  });

  it.each(['yesterday', '3 days', '12', '2026-13-45'])('refuses %j, naming the flag', (value) => {
    // Act
    const read = () => pointInTime('--until', value, NOW);

    // Assess
    expect(read).toThrow(CommandLineError);
    expect(read).toThrow(/^--until: expected a duration back from now/);
  });
});
