/**
 * Spans of virtual time as the lab's flags take them and its outputs show them.
 */
import { formatSpan, parseSpan } from '../../lab/span';

describe('parseSpan', () => {
  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['1.5h', 5_400_000],
    ['0.0004s', 0],
    ['0', 0],
  ])('reads %j as %d ms', (text, ms) => {
    // Act
    const parsed = parseSpan(text);

    // Assess
    expect(parsed).toBe(ms);
  });

  it.each(['90', '1.5', 'h', '1,5h', ' 1h', '1H', '-1s', '1d'])('reads %j as no span', (text) => {
    // Act
    const parsed = parseSpan(text);

    // Assess
    expect(parsed).toBeNaN();
  });

  it('takes only the units it is given', () => {
    // Act
    const parsed = [parseSpan('500ms', ['s', 'm', 'h']), parseSpan('5s', ['s', 'm', 'h'])];

    // Assess
    expect(parsed).toEqual([NaN, 5000]);
  });
});

describe('formatSpan', () => {
  it.each([
    [5_400_000, '1.5h'],
    [1_800_000, '30m'],
    [90_000, '1.5m'],
    [1_000, '1s'],
    [1_234, '1.234s'],
    [250, '250ms'],
    [0, '0ms'],
    [3_600_001, '3600.001s'],
  ])('shows %d ms as %j', (ms, text) => {
    // Act
    const shown = formatSpan(ms);

    // Assess
    expect(shown).toBe(text);
  });

  it('is read back to the same ms', () => {
    // Prepare
    const spans = [1, 999, 1_001, 59_999, 61_500, 3_599_999, 7_777_777, 86_400_000];

    // Act
    const readBack = spans.map((ms) => parseSpan(formatSpan(ms)));

    // Assess
    expect(readBack).toEqual(spans);
  });
});
