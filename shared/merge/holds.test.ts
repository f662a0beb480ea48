/**
 * Holds (./holds.ts): which writes a quarantined old image needs held on the current
 * version, when a join releases them, and that no certified floor passes them.
 */
import exampleRules from '../../rules/example';
import { EU, keyOf, US, Writers } from '../../test/helpers/items';
import { decodeItem, type ItemState } from '../item/state';
import type { AttributeMap } from '../dynamodb/attribute-value';
import { certifiableFloor } from './certify';
import { holdsFor } from './holds';
import { joinHolds } from './join';

const decode = (image: AttributeMap): ItemState => decodeItem(image, exampleRules.table);
const increment = { type: 'update', increment: { onHand: 1 } } as const;

/** US writes twice on a base; EU's concurrent write is the version Global Tables kept. */
function overwritten(): { usVersion: ItemState; euVersion: ItemState; usActor: string } {
  const writers = new Writers();
  const key = keyOf('STOCK#1', 'STOCK');
  const base = writers.write(EU, undefined, key, increment);
  const us = writers.write(US, writers.write(US, base, key, increment), key, increment);
  const eu = writers.write(EU, base, key, increment);
  const usVersion = decode(us);
  return { usVersion, euVersion: decode(eu), usActor: usVersion.tip as string };
}

describe('holdsFor', () => {
  it('holds every epoch of the old image the current version has not seen, up to its last dot', () => {
    // Prepare
    const { usVersion, euVersion, usActor } = overwritten();

    // Act
    const holds = holdsFor(usVersion, euVersion);

    // Assess
    expect([...holds].map(([actor, [, last]]) => [actor, last])).toEqual([[usActor, usVersion.context.vv.get(usActor)]]);
  });

  it('holds nothing when the current version has seen the old one', () => {
    // Prepare
    const { usVersion } = overwritten();

    // Act
    const holds = holdsFor(usVersion, usVersion);

    // Assess
    expect(holds.size).toBe(0);
  });

  it('holds a region whose floor the old image has raised above the current version\'s', () => {
    // Prepare
    const { usVersion, euVersion } = overwritten();
    const floor = '1732850000000.99999';
    const certified = { ...usVersion, context: { ...usVersion.context, floors: new Map([[US, floor]]) } };

    // Act
    const holds = holdsFor(certified, euVersion);

    // Assess
    expect(holds.get(US)).toEqual(['0000000000000.00000', floor]);
  });
});

describe('joinHolds', () => {
  it('releases an epoch\'s hold once the joined context has seen its last dot', () => {
    // Prepare
    const { usVersion, euVersion } = overwritten();
    const holds = holdsFor(usVersion, euVersion);

    // Act
    const joined = joinHolds(holds, new Map(), usVersion.context);

    // Assess
    expect(joined.size).toBe(0);
  });

  it('keeps it while the joined context has not', () => {
    // Prepare
    const { usVersion, euVersion } = overwritten();
    const holds = holdsFor(usVersion, euVersion);

    // Act
    const joined = joinHolds(holds, new Map(), euVersion.context);

    // Assess
    expect(joined).toEqual(holds);
  });

  it('releases a region\'s hold once the joined floor reaches its last clock', () => {
    // Prepare
    const floor = '1732850000000.99999';
    const holds = new Map([[US, ['0000000000000.00000', floor] as const]]);

    // Act
    const joined = joinHolds(holds, new Map(), { floors: new Map([[US, floor]]), vv: new Map() });

    // Assess
    expect(joined.size).toBe(0);
  });
});

describe('certifiableFloor', () => {
  it('stays below the first clock a hold of its region protects', () => {
    // Prepare: a hold protecting the US epoch's writes from its latest clock on
    const { usVersion, euVersion, usActor } = overwritten();
    const first = usVersion.context.vv.get(usActor) as string;
    const held = { ...euVersion, holds: new Map([[usActor, [first, first] as const]]) };

    // Act: long after every write, far past the clock bound
    const floor = certifiableFloor(held, US, Date.UTC(2030, 0, 1), 500);

    // Assess
    expect(floor !== undefined && floor < first).toBe(true);
  });

  it('certifies nothing for a region held from its first clock', () => {
    // Prepare: the EU version has seen nothing of the US epoch the hold protects
    const { usVersion, euVersion } = overwritten();
    const held = { ...euVersion, holds: holdsFor(usVersion, euVersion) };

    // Act
    const floor = certifiableFloor(held, US, Date.UTC(2030, 0, 1), 500);

    // Assess
    expect(floor).toBeUndefined();
  });
});
