/**
 * The resolver's Lambda handler: `processBatch` wrapped in middy with Powertools'
 * logger context and metrics flushing, and the resolver's own middlewares.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { withDefaults, type ResolverDependencies } from './dependencies';
import { logBatchOutcome } from './middlewares/log-batch-outcome';
import { validateStreamEvent } from './middlewares/validate-stream-event';
import { processBatch } from './process-batch';

/** The resolver's handler: a stream batch in, a partial batch response out. */
export type ResolverHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;

/**
 * Builds the resolver's handler from its dependencies.
 *
 * @example
 * export const handler = createResolverHandler({
 *   config: loadConfig(),
 *   rules: loadRules(),
 *   dynamodb: new DynamoDBClient({}),
 *   eventBridge: new EventBridgeClient({}),
 *   sqs: new SQSClient({}),
 * });
 */
export function createResolverHandler(deps: ResolverDependencies): ResolverHandler {
  const context = withDefaults(deps);
  return middy((event: DynamoDBStreamEvent, lambda: Context): Promise<DynamoDBBatchResponse> => processBatch(event, context, lambda))
    .use(injectLambdaContext(context.logger, { resetKeys: true }))
    .use(logMetrics(context.metrics, { captureColdStartMetric: true }))
    .use(logBatchOutcome({ logger: context.logger }))
    .use(validateStreamEvent());
}
