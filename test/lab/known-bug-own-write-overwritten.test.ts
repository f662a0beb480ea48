/**
 * KNOWN BUG (core and writer; found by the lab, reported to the lead, not fixed here).
 *
 * Global Tables can overwrite a region's own write *in that region*: US writes w1, a
 * concurrent AP write wins last-writer-wins and replaces w1 in US (US's stream shows
 * MODIFY old=w1 new=AP's). If a US client writes again before the resolver has merged
 * w1 back, that write takes a larger US clock, and `applyWrite` sets `vv[us-east-1]` to
 * it: the new version claims w1 (`vv[R] >= dot`) without holding it. From then on every
 * merge takes w1 as seen and overwritten, the resolver finds the record `superseded`
 * (`C.vv >= O.vv`), and w1 is lost in every region. A counter loses the same way: US's
 * slot in the later version restarts from AP's copy, and slot-wise max keeps only one.
 *
 * These tests state what must hold; they fail today, so they are marked `it.failing`
 * (green while the bug exists, red once it is fixed: then turn them into plain `it`).
 * The lab shows the bug at scale: `npm start` reports Concord's lost updates, all on
 * items where the checker finds such a false claim (`lostOnFalseClaims`).
 */
import exampleRules from '../../rules/example';
import { expectedItem } from '../../lab/oracle';
import { dominates } from '../../shared/clock/version-vector';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { decodeItem } from '../../shared/item/state';
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
    this.events.push({ dot: decodeItem(image, exampleRules.table).wid, region, seen: on === undefined ? {} : decodeItem(on, exampleRules.table).vv, change });
    return image;
  }
}

const vvOf = (image: AttributeMap) => decodeItem(image, exampleRules.table).vv;

describe('KNOWN BUG: a write claims its region\'s earlier write that Global Tables overwrote there', () => {
  // US and AP start from v0; US adds kiwi (vUs) while AP sets a coupon (vAp); AP's version
  // wins LWW in US; a US client then writes on AP's version (vLater) before any resolver ran.
  const cart = new History(keyOf('CART#1', 'CART'));
  const v0 = cart.write(US, undefined, { type: 'put', item: { items: { SS: ['apple'] } } });
  const vUs = cart.write(US, v0, { type: 'update', addToSet: { items: ['kiwi'] } });
  const vAp = cart.write(AP, v0, { type: 'update', set: av({ coupon: 'SAVE10' }) });
  const vLater = cart.write(US, vAp, { type: 'update', set: av({ coupon: 'VIP20' }) });

  it.failing('the later version does not dominate the overwritten one (it never held kiwi)', () => {
    // Act
    const claims = dominates(vvOf(vLater), vvOf(vUs));

    // Assess
    expect(claims).toBe(false);
  });

  it.failing('merging the overwritten version back keeps kiwi, as the oracle of every write says', () => {
    // Act
    const merged = merge(vUs, vLater, exampleRules, { table: 'concord-bug' }).item;

    // Assess
    expect(visibleOf(merged, exampleRules).items).toEqual(expectedItem(exampleRules, cart.key, cart.events).attributes.items);
  });

  it.failing('a counter keeps both of its region\'s increments', () => {
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
