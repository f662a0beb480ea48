import { ConfigurationError } from '../errors';
import { CONFIG_DEFAULTS, loadConfig, ResolveIn } from './config';

const VALID = {
  CONCORD_TABLE: 'concord-test',
  AWS_REGION: 'eu-west-1',
  CONCORD_AUDIT_BUS: 'concord-audit-test',
  CONCORD_QUARANTINE_QUEUE_URL: 'http://127.0.0.1:4566/000000000000/concord-quarantine-test',
};

/** The ConfigurationError `loadConfig` throws for `env`. */
function configError(env: NodeJS.ProcessEnv): ConfigurationError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('reads the required variables and fills in the defaults', () => {
    // Act
    const config = loadConfig(VALID);

    // Assess
    expect(config).toEqual({
      table: 'concord-test',
      region: 'eu-west-1',
      auditBus: 'concord-audit-test',
      auditSource: CONFIG_DEFAULTS.auditSource,
      quarantineQueueUrl: VALID.CONCORD_QUARANTINE_QUEUE_URL,
      resolveIn: ResolveIn.Any,
      concurrency: CONFIG_DEFAULTS.concurrency,
      maxWriteAttempts: CONFIG_DEFAULTS.maxWriteAttempts,
      maxPublishAttempts: CONFIG_DEFAULTS.maxPublishAttempts,
      retryBaseMs: CONFIG_DEFAULTS.retryBaseMs,
      retryMaxMs: CONFIG_DEFAULTS.retryMaxMs,
      payloadBucket: undefined,
      quarantineMaxMessageBytes: CONFIG_DEFAULTS.quarantineMaxMessageBytes,
      requestTimeoutMs: CONFIG_DEFAULTS.requestTimeoutMs,
      deadlineReserveMs: CONFIG_DEFAULTS.deadlineReserveMs,
      giveUpAfterSeconds: CONFIG_DEFAULTS.giveUpAfterSeconds,
    });
  });

  it('reads every optional variable', () => {
    // Prepare
    const env = {
      ...VALID,
      CONCORD_AUDIT_SOURCE: 'shop.concord',
      CONCORD_RESOLVE_IN: 'origin',
      CONCORD_CONCURRENCY: '64',
      CONCORD_MAX_WRITE_ATTEMPTS: '3',
      CONCORD_MAX_PUBLISH_ATTEMPTS: '7',
      CONCORD_RETRY_BASE_MS: '10',
      CONCORD_RETRY_MAX_MS: '500',
      CONCORD_PAYLOAD_BUCKET: 'concord-payloads-prod-123456789012-eu-west-1',
      CONCORD_QUARANTINE_MAX_MESSAGE_BYTES: '1048576',
      CONCORD_REQUEST_TIMEOUT_MS: '2000',
      CONCORD_DEADLINE_RESERVE_MS: '15000',
      CONCORD_GIVE_UP_AFTER_SECONDS: '600',
    };

    // Act
    const config = loadConfig(env);

    // Assess
    expect(config).toMatchObject({
      auditSource: 'shop.concord',
      resolveIn: 'origin',
      concurrency: 64,
      maxWriteAttempts: 3,
      maxPublishAttempts: 7,
      retryBaseMs: 10,
      retryMaxMs: 500,
      payloadBucket: 'concord-payloads-prod-123456789012-eu-west-1',
      quarantineMaxMessageBytes: 1_048_576,
      requestTimeoutMs: 2_000,
      deadlineReserveMs: 15_000,
      giveUpAfterSeconds: 600,
    });
  });

  it('accepts an event bus ARN', () => {
    // Prepare
    const arn = 'arn:aws:events:eu-west-1:123456789012:event-bus/concord-audit-prod';

    // Act
    const config = loadConfig({ ...VALID, CONCORD_AUDIT_BUS: arn });

    // Assess
    expect(config.auditBus).toBe(arn);
  });

  it.each(['CONCORD_TABLE', 'AWS_REGION', 'CONCORD_AUDIT_BUS', 'CONCORD_QUARANTINE_QUEUE_URL'])('names the missing required variable %s', (variable) => {
    // Act
    const error = configError({ ...VALID, [variable]: undefined });

    // Assess
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(`invalid configuration: ${variable} is required but not set`);
  });

  it('treats an empty variable as unset', () => {
    // Act
    const error = configError({ ...VALID, CONCORD_TABLE: '  ' });

    // Assess
    expect(error.variable).toBe('CONCORD_TABLE');
  });

  it.each([
    ['CONCORD_TABLE', 'ab', 'must be a DynamoDB table name'],
    ['AWS_REGION', 'eu west 1', 'must be a region name'],
    ['CONCORD_AUDIT_BUS', 'bus with spaces', 'must be an event bus name or ARN'],
    ['CONCORD_AUDIT_SOURCE', 'aws.concord', 'reserved for AWS services'],
    ['CONCORD_QUARANTINE_QUEUE_URL', 'concord-quarantine', 'must be an http(s) SQS queue URL'],
    ['CONCORD_RESOLVE_IN', 'everywhere', 'must be one of any, origin'],
    ['CONCORD_CONCURRENCY', '0', 'must be a whole number from 1 to 100'],
    ['CONCORD_CONCURRENCY', '101', 'must be a whole number from 1 to 100'],
    ['CONCORD_CONCURRENCY', '2.5', 'must be a whole number from 1 to 100'],
    ['CONCORD_MAX_WRITE_ATTEMPTS', 'five', 'must be a whole number from 1 to 20'],
    ['CONCORD_MAX_PUBLISH_ATTEMPTS', '21', 'must be a whole number from 1 to 20'],
    ['CONCORD_RETRY_BASE_MS', '-1', 'must be a whole number from 0 to 10000'],
    ['CONCORD_PAYLOAD_BUCKET', 'Payloads_Bucket', 'must be an S3 bucket name'],
    ['CONCORD_QUARANTINE_MAX_MESSAGE_BYTES', '2097152', 'must be a whole number from 1024 to 1048576'],
    ['CONCORD_REQUEST_TIMEOUT_MS', '50', 'must be a whole number from 100 to 60000'],
    ['CONCORD_DEADLINE_RESERVE_MS', 'soon', 'must be a whole number from 0 to 300000'],
    ['CONCORD_GIVE_UP_AFTER_SECONDS', '90000', 'must be a whole number from 60 to 86400'],
  ])('rejects %s=%j naming the variable and the reason', (variable, value, reason) => {
    // Act
    const error = configError({ ...VALID, [variable]: value });

    // Assess
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(reason);
    expect(error.message).toContain(JSON.stringify(value));
  });

  it('rejects a backoff cap below the base', () => {
    // Act
    const error = configError({ ...VALID, CONCORD_RETRY_BASE_MS: '200', CONCORD_RETRY_MAX_MS: '100' });

    // Assess
    expect(error.variable).toBe('CONCORD_RETRY_MAX_MS');
  });
});
