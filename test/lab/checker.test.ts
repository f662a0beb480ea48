/**
 * The checker on hand-made histories with a known outcome: it finds the update that
 * Global Tables drop, tells which rule it fell under, and sees divergence, missing audit
 * events, resolution writes, loops and false claims.
 */
import { check } from '../../lab/checker';
import { EXISTENCE, LossReason } from '../../lab/losses';
import { joinContexts } from '../../shared/clock/context';
import { encodeItem } from '../../shared/item/encode';
import { decodeItem } from '../../shared/item/state';
import { conflictId } from '../../shared/merge/conflict-id';
import exampleRules from '../../rules/example';
import { HISTORY_TABLE, LabHistory } from '../helpers/lab-history';
import { av, EU, keyOf, US } from '../helpers/items';

const increment = (delta: number) => ({ type: 'update', increment: { onHand: delta } }) as const;

/** US and EU increment a counter concurrently; Global Tables keep EU's version everywhere. */
function lostIncrement(): LabHistory {
  const history = new LabHistory([US, EU]);
  history.write(US, 'STOCK#1', increment(1));
  history.write(EU, 'STOCK#1', increment(2));
  history.replicate(EU, US, 'STOCK#1');
  return history;
}

describe('check', () => {
  it('finds nothing lost when every write saw the one before', () => {
    // Prepare
    const history = new LabHistory([US, EU]);
    history.write(US, 'STOCK#1', increment(1));
    history.replicate(US, EU, 'STOCK#1');
    history.write(EU, 'STOCK#1', increment(2));
    history.replicate(EU, US, 'STOCK#1');

    // Act
    const result = check(history.input());

    // Assess
    expect({ lost: result.lostUpdates, converged: result.converged, conflicts: result.conflicts, writes: result.writes }).toEqual({ lost: 0, converged: true, conflicts: 0, writes: 2 });
  });

  it('finds the increment Global Tables dropped, under the counter rule', () => {
    // Prepare
    const history = lostIncrement();

    // Act
    const result = check(history.input());

    // Assess
    expect({ lost: result.lostUpdates, byKind: result.lostByKind, lostWrites: [...new Set(result.losses.flatMap((loss) => loss.lost))], converged: result.converged }).toEqual({ lost: 1, byKind: { counter: 1 }, lostWrites: [history.operationIds()[0]], converged: true });
  });

  it('counts the overwrite as a conflict, unaudited without a resolver', () => {
    // Prepare
    const history = lostIncrement();

    // Act
    const result = check(history.input());

    // Assess
    expect({ conflicts: result.conflicts, coverage: result.auditCoverage }).toEqual({ conflicts: 1, coverage: 0 });
  });

  it('counts a conflict as audited when the central bus has its conflict id', () => {
    // Prepare
    const history = lostIncrement();
    const [usWrite, , overwrite] = history.records;
    const id = conflictId(HISTORY_TABLE, keyOf('STOCK#1'), decodeItem(usWrite?.newImage ?? {}, exampleRules.table).context, decodeItem(overwrite?.newImage ?? {}, exampleRules.table).context);

    // Act
    const result = check(history.input({ auditedConflictIds: new Set([id]), resolveIn: 'any' }));

    // Assess
    expect(result.auditCoverage).toBe(1);
  });

  it('finds nothing lost once a resolver merged the overwritten version back, and counts its write', () => {
    // Prepare
    const history = lostIncrement();
    const overwritten = history.records[0]?.newImage ?? {};
    history.resolve(US, 'STOCK#1', overwritten);
    history.replicate(US, EU, 'STOCK#1');

    // Act
    const result = check(history.input({ resolveIn: 'any' }));

    // Assess
    expect({ lost: result.lostUpdates, resolutionWrites: result.resolutionWrites, perConflict: result.resolutionWritesPerConflict }).toEqual({ lost: 0, resolutionWrites: 1, perConflict: 1 });
  });

  it('sees regions that hold different items', () => {
    // Prepare
    const history = new LabHistory([US, EU]);
    history.write(US, 'CART#1', { type: 'update', addToSet: { items: ['fig'] } });

    // Act
    const result = check(history.input());

    // Assess
    expect({ converged: result.converged, divergent: result.divergentKeys, convergenceMs: result.convergenceMs }).toEqual({ converged: false, divergent: ['pk=CART#1 sk=A'], convergenceMs: null });
  });

  it('finds a manual attribute that dropped a concurrent value it had to keep', () => {
    // Prepare: two concurrent notes; Global Tables keep one
    const history = new LabHistory([US, EU]);
    history.write(US, 'ORDER#1', { type: 'update', set: av({ notes: 'from us' }) });
    history.write(EU, 'ORDER#1', { type: 'update', set: av({ notes: 'from eu' }) });
    history.replicate(EU, US, 'ORDER#1');

    // Act
    const result = check(history.input());

    // Assess
    expect(result.losses.filter((loss) => loss.reason !== LossReason.Missing).map((loss) => [loss.attribute, loss.kind, loss.reason])).toEqual([['notes', 'manual', LossReason.Sibling]]);
  });

  it('finds a delete that Global Tables undid', () => {
    // Prepare: US deletes the order after seeing it; EU's concurrent update wins LWW everywhere
    const history = new LabHistory([US, EU]);
    history.write(US, 'ORDER#1', { type: 'put', item: av({ status: 'PENDING' }) });
    history.replicate(US, EU, 'ORDER#1');
    history.write(US, 'ORDER#1', { type: 'delete' });
    history.write(EU, 'ORDER#1', { type: 'update', set: av({ status: 'PAID' }) });
    history.replicate(EU, US, 'ORDER#1');

    // Act
    const result = check(history.input());

    // Assess
    expect(result.losses.filter((loss) => loss.reason === LossReason.Existence).map((loss) => [loss.kind, loss.expected, loss.actual])).toEqual([[EXISTENCE, 'deleted', 'present']]);
  });

  it('regression: counts nothing lost where plain Global Tables delete an item after seeing every write, then re-create it', () => {
    // Prepare: without Concord, EU deletes the stock it saw; US re-creates it later
    const history = new LabHistory([US, EU]);
    history.writePlain(US, 'STOCK#1', { type: 'update', increment: { onHand: 5 } }, { ...keyOf('STOCK#1'), onHand: { N: '5' } });
    history.replicate(US, EU, 'STOCK#1');
    history.writePlain(EU, 'STOCK#1', { type: 'delete' }, undefined);
    history.replicate(EU, US, 'STOCK#1');
    history.writePlain(US, 'STOCK#1', { type: 'update', increment: { onHand: 2 } }, { ...keyOf('STOCK#1'), onHand: { N: '2' } });
    history.replicate(US, EU, 'STOCK#1');

    // Act
    const result = check(history.input());

    // Assess
    expect({ writes: result.writes, lost: result.lostUpdates }).toEqual({ writes: 3, lost: 0 });
  });

  it('reports a loop when the run did not quiesce', () => {
    // Prepare
    const history = lostIncrement();

    // Act
    const result = check(history.input({ quiesced: false }));

    // Assess
    expect({ loop: result.loop, keys: result.loopingKeys }).toEqual({ loop: true, keys: ['pk=STOCK#1 sk=A'] });
  });

  it('finds a version that claims a write it does not hold', () => {
    // Prepare: EU's version, forged to claim US's concurrent kiwi, replaces it in US
    const history = new LabHistory([US, EU]);
    const kiwi = decodeItem(history.write(US, 'CART#1', { type: 'update', addToSet: { items: ['kiwi'] } }), exampleRules.table);
    const coupon = decodeItem(history.write(EU, 'CART#1', { type: 'update', set: av({ coupon: 'SAVE10' }) }), exampleRules.table);
    const forged = encodeItem({ ...coupon, context: joinContexts(coupon.context, kiwi.context) }, exampleRules).image;
    history.overwrite(EU, 'CART#1', forged);
    history.replicate(EU, US, 'CART#1');

    // Act
    const result = check(history.input());

    // Assess: the forged version claims kiwi in EU and, replicated, in US
    expect({ falseClaims: result.falseClaims, lost: new Set(result.losses.flatMap((loss) => loss.lost)).size }).toEqual({ falseClaims: 2, lost: 1 });
  });

  it('finds no false claim where the same history is written honestly', () => {
    // Prepare
    const history = new LabHistory([US, EU]);
    history.write(US, 'CART#1', { type: 'update', addToSet: { items: ['kiwi'] } });
    history.write(EU, 'CART#1', { type: 'update', set: av({ coupon: 'SAVE10' }) });
    history.replicate(EU, US, 'CART#1');

    // Act
    const result = check(history.input());

    // Assess
    expect(result.falseClaims).toBe(0);
  });
});
