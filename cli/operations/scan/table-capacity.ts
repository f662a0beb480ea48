/**
 * A table's capacity, the base of `--capacity-share`: a provisioned table's read and
 * write capacity units; an on-demand table's maximum throughput when one is set, else
 * its warm throughput (the units per second it serves at once), else the throughput
 * AWS documents for a new on-demand table (4,000 write and 12,000 read units per second).
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Units per second, and where they come from. */
export interface TableCapacity {
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly source: 'provisioned' | 'on-demand maximum' | 'warm throughput' | 'on-demand default';
  /** DynamoDB's approximate item count (refreshed about every six hours). */
  readonly itemCount: number;
}

/** A new on-demand table's throughput, as AWS documents it. */
export const ON_DEMAND_DEFAULT = { readUnits: 12_000, writeUnits: 4_000 } as const;

/**
 * The capacity of `table`.
 *
 * @example
 * const { readUnits, writeUnits } = await tableCapacity(client, 'concord-prod');
 */
export async function tableCapacity(client: DynamoDBClient, table: string): Promise<TableCapacity> {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
  const itemCount = Table?.ItemCount ?? 0;
  const provisioned = Table?.ProvisionedThroughput;
  const positive = (value: number | undefined): value is number => value !== undefined && value > 0;
  if (Table?.BillingModeSummary?.BillingMode !== 'PAY_PER_REQUEST' && positive(provisioned?.ReadCapacityUnits) && positive(provisioned?.WriteCapacityUnits)) {
    return { readUnits: provisioned.ReadCapacityUnits, writeUnits: provisioned.WriteCapacityUnits, source: 'provisioned', itemCount };
  }
  const maximum = Table?.OnDemandThroughput;
  if (positive(maximum?.MaxReadRequestUnits) && positive(maximum?.MaxWriteRequestUnits)) {
    return { readUnits: maximum.MaxReadRequestUnits, writeUnits: maximum.MaxWriteRequestUnits, source: 'on-demand maximum', itemCount };
  }
  const warm = Table?.WarmThroughput;
  if (positive(warm?.ReadUnitsPerSecond) && positive(warm?.WriteUnitsPerSecond)) {
    return { readUnits: warm.ReadUnitsPerSecond, writeUnits: warm.WriteUnitsPerSecond, source: 'warm throughput', itemCount };
  }
  return { ...ON_DEMAND_DEFAULT, source: 'on-demand default', itemCount };
}
