/**
 * The committed sample events of events/, for tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import type { AttributeMap } from '../../shared/dynamodb/attribute-value';

/** The folder of the sample events. */
export const EVENTS_DIRECTORY = join(__dirname, '..', '..', 'events');

/**
 * Reads events/<name>.json.
 *
 * @example
 * const event = sampleEvent('conflict-stock-counter');
 */
export function sampleEvent(name: string): DynamoDBStreamEvent {
  return JSON.parse(readFileSync(join(EVENTS_DIRECTORY, `${name}.json`), 'utf8')) as DynamoDBStreamEvent;
}

/** The single record's key and images, typed in wire form. */
export function sampleImages(event: DynamoDBStreamEvent): { key: AttributeMap; oldImage?: AttributeMap; newImage?: AttributeMap } {
  const stream = event.Records[0]?.dynamodb;
  return { key: stream?.Keys as AttributeMap, oldImage: stream?.OldImage as AttributeMap | undefined, newImage: stream?.NewImage as AttributeMap | undefined };
}
