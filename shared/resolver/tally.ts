/**
 * The counts of one invocation, emitted once as CloudWatch metrics (EMF through
 * Powertools) and logged as the batch summary.
 */
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';

/** The metric names the resolver emits. */
export const MetricName = {
  RecordsSeen: 'RecordsSeen',
  Conflicts: 'Conflicts',
  Resolved: 'Resolved',
  Escalated: 'Escalated',
  Superseded: 'Superseded',
  Quarantined: 'Quarantined',
  RecordsFailed: 'RecordsFailed',
  /** Records left for the next invocation: the remaining time ran low before their key started. */
  RecordsDeferred: 'RecordsDeferred',
  WriteRetries: 'WriteRetries',
  UnversionedOverwrites: 'UnversionedOverwrites',
  HardDeletes: 'HardDeletes',
  /** With a `verdict` dimension: insert, ttlExpiry, notConcord, adopted, successor, notOrigin. */
  Skipped: 'Skipped',
  AuditEventsPublished: 'AuditEventsPublished',
  AuditEventsFailed: 'AuditEventsFailed',
  PutEventsCalls: 'PutEventsCalls',
  /** From the record's `ApproximateCreationDateTime` to the end of its resolution. */
  ResolutionLagMs: 'ResolutionLagMs',
} as const;
export type MetricName = (typeof MetricName)[keyof typeof MetricName];

type CountName = Exclude<MetricName, 'Skipped' | 'ResolutionLagMs'>;

/** Counts of one batch. */
export class BatchTally {
  private readonly counts = new Map<CountName, number>();
  private readonly skipped = new Map<string, number>();
  private readonly lags: number[] = [];

  /** Adds `by` to a count. */
  add(name: CountName, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  /** Counts a record skipped for `verdict`. */
  skip(verdict: string): void {
    this.skipped.set(verdict, (this.skipped.get(verdict) ?? 0) + 1);
  }

  /** Records one conflict's resolution lag. */
  lag(ms: number): void {
    this.lags.push(Math.max(0, ms));
  }

  /** A count so far. */
  count(name: CountName): number {
    return this.counts.get(name) ?? 0;
  }

  /**
   * Adds the counts to `metrics` (flushed by the `logMetrics` middleware); the skip
   * counts go out as single metrics, one per verdict dimension.
   */
  emit(metrics: Metrics): void {
    // Lags first: Powertools flushes on its own at 100 values of one metric, and the counts should not be flushed alone then.
    for (const lag of this.lags) metrics.addMetric(MetricName.ResolutionLagMs, MetricUnit.Milliseconds, lag);
    for (const [name, value] of this.counts) metrics.addMetric(name, MetricUnit.Count, value);
    for (const [verdict, value] of this.skipped) {
      const single = metrics.singleMetric();
      single.addDimension('verdict', verdict);
      single.addMetric(MetricName.Skipped, MetricUnit.Count, value);
    }
  }

  /** The counts as one object, for the batch summary log line. */
  summary(): Record<string, number | Record<string, number>> {
    const summary: Record<string, number | Record<string, number>> = Object.fromEntries(this.counts);
    if (this.skipped.size > 0) summary.skipped = Object.fromEntries(this.skipped);
    if (this.lags.length > 0) summary.maxResolutionLagMs = Math.max(...this.lags);
    return summary;
  }
}
