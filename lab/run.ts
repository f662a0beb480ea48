/**
 * One run of a scenario: the regions with their endpoints and streams, replication
 * between them, the audit buses and queues, the writers of every region making the
 * workload's calls through the writer library, and (for Concord) the real resolver on
 * each region's stream through the event source mapping; all on the virtual clock,
 * until nothing is left to do. Then the checker reads the final state and the history.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoFault } from '../local/dynamodb';
import { startLocalEventBridge, type LocalEventBridge } from '../local/eventbridge';
import { startLocalSqs, type LocalSqs } from '../local/sqs';
import { seededTags } from '../shared/clock/dot';
import { HybridClock } from '../shared/clock/hlc';
import type { AttributeMap } from '../shared/dynamodb/attribute-value';
import type { Change } from '../shared/write/change';
import { createConcordTable } from '../shared/writer';
import { check, type CheckResult } from './checker';
import { asOperation, LabClients } from './clients';
import { Draw, deriveSeed } from './draw';
import { EventSourceMapping, type MappingStats } from './event-source-mapping';
import { planFaults, type FaultPlan } from './faults';
import { Network, type Partition } from './network';
import { PlainTable, type LabWriter } from './plain-table';
import { VirtualKeyLock } from './virtual-lock';
import { Region } from './region';
import { Replication, type ReplicationStats } from './replication';
import { labResolver, type MetricTotal, type MetricTotals } from './resolver';
import { LAB_EPOCH_MS, RunMode, type PartitionSpec, type Scenario } from './scenario';
import { RunStop, VirtualScheduler } from './scheduler';
import type { CapturedRecord } from './stream';
import { buildTimeline, type Timeline } from './timeline';
import { changeOf, generateWorkload, perform, type Operation } from './workload';

/** Names of the lab's resources, as a `lab` stage of Concord's deployment would name them. */
export const LAB_NAMES = {
  auditBus: 'concord-audit-lab',
  centralBus: 'concord-audit-central-lab',
  forwardingRule: 'concord-audit-to-central-lab',
  quarantineQueue: 'concord-quarantine-lab',
  failureQueue: 'concord-resolver-failures-lab',
  functionName: 'concord-lab-resolver',
} as const;

/** Progress of a run, for a progress bar. */
export interface RunProgress {
  readonly mode: RunMode;
  /** Client operations finished, of `operations`. */
  readonly done: number;
  readonly operations: number;
  /** Virtual ms since the start. */
  readonly elapsedMs: number;
}

/** What a run did beyond what the checker judges. */
export interface RunStats {
  readonly operations: number;
  readonly failedOperations: number;
  /** Failed client operations by error name. */
  readonly failuresByError: Readonly<Record<string, number>>;
  readonly records: number;
  readonly replication: ReplicationStats;
  /** Summed over the regions' mappings (zero when the resolver is off). */
  readonly mapping: MappingStats;
  readonly onFailureMessages: number;
  readonly quarantined: number;
  readonly auditEvents: number;
  readonly auditByType: Readonly<Record<string, number>>;
  /** The resolver's own metrics, over every region's invocations. */
  readonly resolverMetrics: Readonly<Record<string, MetricTotal>>;
  readonly throttledCalls: number;
  readonly failedAuditEntries: number;
  readonly quiesced: boolean;
  /** Virtual ms from the start to the last event. */
  readonly virtualMs: number;
  /** Real ms the run took. */
  readonly realMs: number;
}

/** The result of one run. */
export interface RunOutcome {
  readonly mode: RunMode;
  readonly faults: FaultPlan;
  readonly check: CheckResult;
  readonly stats: RunStats;
  readonly timeline: Timeline;
  /** Per region, its items at the end by `canonicalJson(key)`, as the checker judged them. */
  readonly finalItems: ReadonlyMap<string, ReadonlyMap<string, AttributeMap>>;
}

/** Options of {@link runScenario}. */
export interface RunOptions {
  readonly onProgress?: (progress: RunProgress) => void;
}

const EMPTY_MAPPING_STATS: MappingStats = { invocations: 0, recordsDelivered: 0, failedInvocations: 0, partialFailures: 0, bisections: 0, duplicates: 0, redeliveries: 0, crashes: 0, discardedRecords: 0 };

