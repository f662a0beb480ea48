/**
 * scripts/deploy.ts: the order of the regions, the flags passed to each `serverless
 * deploy`, argument errors (exit 2), stopping at the first failure, and keeping
 * local overrides away from AWS. The command line runs as a child process with
 * `--dry-run`; nothing is deployed.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeployUsageError, deployCommands, deployEnvironment, deployOrder, parseDeployArgs, resolveTopology, runInOrder } from '../../scripts/deploy';
import { readTopology } from '../../resources/topology';
import { offlineEnvironment } from '../helpers/cloudformation';

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** Runs `npm run deploy -- <args>` (tsx scripts/deploy.ts) and returns its exit code and output. */
async function deployCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [TSX, join(ROOT, 'scripts', 'deploy.ts'), ...args], { cwd: ROOT, env: offlineEnvironment() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const topology = { regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2', 'sa-east-1'], primaryRegion: 'us-east-1', auditRegion: 'ap-southeast-2' };

describe('deploy order', () => {
  it('deploys the audit region first, then the primary, then the others in listed order', () => {
    // Act
    const order = deployOrder(topology);

    // Assess
    expect(order).toEqual(['ap-southeast-2', 'us-east-1', 'eu-west-1', 'sa-east-1']);
  });

  it('deploys a region that is both audit and primary once', () => {
    // Act
    const order = deployOrder({ ...topology, auditRegion: 'us-east-1' });

    // Assess
    expect(order).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1']);
  });
});

describe('deploy commands', () => {
  it('pass the stage, the region and the whole topology to every serverless deploy, then extra params', () => {
    // Prepare
    const options = parseDeployArgs(['--stage', 'prod', '--param', 'batchSize=50']);

    // Act
    const [first] = deployCommands(options, topology);

    // Assess
    expect(first).toEqual([
      'deploy', '--stage', 'prod', '--region', 'ap-southeast-2',
      '--param', 'regions=eu-west-1,us-east-1,ap-southeast-2,sa-east-1',
      '--param', 'primaryRegion=us-east-1',
      '--param', 'auditRegion=ap-southeast-2',
      '--param', 'batchSize=50',
    ]);
  });

  it('stop at the first region that fails and skip the rest', () => {
    // Prepare
    const commands = deployCommands(parseDeployArgs(['--stage', 'prod']), topology);
    const ran: string[] = [];

    // Act
    const outcome = runInOrder(commands, (args) => {
      ran.push(args[4] as string);
      return args[4] === 'us-east-1' ? 3 : 0;
    });

    // Assess
    expect(ran).toEqual(['ap-southeast-2', 'us-east-1']);
    expect(outcome).toEqual({ deployed: ['ap-southeast-2'], failed: 'us-east-1', skipped: ['eu-west-1', 'sa-east-1'], status: 3 });
  });

  it('keep the local overrides that npm run local prints out of serverless\'s environment', () => {
    // Act
    const { env, removed } = deployEnvironment({ PATH: '/bin', CONCORD_QUARANTINE_QUEUE_URL: 'http://127.0.0.1:1/q', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:2', AWS_PROFILE: 'prod' });

    // Assess
    expect(env).toEqual({ PATH: '/bin', AWS_PROFILE: 'prod' });
    expect(removed).toEqual(['AWS_ENDPOINT_URL_DYNAMODB', 'CONCORD_QUARANTINE_QUEUE_URL']);
  });
});

describe('npm run deploy -- --dry-run', () => {
  it('prints one serverless deploy per region of serverless.yml\'s defaults, in deploy order', async () => {
    // Act
    const { code, stdout } = await deployCli(['--stage', 'prod', '--dry-run']);

    // Assess
    expect(code).toBe(0);
    const topologyFlags = '--param regions=us-east-1,eu-west-1,ap-southeast-2 --param primaryRegion=us-east-1 --param auditRegion=us-east-1';
    expect(stdout.trim().split('\n')).toEqual([
      `npx serverless deploy --stage prod --region us-east-1 ${topologyFlags}`,
      `npx serverless deploy --stage prod --region eu-west-1 ${topologyFlags}`,
      `npx serverless deploy --stage prod --region ap-southeast-2 ${topologyFlags}`,
    ]);
  });

  it('follows --regions, --primary-region and --audit-region', async () => {
    // Act
    const { code, stdout } = await deployCli(['--stage', 'prod', '--regions', 'eu-west-1,us-east-1', '--primary-region', 'eu-west-1', '--audit-region', 'us-east-1', '--dry-run']);

    // Assess
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((line) => line.split(' --param')[0])).toEqual(['npx serverless deploy --stage prod --region us-east-1', 'npx serverless deploy --stage prod --region eu-west-1']);
  });

  it('rejects a bad command line with exit 2, saying what is wrong and how to call it', async () => {
    // Act
    const { code, stdout, stderr } = await deployCli(['--stage', 'prod', '--region', 'eu-west-1']);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown argument "--region"');
    expect(stderr).toContain('usage: npm run deploy -- --stage <stage>');
  });
});

describe('deploy arguments', () => {
  it.each([
    [['--dry-run'], '--stage is required'],
    [['--stage', 'prod', '--region', 'eu-west-1'], 'unknown argument "--region"'],
    [['--stage', 'prod', '--regions'], '--regions needs a value'],
    [['--stage', 'prod', '--stage', 'dev'], '--stage is given twice'],
    [['--stage', 'prod', '--param', 'regions=us-east-1'], 'is set by this script: use --regions'],
    [['--stage', 'prod', '--param', 'batchSize'], 'is not key=value'],
    [['--stage', 'pr od'], 'may only hold letters, digits and hyphens'],
    [['--stage', 'prod', '--regions', 'eu-west-1', '--primary-region', 'us-east-1', '--audit-region', 'eu-west-1'], 'primaryRegion us-east-1 is not one of the regions (eu-west-1)'],
    [['--stage', 'prod', '--regions', 'eu-west-1,Mars', '--primary-region', 'eu-west-1', '--audit-region', 'eu-west-1'], '"Mars", which is not a region name'],
    [['--stage', 'prod', '--regions', 'eu-west-1,eu-west-1', '--primary-region', 'eu-west-1', '--audit-region', 'eu-west-1'], 'lists a region twice'],
  ])('reject %j as a usage error', (args, message) => {
    // Act
    const act = () => resolveTopology(parseDeployArgs(args), {});

    // Assess
    expect(act).toThrow(DeployUsageError);
    expect(act).toThrow(message);
  });
});

describe('package-time topology', () => {
  it('refuses to package a region that is not one of the regions', async () => {
    // Prepare
    const variables: Record<string, string> = { 'param:regions': 'us-east-1,eu-west-1', 'param:primaryRegion': 'us-east-1', 'param:auditRegion': 'us-east-1', 'self:provider.region': 'ap-southeast-2' };

    // Act
    const read = readTopology(async (name) => variables[name]);

    // Assess
    await expect(read).rejects.toThrow('the deploy region ap-southeast-2 is not one of the regions (us-east-1,eu-west-1)');
  });
});
