import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import exampleRules from '../../rules/example';
import type { AttributeMap } from '../dynamodb/attribute-value';
import { HARNESS_NOW } from '../../test/helpers/resolver-harness';
import { incrementStock, itemKey, LOCAL_REGION, REMOTE_REGION, streamEvent, streamRecord, T0, Writers } from '../../test/helpers/resolver-records';
import { loadConfig } from './config';
import { withDefaults } from './dependencies';
import type { ItemStore } from './item-store';
import { processRecordNow } from './process-record';
import { readBatch } from './stream-record';

const KEY = itemKey('STOCK#1', 'STOCK');

function context() {
  const config = loadConfig({ CONCORD_TABLE: 'concord-test', AWS_REGION: LOCAL_REGION, CONCORD_AUDIT_BUS: 'concord-audit', CONCORD_QUARANTINE_QUEUE_URL: 'http://127.0.0.1:9/000000000000/unused' });
  const client = { region: LOCAL_REGION };
  return withDefaults({
    config,
    rules: exampleRules,
    dynamodb: new DynamoDBClient(client),
    eventBridge: new EventBridgeClient(client),
    sqs: new SQSClient(client),
    logger: new Logger({ logLevel: 'SILENT' }),
    metrics: new Metrics({ namespace: 'ConcordTest' }),
    now: () => HARNESS_NOW,
  });
}

/** A store that answers every put with `written` and records it. */
function store(written = true) {
  const put = jest.fn(async (_item: AttributeMap, _key: AttributeMap, _condition: unknown) => written);
  return { put, store: { put } as unknown as ItemStore };
}

function successor(oldImage: AttributeMap, newImage: AttributeMap) {
  const [record] = readBatch(streamEvent(streamRecord({ eventName: 'MODIFY', key: KEY, oldImage, newImage, sequence: 1, createdAtMs: T0 })), exampleRules.table);
  return record as NonNullable<typeof record>;
}

function widOf(image: AttributeMap): string {
  return (image._cc as { M: { wid: { S: string } } }).M.wid.S;
}

describe('processRecordNow', () => {
  it('settles a successor with nothing to compact at once, without a call', () => {
    // Prepare
    const writers = new Writers();
    const base = writers.write(LOCAL_REGION, undefined, KEY, incrementStock(10));
    const next = writers.write(LOCAL_REGION, base, KEY, incrementStock(-1));
    const { put, store: items } = store();

    // Act
    const outcome = processRecordNow(successor(base, next), context(), items);

    // Assess
    expect(outcome).toEqual({ kind: 'skipped', reason: 'successor', events: [], compacted: false });
    expect(put).not.toHaveBeenCalled();
  });

  it('decides on the contexts alone: a successor is not held by an attribute its skip never reads', () => {
    // Prepare
    const writers = new Writers();
    const base = writers.write(LOCAL_REGION, undefined, KEY, incrementStock(10));
    const next = { ...writers.write(LOCAL_REGION, base, KEY, incrementStock(-1)), broken: { N: 'many' } } as AttributeMap;
    const { store: items } = store();

    // Act
    const outcome = processRecordNow(successor(base, next), context(), items);

    // Assess
    expect(outcome).toEqual({ kind: 'skipped', reason: 'successor', events: [], compacted: false });
  });

  /** A successor whose new image holds enough epochs of this region to compact: every write of it after one of the other starts one. */
  function worthCompacting() {
    const writers = new Writers();
    let image = writers.write(LOCAL_REGION, undefined, KEY, incrementStock(10));
    let previous = image;
    for (let i = 0; i < 5; i += 1) {
      image = writers.write(REMOTE_REGION, image, KEY, incrementStock(1));
      previous = image;
      image = writers.write(LOCAL_REGION, image, KEY, incrementStock(-1));
    }
    return { previous, image };
  }

  it('compacts a successor whose new image holds enough epochs of this region, on the condition that it is still the item', async () => {
    // Prepare
    const { previous, image } = worthCompacting();
    const { put, store: items } = store();

    // Act
    const started = processRecordNow(successor(previous, image), context(), items);
    const outcome = await started;

    // Assess
    expect(started).toBeInstanceOf(Promise);
    expect(outcome).toEqual({ kind: 'skipped', reason: 'successor', events: [], compacted: true });
    expect(put).toHaveBeenCalledTimes(1);
    expect(put.mock.calls[0]?.[2]).toEqual({ expression: '#cc.#wid = :wid', names: { '#cc': '_cc', '#wid': 'wid' }, values: { ':wid': { S: widOf(image) } } });
    expect(put.mock.calls[0]?.[0].onHand).toEqual(image.onHand);
  });

  it('leaves the compaction to a later record of the key in the batch (this one would be refused)', () => {
    // Prepare
    const { previous, image } = worthCompacting();
    const { put, store: items } = store();

    // Act
    const outcome = processRecordNow(successor(previous, image), context(), items, { followed: true });

    // Assess
    expect(outcome).toEqual({ kind: 'skipped', reason: 'successor', events: [], compacted: false });
    expect(put).not.toHaveBeenCalled();
  });
});
