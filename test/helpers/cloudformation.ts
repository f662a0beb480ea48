/**
 * Reading the CloudFormation template that `serverless package` writes, as a given
 * region would get it: conditions evaluated for that region, conditional resources
 * dropped, `Fn::If` resolved and `AWS::NoValue` removed. Packaging runs the real
 * `serverless` (osls) offline, with dummy credentials and no instance metadata.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { withServerlessLock } from './serverless-lock';
import { zipEntries } from './zip';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Resource {
  readonly Type: string;
  readonly Condition?: string;
  readonly DependsOn?: string | string[];
  readonly Properties?: JsonObject;
}

export interface Template {
  readonly Conditions?: Record<string, Json>;
  readonly Resources: Record<string, Resource>;
}

export interface PackagedService {
  readonly region: string;
  readonly template: Template;
  /** The files in the resolver's package. */
  readonly resolverFiles: string[];
  /** What serverless wrote to stderr (notes of the package-time scripts). */
  readonly stderr: string;
}

const ROOT = join(__dirname, '..', '..');
const SERVERLESS = join(ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');

/** An environment in which `serverless` cannot reach AWS and does not try. */
export function offlineEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('CONCORD_') || name.startsWith('AWS_')) delete env[name];
  return { ...env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_EC2_METADATA_DISABLED: 'true', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
}

/**
 * Runs `serverless package --stage <stage> --region <region> --package <tmp>` and
 * returns the update-stack template and what the resolver's zip holds. Each call
 * packages into its own directory; serverless also keeps state in the service's
 * `.serverless/`, so calls take the checkout's serverless lock. `env` is added to the
 * offline environment (a shell's local exports, say).
 *
 * @example
 * const { template } = await packageService({ region: 'eu-west-1', params: ['regions=eu-west-1,us-east-1'] });
 */
export async function packageService(options: { region: string; stage?: string; params?: readonly string[]; env?: Record<string, string> }): Promise<PackagedService> {
  const dir = mkdtempSync(join(tmpdir(), `concord-package-${options.region}-`));
  const args = [SERVERLESS, 'package', '--stage', options.stage ?? 'test', '--region', options.region, '--package', dir, ...(options.params ?? []).flatMap((param) => ['--param', param])];
  try {
    const run = () => promisify(execFile)(process.execPath, args, { cwd: ROOT, env: { ...offlineEnvironment(), ...options.env }, maxBuffer: 16 * 1024 * 1024 });
    const { stderr } = await withServerlessLock(run).catch((error: Error & { stdout?: string; stderr?: string }) => {
      throw new Error(`serverless package --region ${options.region} failed:\n${error.stderr ?? ''}${error.stdout ?? ''}`, { cause: error });
    });
    const template = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Template;
    return { region: options.region, template, resolverFiles: zipEntries(join(dir, 'resolver.zip')), stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `serverless print --path <path>` for the stage: the configuration as `serverless`
 * resolves it (for instance what `invoke local` will run with), given `env` on top of
 * the offline environment.
 *
 * @example
 * await printConfiguration('functions.resolver.environment', { CONCORD_RESOLVE_IN: 'origin' });
 */
export async function printConfiguration(path: string, env: Record<string, string> = {}, stage = 'dev'): Promise<Json> {
  const { stdout } = await withServerlessLock(() => promisify(execFile)(process.execPath, [SERVERLESS, 'print', '--stage', stage, '--path', path, '--format', 'json'], { cwd: ROOT, env: { ...offlineEnvironment(), ...env } }));
  return JSON.parse(stdout) as Json;
}

/** The value of every condition of the template in `region`. */
export function conditionsIn(template: Template, region: string): Map<string, boolean> {
  const values = new Map<string, boolean>();
  const evaluate = (name: string): boolean => {
    const known = values.get(name);
    if (known !== undefined) return known;
    const expression = template.Conditions?.[name];
    if (expression === undefined) throw new Error(`unknown condition ${name}`);
    const value = evaluateCondition(expression, region, evaluate);
    values.set(name, value);
    return value;
  };
  for (const name of Object.keys(template.Conditions ?? {})) evaluate(name);
  return values;
}

function evaluateCondition(expression: Json, region: string, condition: (name: string) => boolean): boolean {
  const object = expression as JsonObject;
  const [fn, args] = Object.entries(object)[0] ?? [];
  const list = args as Json[];
  switch (fn) {
    case 'Fn::Equals':
      return JSON.stringify(scalar(list[0] as Json, region)) === JSON.stringify(scalar(list[1] as Json, region));
    case 'Fn::Not':
      return !evaluateCondition(list[0] as Json, region, condition);
    case 'Fn::And':
      return list.every((item) => evaluateCondition(item, region, condition));
    case 'Fn::Or':
      return list.some((item) => evaluateCondition(item, region, condition));
    case 'Condition':
      return condition(args as string);
    default:
      throw new Error(`condition function ${String(fn)} is not supported by this reader`);
  }
}

function scalar(value: Json, region: string): Json {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && value.Ref === 'AWS::Region') return region;
  return value;
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * The resources `region` gets, with `Fn::If` resolved and `AWS::NoValue` removed.
 *
 * @example
 * const resources = resourcesIn(template, 'eu-west-1');
 * resources.ConcordTable; // undefined outside the primary region
 */
export function resourcesIn(template: Template, region: string): Record<string, Resource> {
  const conditions = conditionsIn(template, region);
  const resolve = (value: Json): Json | typeof NO_VALUE => {
    if (Array.isArray(value)) return value.map(resolve).filter((item): item is Json => item !== NO_VALUE);
    if (value === null || typeof value !== 'object') return value;
    if (value.Ref === 'AWS::NoValue') return NO_VALUE;
    const branches = value['Fn::If'];
    if (Array.isArray(branches)) return resolve((conditions.get(branches[0] as string) ? branches[1] : branches[2]) as Json);
    const resolved: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const next = resolve(item);
      if (next !== NO_VALUE) resolved[key] = next;
    }
    return resolved;
  };
  const result: Record<string, Resource> = {};
  for (const [name, resource] of Object.entries(template.Resources)) {
    if (resource.Condition !== undefined && conditions.get(resource.Condition) !== true) continue;
    result[name] = resolve(resource as unknown as Json) as unknown as Resource;
  }
  return result;
}

/** The resources of one type, by logical id. */
export function ofType(resources: Record<string, Resource>, type: string): Record<string, Resource> {
  return Object.fromEntries(Object.entries(resources).filter(([, resource]) => resource.Type === type));
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: Json;
  readonly Principal?: Json;
  readonly Condition?: Json;
}

/** Every IAM statement of every role (inline policies) and managed/inline policy resource, with its owner. */
export function iamStatements(resources: Record<string, Resource>): { owner: string; statement: PolicyStatement }[] {
  const found: { owner: string; statement: PolicyStatement }[] = [];
  const collect = (owner: string, document: Json | undefined) => {
    const statements = (document as { Statement?: PolicyStatement | PolicyStatement[] } | undefined)?.Statement;
    for (const statement of [statements ?? []].flat()) found.push({ owner, statement });
  };
  for (const [name, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::IAM::Role') for (const policy of (resource.Properties?.Policies as JsonObject[] | undefined) ?? []) collect(`${name}/${String(policy.PolicyName)}`, policy.PolicyDocument);
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') collect(name, resource.Properties?.PolicyDocument);
  }
  return found;
}

/** `value` as a list (IAM and CloudFormation accept one value or a list). */
export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
