/**
 * A parallel scan of a table: `segments` workers, each scanning its segment page by
 * page from where it last stopped, spending read capacity through a limiter, and
 * handing each page to the caller before it asks for the next one (so a checkpoint the
 * caller saves after a page is never ahead of the work).
 */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '../../../shared/dynamodb/attribute-value';
import { fromSdkItem, toSdkItem } from '../../../shared/resolver/sdk-item';
import type { CapacityLimiter } from './capacity-limiter';

/** Where a segment stands: the key to go on from, or done. */
export type SegmentPosition = { readonly done: true } | { readonly done: false; readonly next: AttributeMap | undefined };

/** One page of one segment. */
export interface ScanPage {
  readonly segment: number;
  readonly items: readonly AttributeMap[];
  /** Where the segment goes on from after this page. */
  readonly position: SegmentPosition;
}

/** Options of {@link scanTable}. */
export interface TableScanOptions {
  readonly segments: number;
  /** Items per Scan call (DynamoDB also stops a page at 1 MB). */
  readonly pageSize: number;
  /** Read capacity to spend through; none: as fast as DynamoDB answers. */
  readonly reads?: CapacityLimiter;
  /** Where each segment starts (a resumed scan); from the beginning when not given. */
  readonly start?: (segment: number) => SegmentPosition;
  /** Called with each page, one at a time per segment. */
  readonly onPage: (page: ScanPage) => Promise<void>;
}

/**
 * Scans every segment of `table` to its end. When one segment fails, the others stop
 * after the page in hand (so every page handed over is finished), and the first error
 * is thrown.
 *
 * @example
 * await scanTable(client, 'concord-prod', { segments: 4, pageSize: 100, onPage: async ({ items }) => count += items.length });
 */
export async function scanTable(client: DynamoDBClient, table: string, options: TableScanOptions): Promise<void> {
  const stop = { now: false };
  const segments = Array.from({ length: options.segments }, (_, segment) => segment);
  const outcomes = await Promise.allSettled(
    segments.map((segment) =>
      scanSegment(client, table, segment, options, stop).catch((error: unknown) => {
        stop.now = true;
        throw error;
      }),
    ),
  );
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

async function scanSegment(client: DynamoDBClient, table: string, segment: number, options: TableScanOptions, stop: { readonly now: boolean }): Promise<void> {
  let position = options.start?.(segment) ?? { done: false, next: undefined };
  while (!position.done && !stop.now) {
    const response = await client.send(
      new ScanCommand({
        TableName: table,
        Segment: segment,
        TotalSegments: options.segments,
        Limit: options.pageSize,
        ReturnConsumedCapacity: 'TOTAL',
        ...(position.next === undefined ? {} : { ExclusiveStartKey: toSdkItem(position.next) }),
      }),
    );
    await options.reads?.spend(response.ConsumedCapacity?.CapacityUnits ?? 0);
    const last = response.LastEvaluatedKey;
    position = last === undefined ? { done: true } : { done: false, next: fromSdkItem(last) };
    await options.onPage({ segment, items: (response.Items ?? []).map(fromSdkItem), position });
  }
}
