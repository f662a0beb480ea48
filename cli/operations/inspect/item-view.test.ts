import exampleRules from '../../../rules/example';
import type { AttributeMap } from '../../../shared/dynamodb/attribute-value';
import { decodeItem } from '../../../shared/item/state';
import { escalatedOrder, legacyItem, mergedStock } from '../../../test/helpers/cli-items';
import { itemKey, T0 } from '../../../test/helpers/resolver-records';
import { viewItem } from './item-view';

const NOW = T0 + 60_000;

/** `image` with a hold on its first epoch, from its latest dot to its latest dot. */
function withHold(image: AttributeMap): AttributeMap {
  const state = decodeItem(image, exampleRules.table);
  const [actor, clock] = [...state.context.vv][0] as [string, string];
  const envelope = image._cc as { M: AttributeMap };
  return { ...image, _cc: { M: { ...envelope.M, hold: { M: { [actor]: { L: [{ S: clock }, { S: clock }] } } } } } };
}

describe('viewItem', () => {
  it('shows each write of an attribute with its region, epoch, clock and age', () => {
    // Act
    const view = viewItem(escalatedOrder('ORDER#1'), exampleRules, { key: itemKey('ORDER#1', 'ORDER'), now: NOW });

    // Assess
    const [first, second] = view.attributes.notes?.writes ?? [];
    expect({ concurrent: view.attributes.notes?.concurrent, first: [first?.region, first?.value, first?.clock?.ageMs], second: [second?.region, second?.value] }).toEqual({
      concurrent: true,
      first: ['us-east-1', 'Leave at the door', NOW - (T0 + 2_000)],
      second: ['eu-west-1', 'Call on arrival'],
    });
    expect(first?.epoch).toMatch(/^us-east-1~[0-9A-Za-z]{8}$/);
  });

  it('shows every counter slot, and the net per region', () => {
    // Act
    const view = viewItem(mergedStock('STOCK#1'), exampleRules, { key: itemKey('STOCK#1', 'STOCK'), now: NOW });

    // Assess
    expect(view.attributes.onHand?.counter?.slots.map(({ kind, region, p, n }) => ({ kind, region, p, n }))).toEqual([
      { kind: 'epoch', region: 'eu-west-1', p: '0', n: '3' },
      { kind: 'epoch', region: 'us-east-1', p: '12', n: '0' },
    ]);
    expect(view.attributes.onHand?.writes.map((write) => [write.region, write.value, write.removed])).toEqual([
      ['us-east-1', undefined, undefined],
      ['eu-west-1', undefined, undefined],
    ]);
  });

  it('shows a hold as pending: quarantined writes awaiting their replay', () => {
    // Act
    const view = viewItem(withHold(mergedStock('STOCK#1')), exampleRules, { key: itemKey('STOCK#1', 'STOCK'), now: NOW });

    // Assess
    expect(view.pending?.holds.map((hold) => [hold.region, hold.first.clock === hold.last.clock])).toEqual([['eu-west-1', true]]);
  });

  it('shows an item written without Concord: not versioned, every value from before Concord', () => {
    // Act
    const view = viewItem(legacyItem('STOCK#9', 'STOCK', { onHand: { N: '4' } }), exampleRules, { key: itemKey('STOCK#9', 'STOCK'), now: NOW });

    // Assess
    expect({ versioned: view.versioned, writes: view.attributes.onHand?.writes, slots: view.attributes.onHand?.counter?.slots }).toEqual({
      versioned: false,
      writes: [{ dot: '', legacy: true, region: null, epoch: null, clock: null, value: 4 }],
      slots: [{ slot: 'legacy', kind: 'legacy', region: null, p: '4', n: '0' }],
    });
  });

  it('shows what it can of an item whose envelope is malformed, and why', () => {
    // Prepare
    const broken = { ...legacyItem('STOCK#8', 'STOCK', { onHand: { N: '1' } }), _cc: { M: { vv: { S: 'not a map' } } } };

    // Act
    const view = viewItem(broken, exampleRules, { key: itemKey('STOCK#8', 'STOCK'), now: NOW });

    // Assess
    expect({ problem: view.problem, values: Object.keys(view.values), size: view.size === null }).toEqual({ problem: 'EnvelopeError: malformed envelope on item pk=STOCK#8 sk=STOCK at _cc.vv: must be a map (M)', values: ['_cc', 'onHand'], size: false });
  });
});