/** The endpoints and parts of a running lab. */
interface World {
  readonly scheduler: VirtualScheduler;
  readonly regions: Region[];
  readonly eventBridge: LocalEventBridge;
  readonly sqs: LocalSqs;
  readonly clients: LabClients;
  readonly replication: Replication;
  readonly mappings: EventSourceMapping[];
  readonly metrics: MetricTotals;
}

/**
 * Runs a scenario in one mode and checks it.
 *
 * @example
 * const concord = await runScenario(scenarioWith({ operations: 300 }), RunMode.Concord);
 * concord.check.lostUpdates; // 0
 */
export async function runScenario(scenario: Scenario, mode: RunMode, options: RunOptions = {}): Promise<RunOutcome> {
  const realStart = Date.now();
  const operations = generateWorkload({ seed: scenario.seed, operations: scenario.operations, regions: scenario.regions, writersPerRegion: scenario.writersPerRegion, workloads: scenario.workloads, keysPerWorkload: scenario.keysPerWorkload, hotness: scenario.hotness, meanGapMs: scenario.meanGapMs });
  const lastOffset = operations.at(-1)?.offsetMs ?? 0;
  const faults = withPartitions(planFaults(scenario.faults, scenario.regions, LAB_EPOCH_MS, lastOffset, new Draw(scenario.seed, 'faults'), scenario.skewMs), scenario.partitions);
  const world = await startWorld(scenario, mode, faults);
  try {
    // Every operation's change, by its id: the truth's input (what the clients asked for).
    const changes = new Map<string, Change>(operations.map((operation) => [String(operation.index), changeOf(operation.call)]));
    const failures: Record<string, number> = {};
    let done = 0;
    const report = (): void => options.onProgress?.({ mode, done, operations: operations.length, elapsedMs: world.scheduler.now - LAB_EPOCH_MS });
    const writers = createWriters(scenario, world, mode);
    for (const operation of operations) {
      world.scheduler.spawn(LAB_EPOCH_MS + operation.offsetMs, `operation ${operation.index}`, async () => {
        try {
          const writer = writers.get(`${operation.region}/${operation.writer}`) as LabWriter;
          await asOperation(String(operation.index), () => perform(writer, operation.key, operation.call));
        } catch (error) {
          const name = error instanceof Error ? error.name : 'Error';
          failures[name] = (failures[name] ?? 0) + 1;
        }
        done += 1;
      });
    }
    let turns = 0;
    // A partition holds writes until it heals: the run may settle after the last operation and the last healing.
    const settleFrom = Math.max(LAB_EPOCH_MS + lastOffset, ...faults.partitions.map((partition) => partition.until));
    const stop = await world.scheduler.run({
      deadline: settleFrom + scenario.settleLimitMs,
      onTurn: () => {
        if ((turns += 1) % 200 === 0) report();
      },
    });
    report();
    return await collect(scenario, mode, faults, world, { operations, changes, failures, quiesced: stop === RunStop.Idle, realStart });
  } finally {
    world.clients.destroyAll();
    await world.eventBridge.close();
    await world.sqs.close();
    for (const region of world.regions) await region.close();
  }
}

