/**
 * `concord adopt`: brings an existing table under Concord.
 */
import { rm } from 'node:fs/promises';
import { ItemStore } from '../../shared/resolver/item-store';
import { COMMON_OPTIONS, TABLE_OPTIONS } from '../args';
import type { Command } from '../command';
import { ExitCode } from '../exit-code';
import { adoptTable, type AdoptReport } from '../operations/adopt/adopt-table';
import { Checkpoint } from '../operations/adopt/checkpoint';
import { CapacityLimiter } from '../operations/scan/capacity-limiter';
import { tableCapacity, type TableCapacity } from '../operations/scan/table-capacity';
import type { Session } from '../session';
import { columns } from '../text';

export const adoptCommand: Command = {
  name: 'adopt',
  summary: 'give every item written without Concord an envelope: parallel, resumable, rate-limited',
  usage: '[options]',
  description: [
    'Brings an existing table under Concord: a parallel scan reads every item, and each item without an',
    'envelope gets one that claims no write (its values become legacy values every version has seen),',
    'by a conditional write that holds only if the item is still exactly as scanned: a concurrent change',
    'is never overwritten. Reads and writes are limited to a share of the table\'s capacity (provisioned',
    'units; for on-demand tables the maximum or warm throughput, else 12,000 reads and 4,000 writes a',
    'second). Progress is saved after every page to the checkpoint file: run the command again to go on.',
    '',
    'Exit status: 0 every item versioned, 1 some could not be adopted (or, on a dry run, would not be).',
  ].join('\n'),
  options: {
    ...TABLE_OPTIONS,
    segments: { type: 'string', value: 'N', help: 'parallel scan segments (default 4)' },
    'page-size': { type: 'string', value: 'N', help: 'items per Scan call (default 100)' },
    'capacity-share': { type: 'string', value: 'F', help: "share of the table's capacity to use, 0 to 1 (default 0.25)" },
    'read-units': { type: 'string', value: 'N', help: 'read units per second to use (instead of a share)' },
    'write-units': { type: 'string', value: 'N', help: 'write units per second to use (instead of a share)' },
    checkpoint: { type: 'string', value: 'FILE', help: 'the checkpoint file (default .concord-adopt-<table>-<region>.json)' },
    restart: { type: 'boolean', help: 'start afresh, ignoring an existing checkpoint' },
    'dry-run': { type: 'boolean', help: 'count what would be adopted; write nothing' },
    ...COMMON_OPTIONS,
  },
  positionals: { min: 0, max: 0, names: [] },
  async run(session) {
    const table = session.table();
    const { rules } = session.rules();
    const segments = session.args.integer('segments', 4, 1, 1000);
    const pageSize = session.args.integer('page-size', 100, 1, 1000);
    const dryRun = session.args.flag('dry-run');
    const share = session.args.number('capacity-share', 0.25, 0.01, 1);
    const given = { readUnits: session.args.integer('read-units', 0, 1, 1_000_000), writeUnits: session.args.integer('write-units', 0, 1, 1_000_000) };
    const clients = session.clients();
    const client = clients.dynamodb();
    const capacity = await tableCapacity(client, table);
    const limits = limitsOf(capacity, share, given);
    const checkpoint = dryRun ? undefined : await openCheckpoint(session, table, clients.region, segments);
    const progress = session.progress(dryRun ? 'counting' : 'adopting', { unit: 'items', total: capacity.itemCount });
    progress.advance(checkpoint?.counts.scanned ?? 0);
    let report: AdoptReport;
    try {
      report = await adoptTable({
        client,
        store: new ItemStore(client, table),
        table,
        region: clients.region,
        rules,
        segments,
        pageSize,
        reads: new CapacityLimiter({ unitsPerSecond: limits.readUnits }),
        writes: new CapacityLimiter({ unitsPerSecond: limits.writeUnits }),
        checkpoint,
        progress,
        now: session.io.now,
      });
    } finally {
      progress.done();
    }
    const data = { table, region: clients.region, capacity, limits, resumed: checkpoint?.resumed ?? false, ...report };
    return { exitCode: report.counts.refused === 0 ? ExitCode.Ok : ExitCode.Problems, data, text: formatAdoption(report, capacity, limits, checkpoint?.resumed ?? false) };
  },
};

/** The units per second to use: those given (0: not given), else the share of the table's. */
function limitsOf(capacity: TableCapacity, share: number, given: { readonly readUnits: number; readonly writeUnits: number }): { readonly readUnits: number; readonly writeUnits: number } {
  const shareOf = (units: number): number => Math.max(1, Math.floor(units * share));
  return { readUnits: given.readUnits || shareOf(capacity.readUnits), writeUnits: given.writeUnits || shareOf(capacity.writeUnits) };
}

async function openCheckpoint(session: Session, table: string, region: string, segments: number): Promise<Checkpoint> {
  const path = session.path(session.args.string('checkpoint') ?? `.concord-adopt-${table}-${region}.json`);
  if (session.args.flag('restart')) await rm(path, { force: true });
  return Checkpoint.open(path, { table, region, segments });
}

function formatAdoption(report: AdoptReport, capacity: TableCapacity, limits: { readUnits: number; writeUnits: number }, resumed: boolean): string {
  const { counts } = report;
  const lines = [
    `${report.dryRun ? 'dry run: nothing written' : resumed ? 'adoption resumed from its checkpoint, and complete' : 'adoption complete'} · ${counts.scanned} items scanned in ${(report.elapsedMs / 1000).toFixed(1)} s (${report.itemsPerSecond} items/s)`,
    columns([
      [report.dryRun ? 'would adopt' : 'adopted', String(counts.adopted)],
      ['already versioned', String(counts.versioned)],
      ['changed meanwhile (left as written)', String(counts.changedMeanwhile)],
      ['refused', String(counts.refused)],
    ]),
    `capacity: ${capacity.readUnits} reads/s and ${capacity.writeUnits} writes/s (${capacity.source}); used at most ${limits.readUnits} reads/s and ${limits.writeUnits} writes/s, spent ${report.readUnits.toFixed(1)} read and ${report.writeUnits} write units`,
  ];
  for (const refusal of report.refusals) lines.push(`  refused ${refusal.key}: ${refusal.reason}`);
  return `${lines.join('\n')}\n`;
}
