/**
 * Reading one item from one replica or from all of them. The regions of a global table
 * are its replicas (DescribeTable in the home region); regions given explicitly (or by
 * `--endpoint`, as the lab runs one endpoint per region) are read as given.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeMap } from '../../../shared/dynamodb/attribute-value';
import { ItemStore } from '../../../shared/resolver/item-store';
import type { RuleSet } from '../../../shared/rules/types';
import type { AwsClients } from '../../clients';
import { viewItem } from './item-view';
import type { Replica } from './replicas';

/**
 * The regions holding a replica of `table`: the home region and every replica
 * DescribeTable lists (a table that is not global has only its home region).
 *
 * @example
 * await replicaRegions(clients, 'concord-prod'); // ['ap-southeast-2', 'eu-west-1', 'us-east-1']
 */
export async function replicaRegions(clients: AwsClients, table: string): Promise<string[]> {
  const { Table } = await clients.dynamodb().send(new DescribeTableCommand({ TableName: table }));
  const regions = new Set([clients.region, ...(Table?.Replicas ?? []).map((replica) => replica.RegionName ?? '').filter((name) => name !== '')]);
  return [...regions].sort();
}

/**
 * Reads `key` in `region` (consistently) and views it.
 *
 * @example
 * const replica = await readReplica(clients, 'eu-west-1', 'concord-prod', key, rules, Date.now());
 */
export async function readReplica(clients: AwsClients, region: string, table: string, key: AttributeMap, rules: RuleSet, now: number): Promise<Replica> {
  const image = await new ItemStore(clients.dynamodb(region), table).get(key);
  return { region, image, view: viewItem(image, rules, { key, now, region }) };
}
