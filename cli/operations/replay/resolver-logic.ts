/**
 * The resolver's logic as the queue operations (redrive, quarantine replay) run it on
 * records: for real, or planned on a dry run; and what they report of a piece of work
 * (a message, a quarantined record) that ran records through it.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { RecordPlan } from './plan-records';
import type { RecordResult } from './record-result';
import type { SettleReport } from './settle-records';

/** Records through the resolver's logic. */
export interface ResolverLogic {
  /** True: plan only; write, publish and delete nothing. */
  readonly dryRun: boolean;
  readonly settle: (records: readonly DynamoDBRecord[]) => Promise<SettleReport>;
  readonly plan: (records: readonly DynamoDBRecord[]) => RecordPlan[];
}

/** What one piece of work did with its records. */
export interface RecordsWork {
  /** Why the work was left undone (its message kept); null when it was not. */
  readonly reason: string | null;
  /** Each record's settlement (a run that writes). */
  readonly records: readonly RecordResult[];
  /** What would be done with each record (a dry run). */
  readonly plans: readonly RecordPlan[];
}

/**
 * True when a piece of work is done, or on a dry run would be: no record would be quarantined.
 *
 * @example
 * const exitCode = results.every((result) => workDone(result, 'redriven')) ? ExitCode.Ok : ExitCode.Problems;
 */
export function workDone(work: RecordsWork & { readonly status: string }, done: string): boolean {
  return work.status === done || (work.status === 'planned' && work.plans.every((plan) => plan.action !== 'quarantine'));
}
