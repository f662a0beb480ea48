/**
 * The real resolver handler (shared/resolver, imported, unchanged) set up for one lab
 * region: its configuration from the same variables a deployment sets, clients of the
 * region's local endpoints, and the virtual clock for `now` and for the waits between
 * its retries. Its logs are silenced and its metrics collected for the report instead of
 * printed.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createResolverHandler, loadConfig, SERVICE_NAME, type ResolveIn, type ResolverHandler } from '../shared/resolver';
import type { RuleSet } from '../shared/rules/types';
import type { LabClients } from './clients';
import type { Draw } from './draw';
import type { VirtualScheduler } from './scheduler';

/** One metric over every invocation: the sum of its values, how many there were, and the largest. */
export interface MetricTotal {
  readonly total: number;
  readonly samples: number;
  readonly max: number;
}

/** Metric totals by name. */
export type MetricTotals = Map<string, MetricTotal>;

/** Powertools Metrics that add each flush to totals instead of printing EMF to stdout. */
class CollectingMetrics extends Metrics {
  constructor(private readonly totals: MetricTotals) {
    super({ namespace: 'ConcordLab', serviceName: SERVICE_NAME });
  }

  override publishStoredMetrics(): this {
    if (this.hasStoredMetrics()) {
      const emf = this.serializeMetrics() as unknown as Record<string, unknown> & { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } };
      for (const { Name } of emf._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics)) {
        const value = emf[Name];
        const values = (Array.isArray(value) ? value : [value]).map(Number);
        const before = this.totals.get(Name) ?? { total: 0, samples: 0, max: -Infinity };
        this.totals.set(Name, { total: before.total + values.reduce((sum, v) => sum + v, 0), samples: before.samples + values.length, max: Math.max(before.max, ...values) });
      }
    }
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }

  override singleMetric(): Metrics {
    return new CollectingMetrics(this.totals);
  }
}

/** What one region's resolver needs. */
export interface LabResolverOptions {
  readonly region: string;
  readonly table: string;
  readonly rules: RuleSet;
  readonly resolveIn: ResolveIn;
  readonly auditBus: string;
  readonly quarantineQueueUrl: string;
  readonly endpoints: { readonly dynamodb: string; readonly eventBridge: string; readonly sqs: string };
  readonly clients: LabClients;
  readonly scheduler: VirtualScheduler;
  readonly draw: Draw;
  /** Receives the resolver's metrics. */
  readonly metrics: MetricTotals;
}

/**
 * Builds the resolver handler of one region.
 *
 * Keys of a batch are processed one at a time (`CONCORD_CONCURRENCY=1`): the lab's
 * virtual clock runs one branch per task, so that a seed reproduces a run. Keys are
 * independent items, so this changes the speed of a batch, not what it writes.
 *
 * @example
 * const handler = labResolver({ region: 'eu-west-1', table, rules, resolveIn: 'any', auditBus, quarantineQueueUrl, endpoints, clients, scheduler, draw, metrics });
 */
export function labResolver(options: LabResolverOptions): ResolverHandler {
  const { region, endpoints, clients, scheduler } = options;
  const config = loadConfig({
    CONCORD_TABLE: options.table,
    AWS_REGION: region,
    CONCORD_AUDIT_BUS: options.auditBus,
    CONCORD_QUARANTINE_QUEUE_URL: options.quarantineQueueUrl,
    CONCORD_RESOLVE_IN: options.resolveIn,
    CONCORD_CONCURRENCY: '1',
  });
  return createResolverHandler({
    config,
    rules: options.rules,
    dynamodb: clients.dynamodb(endpoints.dynamodb, region),
    eventBridge: clients.eventBridge(endpoints.eventBridge, region),
    sqs: clients.sqs(endpoints.sqs, region),
    now: () => scheduler.now,
    sleep: (ms) => scheduler.sleep(ms),
    random: options.draw.asRandom(),
    logger: new Logger({ serviceName: SERVICE_NAME, logLevel: 'SILENT' }),
    metrics: new CollectingMetrics(options.metrics),
  });
}
