/**
 * Regression, found by the lab: Global Tables can overwrite a region's own write *in
 * that region*. US writes w1, a concurrent AP write wins last-writer-wins and replaces
 * w1 in US; a US client then writes again on AP's version before the resolver has
 * merged w1 back. With version vectors alone, that write's `vv[us-east-1]` claimed w1
 * without holding it, every merge then took w1 as overwritten, and w1 was lost in every
 * region; a counter lost the same way (US's slot restarted from AP's copy).
 *
 * Now a write made on a version that is not its region's latest (`_cc.tip`) records the
 * range it cannot vouch for as a gap in its causal context, and its counter increments
 * go to a branch slot until the gap closes.
 */
import exampleRules from '../../rules/example';
import { expectedItem } from '../../lab/oracle';
import { covers } from '../../shared/clock/context';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { contextOf, decodeItem } from '../../shared/item/state';
import type { WriteEvent } from '../../shared/laws/histories';
import { merge, visibleOf } from '../../shared/merge/merge';
import type { Change } from '../../shared/write/change';
import { AP, av, keyOf, US, Writers } from '../helpers/items';

/** Writes through the core and keeps each write's event for the oracle. */
class History {
  readonly events: WriteEvent[] = [];
  private readonly writers = new Writers(exampleRules);

  constructor(readonly key: AttributeMap) {}

  write(region: string, on: AttributeMap | undefined, change: Change): AttributeMap {
    const image = this.writers.write(region, on, this.key, change);
    this.events.push({ dot: decodeItem(image, exampleRules.table).wid, region, seen: on === undefined ? { vv: {}, gaps: {} } : contextOf(decodeItem(on, exampleRules.table)), change });
    return image;
  }
}

const contextOfImage = (image: AttributeMap) => contextOf(decodeItem(image, exampleRules.table));

describe('a region\'s write that Global Tables overwrote in that region, then a write there on the overwriting version', () => {
  // US and AP start from v0; US adds kiwi (vUs) while AP sets a coupon (vAp); AP's version
  // wins LWW in US; a US client then writes on AP's version (vLater) before any resolver ran.
  const cart = new History(keyOf('CART#1', 'CART'));
  const v0 = cart.write(US, undefined, { type: 'put', item: { items: { SS: ['apple'] } } });
  const vUs = cart.write(US, v0, { type: 'update', addToSet: { items: ['kiwi'] } });
  const vAp = cart.write(AP, v0, { type: 'update', set: av({ coupon: 'SAVE10' }) });
  const vLater = cart.write(US, vAp, { type: 'update', set: av({ coupon: 'VIP20' }) });

  it('the later version does not dominate the overwritten one (it never held kiwi)', () => {
    // Act
    const claims = covers(contextOfImage(vLater), contextOfImage(vUs));

    // Assess
    expect(claims).toBe(false);
  });

  it('merging the overwritten version back keeps kiwi, as the oracle of every write says', () => {
    // Act
    const merged = merge(vUs, vLater, exampleRules, { table: 'concord-bug' }).item;

    // Assess
    expect(visibleOf(merged, exampleRules).items).toEqual(expectedItem(exampleRules, cart.key, cart.events).attributes.items);
  });

  it('a counter keeps both of its region\'s increments', () => {
    // Prepare: the same story with increments of a stock counter
    const stock = new History(keyOf('STOCK#1', 'STOCK'));
    const s0 = stock.write(US, undefined, { type: 'update', increment: { onHand: 1 } });
    const sUs = stock.write(US, s0, { type: 'update', increment: { onHand: 5 } });
    const sAp = stock.write(AP, s0, { type: 'update', increment: { onHand: 2 } });
    const sLater = stock.write(US, sAp, { type: 'update', increment: { onHand: 3 } });

    // Act
    const merged = merge(sUs, sLater, exampleRules, { table: 'concord-bug' }).item;

    // Assess: 1 + 5 + 2 + 3
    expect(visibleOf(merged, exampleRules).onHand).toEqual(expectedItem(exampleRules, stock.key, stock.events).attributes.onHand);
  });
});
