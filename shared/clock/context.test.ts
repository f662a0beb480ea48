import { covers, joinContexts, raiseFloor, sees, type CausalContext } from './context';
import { dotOf } from './dot';

const US = 'us-east-1';
const EU = 'eu-west-1';
const E1 = `${US}~aaaaaaaa`;
const E2 = `${US}~bbbbbbbb`;
const F1 = `${EU}~cccccccc`;
const c = (ms: number): string => `17328500${String(ms).padStart(5, '0')}.00000`;
const context = (floors: [string, string][], vv: [string, string][]): CausalContext => ({ floors: new Map(floors), vv: new Map(vv) });

describe('sees', () => {
  it('sees an epoch\'s dots up to its entry, and no other epoch\'s of the region', () => {
    // Prepare
    const seen = context([], [[E1, c(50)]]);

    // Assess
    expect(sees(seen, dotOf(c(40), E1))).toBe(true);
    expect(sees(seen, dotOf(c(60), E1))).toBe(false);
    expect(sees(seen, dotOf(c(40), E2))).toBe(false);
  });

  it('sees every dot of a region at or below its floor, whatever the epoch', () => {
    // Prepare
    const seen = context([[US, c(50)]], []);

    // Assess
    expect(sees(seen, dotOf(c(50), E2))).toBe(true);
    expect(sees(seen, dotOf(c(51), E2))).toBe(false);
    expect(sees(seen, dotOf(c(10), F1))).toBe(false);
  });

  it('sees the legacy dot always', () => {
    expect(sees(context([], []), '')).toBe(true);
  });
});

describe('joinContexts', () => {
  it('takes floors and entries by max and drops the entries a floor covers', () => {
    // Prepare
    const a = context([[US, c(50)]], [[F1, c(10)]]);
    const b = context([], [[E1, c(40)], [E2, c(70)], [F1, c(20)]]);

    // Act
    const joined = joinContexts(a, b);

    // Assess
    expect(joined).toEqual(context([[US, c(50)]], [[F1, c(20)], [E2, c(70)]]));
  });
});

describe('covers', () => {
  it('covers a context with lower entries', () => {
    expect(covers(context([], [[E1, c(50)]]), context([], [[E1, c(40)]]))).toBe(true);
  });

  it('does not cover an epoch it has not seen as far', () => {
    expect(covers(context([], [[E1, c(40)]]), context([], [[E1, c(50)]]))).toBe(false);
  });

  it('covers an epoch through its floor', () => {
    expect(covers(context([[US, c(60)]], []), context([], [[E1, c(50)]]))).toBe(true);
  });

  it('takes a lower floor as not covered: which dots lie between the floors is not known', () => {
    expect(covers(context([[US, c(40)]], [[E1, c(90)]]), context([[US, c(50)]], []))).toBe(false);
  });
});

describe('raiseFloor', () => {
  it('folds the region\'s epochs at or below the floor, and keeps the others', () => {
    // Prepare
    const before = context([], [[E1, c(40)], [E2, c(70)], [F1, c(10)]]);

    // Act
    const { context: after, folded } = raiseFloor(before, US, c(50));

    // Assess
    expect(folded).toEqual([E1]);
    expect(after).toEqual(context([[US, c(50)]], [[E2, c(70)], [F1, c(10)]]));
  });

  it('never lowers a floor', () => {
    // Prepare
    const before = context([[US, c(50)]], []);

    // Act
    const { context: after } = raiseFloor(before, US, c(40));

    // Assess
    expect(after).toBe(before);
  });
});
