/**
 * `concord inspect <key>`: one item as an operator needs to see it, in one replica or,
 * with `--all-regions`, in every replica side by side.
 */
import { COMMON_OPTIONS, TABLE_OPTIONS } from '../args';
import type { Command } from '../command';
import { ExitCode } from '../exit-code';
import { KEY_ARGUMENT, KEY_POSITIONALS } from '../key-argument';
import { formatItemView, formatReplicas } from '../operations/inspect/item-text';
import { readReplica, replicaRegions } from '../operations/inspect/read-replicas';
import { compareReplicas } from '../operations/inspect/replicas';
import type { Session } from '../session';

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show an item: values, rules, writes, siblings, counters, sets, context, holds, size',
  usage: `${KEY_ARGUMENT} [options]`,
  description: [
    'Shows one item as an operator needs to see it: what it shows; per attribute the rule, the',
    'writes that set it (region, epoch, clock, age) and any concurrent siblings; counters per',
    'region; set elements with their adds; floors, epochs and holds; escalations; the tombstone',
    "and its expiry; and the envelope's size and the write units it costs.",
    '',
    `${KEY_ARGUMENT} is the key's values in key order ('CART#42' CART), or one JSON object`,
    `('{"pk":"ORDER#1","sk":"ORDER"}').`,
    '',
    'Exit status: 0 shown (replicas agree), 1 no such item (replicas disagree).',
  ].join('\n'),
  options: {
    ...TABLE_OPTIONS,
    'all-regions': { type: 'boolean', help: 'read every replica (DescribeTable, or the regions of --endpoint / --regions) and compare them' },
    regions: { type: 'string', value: 'R1,R2', help: 'with --all-regions: the regions to read' },
    ...COMMON_OPTIONS,
  },
  positionals: KEY_POSITIONALS,
  async run(session) {
    const key = session.itemKey();
    const { rules } = session.rules();
    const table = session.table();
    const clients = session.clients();
    const now = session.io.now();
    if (!session.args.flag('all-regions')) {
      const replica = await readReplica(clients, clients.region, table, key, rules, now);
      return { exitCode: replica.view.found ? ExitCode.Ok : ExitCode.Problems, data: replica.view, text: formatItemView(replica.view) };
    }
    const regions = await regionsToRead(session);
    const replicas = await Promise.all(regions.map((region) => readReplica(clients, region, table, key, rules, now)));
    const comparison = compareReplicas(replicas);
    const views = replicas.map((replica) => replica.view);
    return { exitCode: comparison.agree ? ExitCode.Ok : ExitCode.Problems, data: { comparison, replicas: views }, text: formatReplicas(comparison, views) };
  },
};

async function regionsToRead(session: Session): Promise<string[]> {
  const listed = session.args.string('regions');
  if (listed !== undefined) return listed.split(',').map((region) => region.trim()).filter((region) => region !== '');
  const endpoints = [...session.endpoints().keys()];
  if (endpoints.length > 0) return endpoints.sort();
  return replicaRegions(session.clients(), session.table());
}
