/**
 * When a write reads first (./item-hints.ts): never for an item the writer knows nothing
 * of or wrote a moment ago; after a long pause; while its writes keep meeting contention.
 */
import { ItemHints } from './item-hints';

/** Hints on a clock the test moves. */
function hintsAt(start = 0): { hints: ItemHints; advance: (ms: number) => void } {
  let now = start;
  return { hints: new ItemHints({ now: () => now, freshMs: 1_000, contentionMs: 30_000 }), advance: (ms) => (now += ms) };
}

describe('ItemHints', () => {
  it('bets on the one-call update for an item it knows nothing of', () => {
    // Prepare
    const { hints } = hintsAt();

    // Act
    const readFirst = hints.readFirst('a');

    // Assess
    expect(readFirst).toBe(false);
  });

  it('bets on it for an item it wrote a moment ago', () => {
    // Prepare
    const { hints, advance } = hintsAt();
    hints.wrote('a', false);
    advance(500);

    // Act
    const readFirst = hints.readFirst('a');

    // Assess
    expect(readFirst).toBe(false);
  });

  it('reads first an item it wrote long ago', () => {
    // Prepare
    const { hints, advance } = hintsAt();
    hints.wrote('a', false);
    advance(1_001);

    // Act
    const readFirst = hints.readFirst('a');

    // Assess
    expect(readFirst).toBe(true);
  });

  it('still bets after one contended write (what follows any resolved overwrite)', () => {
    // Prepare
    const { hints, advance } = hintsAt();
    hints.wrote('a', true);
    advance(100);

    // Act
    const readFirst = hints.readFirst('a');

    // Assess
    expect(readFirst).toBe(false);
  });

  it('reads first while its writes met contention twice lately', () => {
    // Prepare
    const { hints, advance } = hintsAt();
    hints.wrote('a', true);
    advance(5_000);
    hints.wrote('a', true);
    advance(100);

    // Act
    const readFirst = hints.readFirst('a');

    // Assess
    expect(readFirst).toBe(true);
  });

  it('bets again once that contention is older than its memory', () => {
    // Prepare
    const { hints, advance } = hintsAt();
    hints.wrote('a', true);
    hints.wrote('a', true);
    advance(29_900);
    hints.wrote('a', false);
    advance(200);

    // Act
    const readFirst = hints.readFirst('a');

    // Assess
    expect(readFirst).toBe(false);
  });

  it('forgets the least recently written item past its capacity', () => {
    // Prepare
    let now = 0;
    const hints = new ItemHints({ now: () => now, capacity: 2 });
    hints.wrote('a', false);
    hints.wrote('b', false);
    hints.wrote('c', false);
    now = 5_000;

    // Act
    const known = ['a', 'b', 'c'].map((key) => hints.readFirst(key));

    // Assess: a long pause reads first, unless the item is forgotten
    expect(known).toEqual([false, true, true]);
  });
});
