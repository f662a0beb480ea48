import { describeProgress, progressBar } from './progress';

describe('describeProgress', () => {
  it('draws a bar, the share, the count, the rate and the time left when the total is known', () => {
    // Act
    const line = describeProgress('adopting', 450, 1000, 3_000, 'items');

    // Assess
    expect(line).toBe('adopting [###########.............]  45% 450/1000 items · 150/s · 4s left');
  });

  it('counts and gives the rate when the total is not known', () => {
    // Act
    const line = describeProgress('scanning', 12, undefined, 4_000, 'items');

    // Assess
    expect(line).toBe('scanning 12 items · 3.0/s');
  });
});

describe('progressBar', () => {
  it('draws nothing when disabled (not a terminal, or --json)', () => {
    // Prepare
    const written: string[] = [];
    const progress = progressBar({ write: (text: string) => written.push(text) }, 'adopting', { enabled: false });

    // Act
    progress.advance(5);
    progress.done();

    // Assess
    expect(written).toEqual([]);
  });

  it('redraws one line at most ten times a second and clears it when done', () => {
    // Prepare
    const written: string[] = [];
    let now = 0;
    const progress = progressBar({ write: (text: string) => written.push(text) }, 'scanning', { enabled: true, unit: 'items', now: () => now });

    // Act
    for (now = 100; now < 400; now += 25) progress.advance();
    progress.done();

    // Assess
    expect(written.length).toBe(4);
    expect(written.every((text) => text.startsWith('\r\x1b[2K'))).toBe(true);
    expect(written.at(-1)).toBe('\r\x1b[2K');
  });
});
