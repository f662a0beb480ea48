/**
 * `npm run deploy -- --stage prod [--regions a,b,c] [--primary-region r]
 * [--audit-region r] [--param key=value]... [--dry-run]`
 *
 * Deploys Concord to every region, one `serverless deploy` per region, in the order
 * the stacks depend on each other, and stops at the first failure:
 *   1. the audit region: the central audit bus exists before any forwarding rule targets it;
 *   2. the primary region: the table key, its replicas and the global table with a
 *      replica in every region;
 *   3. every other region: its resolver on the replica stream that step 2 created.
 * Regions not given on the command line come from serverless.yml's `params`.
 * `--dry-run` prints the commands instead of running them.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { validateTopology, type Topology } from '../resources/topology';

export interface DeployOptions {
  readonly stage: string;
  readonly regions?: string;
  readonly primaryRegion?: string;
  readonly auditRegion?: string;
  /** Extra `--param key=value` passed to every `serverless deploy`. */
  readonly params: readonly string[];
  readonly dryRun: boolean;
}

/** A command line that cannot be run; `main` prints it with the usage and exits 2. */
export class DeployUsageError extends Error {
  override readonly name = 'DeployUsageError';
}

const USAGE = 'usage: npm run deploy -- --stage <stage> [--regions a,b,c] [--primary-region r] [--audit-region r] [--param key=value]... [--dry-run]';
const STAGE = /^[a-zA-Z0-9-]+$/;
/** Parameters this script sets itself from the topology. */
const TOPOLOGY_PARAMS = ['regions', 'primaryRegion', 'auditRegion'];

/**
 * Parses the script's arguments (what follows `npm run deploy --`).
 *
 * @example
 * parseDeployArgs(['--stage', 'prod', '--dry-run']);
 * // { stage: 'prod', params: [], dryRun: true }
 */
export function parseDeployArgs(argv: readonly string[]): DeployOptions {
  const values = new Map<string, string>();
  const params: string[] = [];
  let dryRun = false;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i] as string;
    if (flag === '--dry-run') {
      dryRun = true;
      continue;
    }
    if (!['--stage', '--regions', '--primary-region', '--audit-region', '--param'].includes(flag)) throw new DeployUsageError(`unknown argument "${flag}"`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) throw new DeployUsageError(`${flag} needs a value`);
    i += 1;
    if (flag === '--param') {
      const name = value.split('=')[0] ?? '';
      if (!/^[A-Za-z][\w-]*=./.test(value)) throw new DeployUsageError(`--param "${value}" is not key=value`);
      if (TOPOLOGY_PARAMS.includes(name)) throw new DeployUsageError(`--param ${name}=... is set by this script: use --${name === 'regions' ? 'regions' : name.replace('Region', '-region')}`);
      params.push(value);
    } else if (values.has(flag)) {
      throw new DeployUsageError(`${flag} is given twice`);
    } else {
      values.set(flag, value);
    }
  }
  const stage = values.get('--stage');
  if (stage === undefined) throw new DeployUsageError('--stage is required');
  if (!STAGE.test(stage)) throw new DeployUsageError(`--stage "${stage}" may only hold letters, digits and hyphens`);
  return { stage, regions: values.get('--regions'), primaryRegion: values.get('--primary-region'), auditRegion: values.get('--audit-region'), params, dryRun };
}

/**
 * The order in which regions are deployed: audit, primary, then the others in the
 * order listed (a region that is both audit and primary is deployed once).
 *
 * @example
 * deployOrder({ regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'], primaryRegion: 'eu-west-1', auditRegion: 'us-east-1' });
 * // ['us-east-1', 'eu-west-1', 'ap-southeast-2']
 */
export function deployOrder(topology: Topology): string[] {
  return [...new Set([topology.auditRegion, topology.primaryRegion, ...topology.regions])];
}

/**
 * The `serverless` arguments of each deploy, in order.
 *
 * @example
 * deployCommands({ stage: 'prod', params: [], dryRun: false }, topology)[0];
 * // ['deploy', '--stage', 'prod', '--region', 'us-east-1', '--param', 'regions=us-east-1,eu-west-1', ...]
 */
export function deployCommands(options: DeployOptions, topology: Topology): string[][] {
  const topologyParams = [`regions=${topology.regions.join(',')}`, `primaryRegion=${topology.primaryRegion}`, `auditRegion=${topology.auditRegion}`];
  const params = [...topologyParams, ...options.params].flatMap((param) => ['--param', param]);
  return deployOrder(topology).map((region) => ['deploy', '--stage', options.stage, '--region', region, ...params]);
}

type ConfiguredParams = Record<string, Record<string, unknown> | undefined>;

