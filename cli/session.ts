/**
 * One command run: its parsed arguments, the process's environment, and what they
 * settle (table, region, rules, endpoints, AWS clients), each read once and on first
 * use, so that a command asks only for what it needs and a missing setting is named.
 * Flags take precedence over the environment the resolver reads (`CONCORD_*`, `AWS_*`).
 */
import { isAbsolute, resolve } from 'node:path';
import { userInfo } from 'node:os';
import exampleRules from '../rules/example';
import { CommandLineError, ConfigurationError } from '../shared/errors';
import { loadConfig, loadRulesModule, type ResolverConfig } from '../shared/resolver';
import type { AttributeMap } from '../shared/dynamodb/attribute-value';
import type { RuleSet } from '../shared/rules/types';
import type { Arguments } from './args';
import { AwsClients } from './clients';
import { parseKeyArgument } from './key-argument';
import type { CliIo } from './io';
import { progressBar, type Progress, type ProgressOptions } from './progress';

/** A rule set and where it came from (a path, or `example rules`). */
export interface LoadedRules {
  readonly rules: RuleSet;
  readonly source: string;
}

const ENDPOINT = /^([A-Za-z0-9_-]+)=(https?:\/\/\S+)$/;

/** One command run. */
export class Session {
  private loadedClients?: AwsClients;
  private loadedRules?: LoadedRules;

  constructor(
    readonly args: Arguments,
    readonly io: CliIo,
  ) {}

  /** True with `--json`: results as one JSON document, no progress bars. */
  get json(): boolean {
    return this.args.flag('json');
  }

  /**
   * The table: `--table`, else `CONCORD_TABLE`.
   *
   * @throws ConfigurationError when neither is set
   */
  table(): string {
    return this.setting('table', 'CONCORD_TABLE');
  }

  /**
   * The region the command works in: `--region`, else `AWS_REGION` (or `AWS_DEFAULT_REGION`).
   *
   * @throws ConfigurationError when none is set
   */
  region(): string {
    return this.args.string('region') ?? nonEmpty(this.io.env.AWS_REGION) ?? nonEmpty(this.io.env.AWS_DEFAULT_REGION) ?? this.required('AWS_REGION', '--region');
  }

  /**
   * The rules: `--rules`, else `CONCORD_RULES`, else the example rules.
   *
   * @throws ConfigurationError naming the flag or variable when the module cannot be loaded
   */
  rules(): LoadedRules {
    this.loadedRules ??= this.rulesNamedBy('rules');
    return this.loadedRules;
  }

  /**
   * The rules the flag `--<flag>` names, else `CONCORD_RULES`, else the example rules.
   *
   * @throws ConfigurationError naming the flag or variable when the module cannot be loaded
   */
  rulesNamedBy(flag: string): LoadedRules {
    const path = this.args.string(flag);
    if (path !== undefined) return this.rulesModule(path, `--${flag}`);
    const variable = nonEmpty(this.io.env.CONCORD_RULES);
    if (variable !== undefined) return { rules: loadRulesModule(this.path(variable), 'CONCORD_RULES'), source: variable };
    return { rules: exampleRules, source: 'example rules (rules/example.ts)' };
  }

  /**
   * Loads a rules module named by a flag, a path relative to the working directory.
   *
   * @throws ConfigurationError naming `flag` when the module cannot be loaded or exports no rule set
   */
  rulesModule(path: string, flag: string): LoadedRules {
    return { rules: loadRulesModule(this.path(path), flag), source: path };
  }

  /**
   * The item key the positional arguments name, under the rules' key attributes.
   *
   * @throws CommandLineError naming `<key>` when they do not make exactly the table's key
   */
  itemKey(): AttributeMap {
    return parseKeyArgument(this.args.positionals, this.rules().rules.table);
  }

  /**
   * DynamoDB endpoints by region, from `--endpoint R=URL`.
   *
   * @throws CommandLineError for a value that is not `region=url`
   */
  endpoints(): ReadonlyMap<string, string> {
    const endpoints = new Map<string, string>();
    for (const value of this.args.strings('endpoint')) {
      const match = ENDPOINT.exec(value);
      if (match === null) throw new CommandLineError('--endpoint', `expected REGION=URL such as us-east-1=http://127.0.0.1:8000, got ${JSON.stringify(value)}`);
      endpoints.set(match[1] as string, match[2] as string);
    }
    return endpoints;
  }

  /** The AWS clients of this run, in its region. */
  clients(): AwsClients {
    this.loadedClients ??= new AwsClients(this.region(), this.endpoints());
    return this.loadedClients;
  }

  /**
   * The resolver's configuration for this table and region, from the resolver's own
   * variables (`CONCORD_AUDIT_BUS`, `CONCORD_QUARANTINE_QUEUE_URL`, …), validated as the
   * resolver validates them.
   *
   * @throws ConfigurationError naming the variable that is missing or wrong
   */
  resolverConfig(): ResolverConfig {
    return loadConfig({ ...this.io.env, CONCORD_TABLE: this.table(), AWS_REGION: this.region() });
  }

  /**
   * A value from a flag or, failing that, an environment variable.
   *
   * @throws ConfigurationError naming both when neither is set
   */
  setting(flag: string, variable: string, fallback?: string): string {
    return this.optionalSetting(flag, variable) ?? fallback ?? this.required(variable, `--${flag}`);
  }

  /** A value from a flag or an environment variable, or undefined when neither is set. */
  optionalSetting(flag: string, variable: string): string | undefined {
    return this.args.string(flag) ?? nonEmpty(this.io.env[variable]);
  }

  /** Who runs the command, for audit events: `--operator`, `CONCORD_OPERATOR`, else the login name. */
  operator(): string {
    return this.args.string('operator') ?? nonEmpty(this.io.env.CONCORD_OPERATOR) ?? nonEmpty(this.io.env.USER) ?? userInfo().username;
  }

  /** A path given on the command line, made absolute against the working directory. */
  path(path: string): string {
    return isAbsolute(path) ? path : resolve(this.io.cwd, path);
  }

  /** A progress bar on stderr, drawn only for a person (a terminal, without `--json`). */
  progress(label: string, options: Omit<ProgressOptions, 'enabled' | 'now'> = {}): Progress {
    return progressBar(this.io.stderr, label, { ...options, enabled: this.io.stderr.isTTY === true && !this.json, now: this.io.now });
  }

  /** A remark for a person, on stderr (never with `--json`, whose stdout is for machines and stderr stays quiet). */
  note(line: string): void {
    if (!this.json) this.io.stderr.write(`${line}\n`);
  }

  /** Ends the run: destroys the clients. */
  close(): void {
    this.loadedClients?.destroy();
  }

  private required(variable: string, flag: string): never {
    throw new ConfigurationError(variable, `is required: set it, or pass ${flag}`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
