/**
 * The resolver Lambda (docs/design.md §3–§6). Configuration and rules are read and
 * validated at cold start: a bad variable fails the first invocation with its name.
 * Endpoints come from the SDK's own `AWS_ENDPOINT_URL_*` variables, retries from
 * `AWS_MAX_ATTEMPTS` / `AWS_RETRY_MODE` (standard mode by default).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createResolverHandler, loadConfig, loadRules, loadShadowRules } from '../../shared/resolver';

const config = loadConfig();
const rules = loadRules();
const shadowRules = loadShadowRules();
const clientConfig = { region: config.region };

export const handler = createResolverHandler({
  config,
  rules,
  shadowRules,
  dynamodb: new DynamoDBClient(clientConfig),
  eventBridge: new EventBridgeClient(clientConfig),
  sqs: new SQSClient(clientConfig),
});
