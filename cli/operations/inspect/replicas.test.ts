import exampleRules from '../../../rules/example';
import type { AttributeMap } from '../../../shared/dynamodb/attribute-value';
import { escalatedOrder } from '../../../test/helpers/cli-items';
import { itemKey, T0 } from '../../../test/helpers/resolver-records';
import { viewItem } from './item-view';
import { compareReplicas, type Replica } from './replicas';

const KEY = itemKey('ORDER#1', 'ORDER');

function replica(region: string, image: AttributeMap | undefined): Replica {
  return { region, image, view: viewItem(image, exampleRules, { key: KEY, now: T0, region }) };
}

/** `image` as written by another region: the same state, another `by`. */
function writtenBy(image: AttributeMap, region: string): AttributeMap {
  const envelope = image._cc as { M: AttributeMap };
  return { ...image, _cc: { M: { ...envelope.M, by: { S: region } } } };
}

describe('compareReplicas', () => {
  it('calls replicas with the same bytes identical', () => {
    // Act
    const comparison = compareReplicas([replica('us-east-1', escalatedOrder('ORDER#1')), replica('eu-west-1', escalatedOrder('ORDER#1'))]);

    // Assess
    expect(comparison).toEqual({ regions: ['us-east-1', 'eu-west-1'], identical: true, agree: true, differences: [] });
  });

  it('says replicas agree when only lineage differs, and shows it', () => {
    // Act
    const comparison = compareReplicas([replica('us-east-1', escalatedOrder('ORDER#1')), replica('eu-west-1', writtenBy(escalatedOrder('ORDER#1'), 'eu-west-1'))]);

    // Assess
    expect({ identical: comparison.identical, agree: comparison.agree, fields: comparison.differences.map((d) => d.field) }).toEqual({ identical: false, agree: true, fields: ['lineage'] });
  });

  it('names the fields that differ, per region', () => {
    // Act
    const comparison = compareReplicas([replica('us-east-1', escalatedOrder('ORDER#1')), replica('eu-west-1', undefined)]);

    // Assess
    expect(comparison.differences[0]).toEqual({ field: 'found', values: { 'us-east-1': true, 'eu-west-1': false } });
    expect(comparison.agree).toBe(false);
  });
});
