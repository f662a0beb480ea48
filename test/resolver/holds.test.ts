/**
 * Holds (docs/design.md §5.4) through the real resolver: a quarantined conflict leaves a
 * hold on the current item for the writes it lacks, a compaction meanwhile keeps its floor
 * below them, and the record's replay merges them back and releases the hold.
 */
import exampleRules from '../../rules/example';
import { DynamoFault } from '../../local';
import { decodeItem, type ItemState } from '../../shared/item/state';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';
import { harnessPerTest } from '../helpers/resolver-harness';
import { conflictRecord, LOCAL_REGION, stockConflict, streamEvent, Writers, type ConcurrentVersions } from '../helpers/resolver-records';

const start = harnessPerTest();

const decode = (image: AttributeMap | undefined): ItemState => decodeItem(image ?? {}, exampleRules.table);

/** The epochs of the local region's version that the remote one has not seen. */
function unseenEpochs(versions: ConcurrentVersions): [string, string][] {
  const [local, remote] = [decode(versions.local), decode(versions.remote)];
  return [...local.context.vv].filter(([actor, clock]) => (remote.context.vv.get(actor) ?? '') < clock);
}

/** A harness where the write-back of the first conflict is refused as invalid: the record is quarantined. */
async function quarantinedConflict() {
  const harness = await start();
  const versions = stockConflict(new Writers());
  await harness.seed(versions.remote);
  harness.stack.dynamo.faults.failNext({ count: 1, only: ['PutItem'], error: DynamoFault.Validation });
  const record = conflictRecord(versions, 1);
  await harness.invoke(streamEvent(record));
  return { harness, versions, record };
}

describe('a quarantined conflict', () => {
  it('leaves a hold on the current item for every epoch of the old image it has not seen', async () => {
    // Prepare
    const { harness, versions } = await quarantinedConflict();

    // Act
    const held = decode(await harness.item(versions.key));

    // Assess
    expect([...held.holds].map(([actor, [, last]]) => [actor, last])).toEqual(unseenEpochs(versions));
  });

  it('keeps the values Global Tables left: the hold changes no attribute', async () => {
    // Prepare
    const { harness, versions } = await quarantinedConflict();

    // Act
    const item = await harness.item(versions.key);

    // Assess
    expect(item?.onHand).toEqual(versions.remote.onHand);
  });

  it('is merged back by its replay, which releases the hold', async () => {
    // Prepare
    const { harness, versions, record } = await quarantinedConflict();

    // Act
    await harness.invoke(streamEvent(record));

    // Assess: 10 + 2 − 3
    const item = await harness.item(versions.key);
    expect({ onHand: item?.onHand, holds: decode(item).holds.size }).toEqual({ onHand: { N: '9' }, holds: 0 });
  });

  it('writes its hold once when quarantined again', async () => {
    // Prepare
    const { harness, versions, record } = await quarantinedConflict();
    const first = await harness.item(versions.key);
    harness.stack.dynamo.faults.failNext({ count: 1, only: ['PutItem'], error: DynamoFault.Validation });

    // Act
    await harness.invoke(streamEvent(record));

    // Assess
    expect(await harness.item(versions.key)).toEqual(first);
  });

  it('is written in the resolver\'s region, off any other region\'s line', async () => {
    // Prepare
    const { harness, versions } = await quarantinedConflict();

    // Act
    const held = decode(await harness.item(versions.key));

    // Assess
    expect({ by: held.by, tip: held.tip }).toEqual({ by: LOCAL_REGION, tip: undefined });
  });
});
