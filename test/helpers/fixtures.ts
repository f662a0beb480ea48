/** The sample events of test/fixtures/ (see its README): recorded from DynamoDB Local, or written from AWS's documentation. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures');

/** A fixture file: where it comes from, and stream events or another message. */
export interface Fixture {
  /** One line: the recording script, or the AWS page it was written from. */
  readonly source: string;
  readonly events?: DynamoDBStreamEvent[];
  readonly message?: unknown;
}

/** Every fixture, by file name. */
export function fixtures(): [file: string, fixture: Fixture][] {
  return readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => [file, fixture(file)]);
}

/** The fixture in `file`. */
export function fixture(file: string): Fixture {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, file), 'utf8')) as Fixture;
}

/** Every fixture holding stream events (the on-failure destination message is not one). */
export function streamEventFixtures(): [file: string, events: DynamoDBStreamEvent[]][] {
  return fixtures().flatMap(([file, { events }]): [string, DynamoDBStreamEvent[]][] => (events === undefined ? [] : [[file, events]]));
}