/**
 * The topology for `options`: command-line values first, then the stage's params in
 * serverless.yml, then its defaults. Throws {@link DeployUsageError} when invalid.
 */
export function resolveTopology(options: DeployOptions, configured: ConfiguredParams): Topology {
  const pick = (flag: string | undefined, name: string): string => String(flag ?? configured[options.stage]?.[name] ?? configured.default?.[name] ?? '');
  try {
    return validateTopology({ regions: pick(options.regions, 'regions'), primaryRegion: pick(options.primaryRegion, 'primaryRegion'), auditRegion: pick(options.auditRegion, 'auditRegion') });
  } catch (error) {
    throw new DeployUsageError(error instanceof Error ? error.message : String(error));
  }
}

const SERVERLESS = join(__dirname, '..', 'node_modules', 'osls', 'bin', 'serverless.js');

/** serverless.yml's `params` (every stage), read offline with `serverless print`. */
function readConfiguredParams(env: NodeJS.ProcessEnv): ConfiguredParams {
  const result = spawnSync(process.execPath, [SERVERLESS, 'print', '--path', 'params', '--format', 'json'], { cwd: join(__dirname, '..'), env, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`serverless print failed:\n${result.stderr}${result.stdout}`);
  return JSON.parse(result.stdout) as ConfiguredParams;
}

/**
 * The environment for `serverless`: without the local-only overrides that `npm run
 * local` prints (CONCORD_* would override the deployed function's settings, and
 * AWS_ENDPOINT_URL_* would send SDK calls to 127.0.0.1).
 */
export function deployEnvironment(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; removed: string[] } {
  const removed = Object.keys(env).filter((name) => name.startsWith('CONCORD_') || name.startsWith('AWS_ENDPOINT_URL')).sort();
  const clean = { ...env };
  for (const name of removed) delete clean[name];
  return { env: clean, removed };
}

/** Quotes an argument for display the way a POSIX shell would need it. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function main(argv: readonly string[]): number {
  let options: DeployOptions;
  let topology: Topology;
  const { env, removed } = deployEnvironment(process.env);
  try {
    options = parseDeployArgs(argv);
    const complete = options.regions !== undefined && options.primaryRegion !== undefined && options.auditRegion !== undefined;
    topology = resolveTopology(options, complete ? {} : readConfiguredParams(env));
  } catch (error) {
    if (!(error instanceof DeployUsageError)) throw error;
    console.error(`deploy: ${error.message}\n${USAGE}`);
    return 2;
  }
  const commands = deployCommands(options, topology);
  if (options.dryRun) {
    for (const args of commands) console.log(['npx', 'serverless', ...args].map(shellQuote).join(' '));
    return 0;
  }
  if (removed.length > 0) console.log(`deploy: not passing local overrides to serverless: ${removed.join(', ')}`);
  const outcome = runInOrder(commands, (args, step) => {
    console.log(`\ndeploy: [${step + 1}/${commands.length}] ${regionOf(args)} (stage ${options.stage})`);
    return spawnSync(process.execPath, [SERVERLESS, ...args], { stdio: 'inherit', env }).status ?? 1;
  });
  if (outcome.failed !== undefined) {
    console.error(`deploy: ${outcome.failed} failed${outcome.skipped.length > 0 ? `; not deployed: ${outcome.skipped.join(', ')}` : ''}`);
    return outcome.status;
  }
  console.log(`\ndeploy: stage ${options.stage} deployed to ${outcome.deployed.join(', ')}`);
  return 0;
}

/** What {@link runInOrder} did: the regions deployed, and the one that failed with the rest skipped. */
export interface DeployOutcome {
  readonly deployed: string[];
  readonly failed?: string;
  readonly skipped: string[];
  /** Exit status of the failed command, 0 when all succeeded. */
  readonly status: number;
}

/**
 * Runs the deploy commands one after another with `run` (which returns an exit
 * status) and stops at the first that fails: a later region depends on the earlier.
 *
 * @example
 * runInOrder(deployCommands(options, topology), (args) => spawnSync('npx', ['serverless', ...args]).status ?? 1);
 */
export function runInOrder(commands: readonly string[][], run: (args: string[], step: number) => number): DeployOutcome {
  const deployed: string[] = [];
  for (const [step, args] of commands.entries()) {
    const status = run(args, step);
    if (status !== 0) return { deployed, failed: regionOf(args), skipped: commands.slice(step + 1).map(regionOf), status };
    deployed.push(regionOf(args));
  }
  return { deployed, skipped: [], status: 0 };
}

/** The `--region` of a deploy command. */
function regionOf(args: readonly string[]): string {
  return args[args.indexOf('--region') + 1] ?? '';
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