async function startWorld(scenario: Scenario, mode: RunMode, faults: FaultPlan): Promise<World> {
  const scheduler = new VirtualScheduler(LAB_EPOCH_MS);
  const [auditRegion] = scenario.regions as [string];
  const regions: Region[] = [];
  const started: { close(): Promise<void> }[] = [];
  try {
    for (const name of scenario.regions) {
      const region = await Region.start({ name, table: scenario.table, settings: scenario.rules.table, shards: scenario.shards, now: () => scheduler.now });
      regions.push(region);
      started.push(region);
      region.dynamo.faults.failFraction({ fraction: faults.throttleFraction, seed: deriveSeed(scenario.seed, `throttle ${name}`), error: DynamoFault.Throttle });
    }
    const eventBridge = await startLocalEventBridge({ region: auditRegion });
    started.push(eventBridge);
    const sqs = await startLocalSqs({ region: auditRegion });
    started.push(sqs);
    eventBridge.createBus(LAB_NAMES.centralBus, auditRegion);
    for (const { name } of regions) {
      eventBridge.createBus(LAB_NAMES.auditBus, name);
      eventBridge.putRule({ name: LAB_NAMES.forwardingRule, bus: LAB_NAMES.auditBus, region: name, pattern: { source: ['concord'] }, targets: [eventBridge.busArn(LAB_NAMES.centralBus, auditRegion)] });
      sqs.createQueue(LAB_NAMES.quarantineQueue, name);
      sqs.createQueue(LAB_NAMES.failureQueue, name);
    }
    eventBridge.faults.failFraction({ fraction: faults.putEventsFailureFraction, seed: deriveSeed(scenario.seed, 'putEvents'), error: 'InternalFailure', only: [LAB_NAMES.auditBus] });
    const clients = new LabClients(scheduler, new Draw(scenario.seed, 'latency'), scenario.clients);
    const network = new Network({ regions: scenario.regions, delayMs: scenario.delayMs, partitions: faults.partitions }, new Draw(scenario.seed, 'network'));
    const replication = new Replication(regions, scheduler, network);
    const metrics: MetricTotals = new Map();
    const mappings = mode === RunMode.Concord ? regions.map((region) => startMapping(scenario, { scheduler, eventBridge, sqs, clients, metrics }, region, faults)) : [];
    return { scheduler, regions, eventBridge, sqs, clients, replication, mappings, metrics };
  } catch (error) {
    for (const server of started.reverse()) await server.close();
    throw error;
  }
}

function startMapping(scenario: Scenario, world: Pick<World, 'scheduler' | 'eventBridge' | 'sqs' | 'clients' | 'metrics'>, region: Region, faults: FaultPlan): EventSourceMapping {
  const { scheduler, eventBridge, sqs, clients, metrics } = world;
  const failureQueue = clients.sqs(sqs.endpoint, region.name);
  const fn = labResolver({
    region: region.name,
    table: scenario.table,
    rules: scenario.rules,
    resolveIn: scenario.resolveIn,
    auditBus: LAB_NAMES.auditBus,
    quarantineQueueUrl: sqs.queueUrl(LAB_NAMES.quarantineQueue),
    endpoints: { dynamodb: region.dynamo.endpoint, eventBridge: eventBridge.endpoint, sqs: sqs.endpoint },
    clients,
    scheduler,
    draw: new Draw(scenario.seed, `resolver ${region.name}`),
    metrics,
  });
  return new EventSourceMapping({
    scheduler,
    stream: region.stream,
    fn,
    functionArn: `arn:aws:lambda:${region.name}:000000000000:function:${LAB_NAMES.functionName}`,
    settings: { ...scenario.mapping, lagMs: scenario.resolverLagMs },
    faults: faults.mapping,
    draw: new Draw(scenario.seed, `mapping ${region.name}`),
    onFailure: async (message) => {
      await failureQueue.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl(LAB_NAMES.failureQueue), MessageBody: JSON.stringify(message) }));
    },
  });
}

/**
 * The writers of every region: for Concord, writer library instances each with its own
 * clock (off the virtual time by up to the scenario's skew) and seeded epoch tags; for
 * plain Global Tables, the plain DynamoDB calls.
 */
function createWriters(scenario: Scenario, world: World, mode: RunMode): Map<string, LabWriter> {
  const draw = new Draw(scenario.seed, 'writers');
  const writers = new Map<string, LabWriter>();
  for (const region of world.regions) {
    const client = world.clients.dynamodb(region.dynamo.endpoint, region.name);
    for (let index = 0; index < scenario.writersPerRegion; index += 1) {
      const id = `${region.name}/${index}`;
      if (mode === RunMode.Lww) {
        writers.set(id, new PlainTable(client, scenario.table));
        continue;
      }
      const skewMs = Math.round(draw.between(-scenario.skewMs, scenario.skewMs));
      const clock = new HybridClock({ now: () => world.scheduler.now + skewMs, maxOffsetMs: scenario.rules.table.maxClockOffsetMs });
      const tags = seededTags(`lab ${scenario.seed} ${id}`);
      const itemLock = new VirtualKeyLock(world.scheduler);
      writers.set(id, createConcordTable({ client, tableName: scenario.table, region: region.name, rules: scenario.rules, clock, now: () => world.scheduler.now, tags, writerId: tags(), itemLock, retry: { sleep: (ms) => world.scheduler.sleep(ms), random: draw.asRandom() } }));
    }
  }
  return writers;
}

