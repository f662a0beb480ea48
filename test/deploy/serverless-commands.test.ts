/**
 * The serverless commands of a newcomer's path, run for real (osls, offline):
 * `invoke local` that stops, with a readable error, on a bad variable, a bad rules file
 * or a stopped local stack; a custom TypeScript rules file named relative to the
 * project root; `package` for another stage in a terminal that holds `npm run local`'s
 * exports; and a rules file shipped with the package.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../local';
import { packageService } from '../helpers/cloudformation';
import { strictRules } from '../helpers/resolver-rules';
import { conflictRecord, stockConflict, streamEvent, Writers } from '../helpers/resolver-records';
import { runServerless, type CommandResult } from '../helpers/serverless';

/** Enough for `invoke local` to bundle and run, far less than "never exits". */
const SECONDS_TO_EXIT = 45_000;
const QUEUE_URL = 'http://127.0.0.1:8020/000000000000/concord-quarantine-dev';
/** The exports of `npm run local` that have no deploy-time value `invoke local` could use. */
const LOCAL_NAMES = { CONCORD_QUARANTINE_QUEUE_URL: QUEUE_URL, CONCORD_PAYLOAD_BUCKET: 'concord-payloads-dev' };

function invokeLocal(eventFile: string, env: Record<string, string>): Promise<CommandResult> {
  return runServerless(['invoke', 'local', '-f', 'resolver', '-p', eventFile], env, SECONDS_TO_EXIT);
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('serverless invoke local', () => {
  it('stops at once, naming the variable and the error class, when a CONCORD_* value is bad', async () => {
    // Act
    const result = await invokeLocal('events/skip-successor.json', { ...LOCAL_NAMES, CONCORD_CONCURRENCY: 'lots' });

    // Assess
    expect({ hung: result.hung, failed: result.code !== 0 }).toEqual({ hung: false, failed: true });
    expect(result.stdout + result.stderr).toContain('ConfigurationError: invalid configuration: CONCORD_CONCURRENCY must be a whole number from 1 to 100, got "lots"');
  });

  it('stops at once with the rules\' own error when the rules file (relative to the project root) is invalid', async () => {
    // Act
    const result = await invokeLocal('events/skip-successor.json', { ...LOCAL_NAMES, CONCORD_RULES: 'test/helpers/resolver-invalid-rules.ts' });

    // Assess
    expect({ hung: result.hung, failed: result.code !== 0 }).toEqual({ hung: false, failed: true });
    expect(result.stdout + result.stderr).toContain('ConfigurationError: invalid configuration: CONCORD_RULES');
    expect(result.stdout + result.stderr).toContain('unknown rule kind "sum"');
  });

  it('exits non-zero, the error class named, when the local stack is not running', async () => {
    // Prepare
    const port = await closedPort();
    const down = `http://127.0.0.1:${port}`;

    // Act
    const result = await invokeLocal('events/conflict-stock-counter.json', { ...LOCAL_NAMES, AWS_ENDPOINT_URL_DYNAMODB: down, AWS_ENDPOINT_URL_SQS: down, AWS_ENDPOINT_URL_EVENTBRIDGE: down, AWS_ENDPOINT_URL_S3: down, CONCORD_QUARANTINE_QUEUE_URL: `${down}/000000000000/concord-quarantine-dev` });

    // Assess
    expect({ hung: result.hung, code: result.code }).toEqual({ hung: false, code: 1 });
    expect(JSON.parse(result.stdout.slice(result.stdout.indexOf('{')))).toMatchObject({ errorType: 'EndpointUnreachableError', errorMessage: expect.stringContaining('ECONNREFUSED') });
  });

  describe('against the local stack', () => {
    let stack: LocalStack;
    let folder: string;

    beforeAll(async () => {
      stack = await startLocalStack({ ports: { dynamodb: 0, eventbridge: 0, sqs: 0, s3: 0 } });
      folder = mkdtempSync(join(tmpdir(), 'concord-invoke-'));
    });

    afterAll(async () => {
      await stack.close();
      rmSync(folder, { recursive: true, force: true });
    });

    it('merges with a TypeScript rules file named relative to the project root', async () => {
      // Prepare: the strict test rules publish no values; the example rules would.
      const versions = stockConflict(new Writers(strictRules, Date.now()), 'STOCK#77');
      await stack.dynamo.call('PutItem', { TableName: 'concord-dev', Item: versions.remote });
      const eventFile = join(folder, 'conflict.json');
      writeFileSync(eventFile, JSON.stringify(streamEvent(conflictRecord(versions, 1))));

      // Act
      const result = await invokeLocal(eventFile, { ...stack.env, CONCORD_RULES: 'test/helpers/resolver-rules.ts' });

      // Assess
      expect({ code: result.code, response: JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) }).toEqual({ code: 0, response: { batchItemFailures: [] } });
      const [event] = stack.eventBridge.events({ name: 'concord-audit-central-dev' }).map((received) => received.event);
      expect(event?.detail).toMatchObject({ outcome: 'resolved', attributes: { onHand: { rule: 'counter', outcome: 'merged' } } });
      expect((event?.detail.attributes as { onHand: object }).onHand).not.toHaveProperty('values');
    });
  });
});

describe('serverless package for a stage other than dev', () => {
  it('ignores the local exports of the shell, and says so', async () => {
    // Prepare: what `npm run local` printed.
    const exports = { CONCORD_TABLE: 'concord-dev', CONCORD_QUARANTINE_QUEUE_URL: QUEUE_URL, CONCORD_PAYLOAD_BUCKET: 'concord-payloads-dev', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' };

    // Act
    const { template, stderr } = await packageService({ region: 'us-east-1', stage: 'prod', env: exports });

    // Assess
    const variables = (template.Resources.ResolverLambdaFunction?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.CONCORD_TABLE).toBe('concord-prod');
    expect(JSON.stringify(template)).not.toMatch(/127\.0\.0\.1|concord-dev\b|concord-payloads-dev/);
    expect(stderr).toContain("stage prod ignores the shell's AWS_ENDPOINT_URL_DYNAMODB, CONCORD_PAYLOAD_BUCKET, CONCORD_QUARANTINE_QUEUE_URL, CONCORD_TABLE");
  });

  it('bundles the rules file named by the rules param into the resolver\'s package', async () => {
    // Act
    const { template, resolverFiles } = await packageService({ region: 'us-east-1', stage: 'prod', params: ['rules=test/helpers/resolver-rules.ts'] });

    // Assess
    const variables = (template.Resources.ResolverLambdaFunction?.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.CONCORD_RULES).toBe('dist/rules/resolver-rules.js');
    expect(resolverFiles).toContain('dist/rules/resolver-rules.js');
  });
});
