/**
 * Core engine speed, as ratios to the cheapest thing a resolver could do with a stream
 * record: unmarshall both its images with @aws-sdk/util-dynamodb.
 * - skipRatio: classify a non-conflicting MODIFY of a 4 KB item (goal ≤ 0.2).
 * - mergeRatio: classify, validate and merge a conflicting MODIFY of an item with 20
 *   attributes, a counter and an add-wins set among them (goal ≤ 3).
 * Each ratio is measured side by side (interleaved samples, medians) in each of RUNS
 * runs; the figures are the medians over the runs, `…Min`/`…Max` their spread.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { classify } from '../shared/detect/classify';
import { merge } from '../shared/merge/merge';
import type { RawImage } from '../shared/item/state';
import { defineRules } from '../shared/rules/define-rules';
import { Writers, av, keyOf, US, EU } from '../test/helpers/items';
import { medianOfRuns, ratioSync } from './harness';
import type { AttributeMap } from '../shared/dynamodb/attribute-value';

const rules = defineRules({
  entities: { product: { match: { prefix: 'PRODUCT#' }, attributes: { views: 'counter', tags: 'addWinsSet', price: 'max' } } },
});

const key = keyOf('PRODUCT#1');
const plainAttributes = Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`field${String(i).padStart(2, '0')}`, `value ${i} `.repeat(8)]));

function modify(oldImage: AttributeMap, newImage: AttributeMap): DynamoDBRecord {
  return { eventID: '1', eventName: 'MODIFY', dynamodb: { Keys: key as never, OldImage: oldImage as never, NewImage: newImage as never, SequenceNumber: '1' } };
}

function scenario(): { successor: DynamoDBRecord; conflict: DynamoDBRecord; size: number } {
  const w = new Writers(rules);
  const base = w.write(US, undefined, key, {
    type: 'update',
    set: av({ ...plainAttributes, price: 10 }),
    increment: { views: 3 },
    addToSet: { tags: Array.from({ length: 24 }, (_, i) => `tag-${i}`) },
  });
  const local = w.write(US, base, key, { type: 'update', set: av({ field03: 'edited in us', price: 12 }) });
  const remote = w.write(EU, base, key, { type: 'update', increment: { views: 1 } });
  const more = w.write(EU, remote, key, { type: 'update', addToSet: { tags: ['fresh'] }, set: av({ field09: 'edited in eu' }) });
  return { successor: modify(base, local), conflict: modify(local, more), size: JSON.stringify(local).length };
}

/** Runs of both ratios; each figure is its median over the runs. */
const RUNS = 5;

export default {
  title: 'core engine (classify, merge) vs unmarshall of both images',
  goals: { skipRatio: { atMost: 0.2 }, mergeRatio: { atMost: 3 } },
  async run() {
    const { successor, conflict, size } = scenario();
    const figures = await medianOfRuns(RUNS, () => measure(successor, conflict), ['skipRatio', 'mergeRatio']);
    return { itemBytes: size, ...figures, coreRuns: RUNS };
  },
};

/** One run: both ratios, measured side by side. */
function measure(successor: DynamoDBRecord, conflict: DynamoDBRecord): Record<'unmarshallBothUs' | 'classifySkipUs' | 'skipRatio' | 'classifyAndMergeUs' | 'mergeRatio', number> {
  const unmarshallBoth = (record: DynamoDBRecord) => (): unknown => [unmarshall(record.dynamodb?.OldImage as never), unmarshall(record.dynamodb?.NewImage as never)];
  const skip = ratioSync(() => classify(successor), unmarshallBoth(successor), 2000);
  const resolve = ratioSync(
    () => {
      classify(conflict);
      // merge validates both images as it decodes them: no separate pass.
      const stream = conflict.dynamodb as { OldImage: RawImage; NewImage: RawImage };
      return merge(stream.OldImage, stream.NewImage, rules, { table: 'concord-bench' });
    },
    unmarshallBoth(successor),
    200,
  );
  return {
    unmarshallBothUs: skip.baseline.nsPerOp / 1000,
    classifySkipUs: skip.subject.nsPerOp / 1000,
    skipRatio: skip.ratio,
    classifyAndMergeUs: resolve.subject.nsPerOp / 1000,
    mergeRatio: resolve.ratio,
  };
}