/** The fault plan with the scenario's own partitions added. */
function withPartitions(faults: FaultPlan, partitions: readonly PartitionSpec[]): FaultPlan {
  const named: Partition[] = partitions.map(({ a, b, startMs, lengthMs }) => ({ a, b, from: LAB_EPOCH_MS + startMs, until: LAB_EPOCH_MS + startMs + lengthMs }));
  return { ...faults, partitions: [...faults.partitions, ...named] };
}

interface Collected {
  readonly operations: readonly Operation[];
  readonly changes: ReadonlyMap<string, Change>;
  readonly failures: Readonly<Record<string, number>>;
  readonly quiesced: boolean;
  readonly realStart: number;
}

async function collect(scenario: Scenario, mode: RunMode, faults: FaultPlan, world: World, run: Collected): Promise<RunOutcome> {
  const { regions, eventBridge, sqs, scheduler } = world;
  const finalItems = new Map<string, Map<string, AttributeMap>>();
  for (const region of regions) finalItems.set(region.name, await region.scan());
  // In the order the writes happened (a region's own records keep their stream order).
  const records: CapturedRecord[] = regions.flatMap((region) => region.stream.records()).sort((a, b) => a.at - b.at);
  const audit = eventBridge.events({ name: LAB_NAMES.centralBus, region: scenario.regions[0] });
  const auditByType: Record<string, number> = {};
  const auditedConflictIds = new Set<string>();
  for (const { event } of audit) {
    auditByType[event['detail-type']] = (auditByType[event['detail-type']] ?? 0) + 1;
    const id = (event.detail as { conflictId?: unknown }).conflictId;
    if (typeof id === 'string') auditedConflictIds.add(id);
  }
  const quarantined = regions.flatMap((region) => sqs.messages(LAB_NAMES.quarantineQueue, region.name));
  const result = check({
    rules: scenario.rules,
    table: scenario.table,
    regions: scenario.regions,
    finalItems,
    records,
    operations: run.changes,
    auditedConflictIds,
    resolveIn: mode === RunMode.Concord ? scenario.resolveIn : 'off',
    quiesced: run.quiesced,
    refusedWriteUnits: regions.reduce((sum, region) => sum + region.refusedWriteUnits, 0),
    // The one bound on metadata: an item over DynamoDB's limit is quarantined, never cut down.
    escalatedForBounds: quarantined.filter((message) => message.body.includes('ItemTooLargeError')).length,
  });
  const mapping = { ...EMPTY_MAPPING_STATS };
  for (const each of world.mappings) for (const name of Object.keys(mapping) as (keyof MappingStats)[]) mapping[name] += each.stats[name];
  const failedOperations = Object.values(run.failures).reduce((sum, count) => sum + count, 0);
  return {
    mode,
    faults,
    check: result,
    finalItems,
    stats: {
      operations: run.operations.length,
      failedOperations,
      failuresByError: run.failures,
      records: records.length,
      replication: { ...world.replication.stats },
      mapping,
      onFailureMessages: regions.reduce((sum, region) => sum + sqs.messages(LAB_NAMES.failureQueue, region.name).length, 0),
      quarantined: quarantined.length,
      auditEvents: audit.length,
      auditByType,
      resolverMetrics: Object.fromEntries([...world.metrics].sort(([a], [b]) => a.localeCompare(b))),
      throttledCalls: regions.reduce((sum, region) => sum + region.dynamo.faults.injected, 0),
      failedAuditEntries: eventBridge.faults.injected,
      quiesced: run.quiesced,
      virtualMs: scheduler.now - LAB_EPOCH_MS,
      realMs: Date.now() - run.realStart,
    },
    timeline: buildTimeline({ records, regions: scenario.regions, startMs: LAB_EPOCH_MS, endMs: scheduler.now, rules: scenario.rules }),
  };
}
