/**
 * What the resolver needs from the outside world, and the defaults that make the
 * real handler: the lab swaps in a virtual clock, tests swap in local endpoints.
 */
import { setTimeout as wait } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { RuleSet } from '../rules/types';
import type { Backoff } from './backoff';
import type { ResolverConfig } from './config';
import { Redactor } from './redaction';

/** The resolver's collaborators; see `createResolverHandler`. */
export interface ResolverDependencies {
  /** Validated configuration (`loadConfig`). */
  readonly config: ResolverConfig;
  /** The table's rules (`loadRules`). */
  readonly rules: RuleSet;
  /** Candidate rules run beside the real ones on every conflict (`loadShadowRules`, CONCORD_SHADOW_RULES); none by default. */
  readonly shadowRules?: RuleSet;
  readonly dynamodb: DynamoDBClient;
  readonly eventBridge: EventBridgeClient;
  readonly sqs: SQSClient;
  /** For quarantined payloads a queue message cannot hold exactly (`config.payloadBucket`); without it they are kept masked or without their images only. */
  readonly s3?: S3Client;
  /** Milliseconds since the epoch; default `Date.now` (the lab runs a virtual clock). */
  readonly now?: () => number;
  /** Waits between write and publish retries; default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** Powertools Logger; default one with service `concord-resolver`. */
  readonly logger?: Logger;
  /** Powertools Metrics; default namespace `Concord` (or `POWERTOOLS_METRICS_NAMESPACE`), service `concord-resolver`. */
  readonly metrics?: Metrics;
}

/** The dependencies with every default filled in, as the resolver's modules use them. */
export interface ResolverContext extends Required<Omit<ResolverDependencies, 'random' | 's3' | 'shadowRules'>> {
  readonly s3: S3Client | undefined;
  readonly shadowRules: RuleSet | undefined;
  readonly backoff: Backoff;
  /** The masking of the rules' `audit.redact` paths. */
  readonly redactor: Redactor;
}

/** The Powertools service name of the resolver's logs and metrics. */
export const SERVICE_NAME = 'concord-resolver';

/**
 * Fills in the defaults.
 *
 * @throws RuleValidationError when a `redact` entry of the rules is not a path
 * @example
 * const context = withDefaults({ config, rules, dynamodb, eventBridge, sqs });
 */
export function withDefaults(deps: ResolverDependencies): ResolverContext {
  const random = deps.random ?? Math.random;
  return {
    ...deps,
    s3: deps.s3,
    shadowRules: deps.shadowRules,
    now: deps.now ?? Date.now,
    sleep: deps.sleep ?? ((ms) => wait(ms).then(() => undefined)),
    logger: deps.logger ?? new Logger({ serviceName: SERVICE_NAME }),
    metrics:
      deps.metrics ??
      new Metrics({
        namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Concord',
        serviceName: SERVICE_NAME,
        defaultDimensions: { table: deps.config.table },
      }),
    backoff: { baseMs: deps.config.retryBaseMs, maxMs: deps.config.retryMaxMs, random },
    redactor: Redactor.of(deps.rules),
  };
}
