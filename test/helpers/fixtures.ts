/** The real AWS sample events in ../shared/fixtures/, each as a list of stream events. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';

export const FIXTURES_DIR = join(__dirname, '..', '..', '..', 'shared', 'fixtures');

/** Every fixture file holding stream events (the on-failure destination message is not one). */
export function streamEventFixtures(): [file: string, events: DynamoDBStreamEvent[]][] {
  return readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .flatMap((file): [string, DynamoDBStreamEvent[]][] => {
      const parsed = JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as unknown;
      const events = (Array.isArray(parsed) ? parsed : [parsed]) as DynamoDBStreamEvent[];
      return events.every((event) => Array.isArray(event.Records)) ? [[file, events]] : [];
    });
}
