/**
 * Command lines: each command declares its options (with their help), node's
 * `parseArgs` reads them strictly, and every mistake becomes a CommandLineError that
 * names the flag or argument at fault.
 */
import { parseArgs } from 'node:util';
import { CommandLineError } from '../shared/errors';

/** One option of a command. */
export interface OptionDefinition {
  readonly type: 'string' | 'boolean';
  /** A string option given several times collects every value. */
  readonly multiple?: boolean;
  readonly short?: string;
  /** The value's name in the help, e.g. `R` for `--region R`. */
  readonly value?: string;
  readonly help: string;
}

/** Options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', help: 'print one JSON document on stdout instead of text (no progress bar)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const satisfies Record<string, OptionDefinition>;

/** Options of commands that work on the table. */
export const TABLE_OPTIONS = {
  table: { type: 'string', value: 'NAME', help: 'the Concord table (default: CONCORD_TABLE)' },
  region: { type: 'string', value: 'R', help: 'the region to work in (default: AWS_REGION)' },
  rules: { type: 'string', value: 'MODULE', help: 'the rules module, .ts or .js (default: CONCORD_RULES, else the example rules)' },
  endpoint: { type: 'string', multiple: true, value: 'R=URL', help: 'the DynamoDB endpoint of region R (repeatable; default: AWS_ENDPOINT_URL_DYNAMODB, else AWS)' },
} as const satisfies Record<string, OptionDefinition>;

/** The parsed command line, read through typed accessors that reject malformed values. */
export class Arguments {
  constructor(
    private readonly values: Readonly<Record<string, string | boolean | string[] | undefined>>,
    readonly positionals: readonly string[],
  ) {}

  /** A boolean option. */
  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** A string option, or undefined when not given. */
  string(name: string): string | undefined {
    const value = this.values[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** Every value of a repeatable string option. */
  strings(name: string): readonly string[] {
    const value = this.values[name];
    return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
  }

  /**
   * A whole-number option within bounds.
   *
   * @throws CommandLineError naming the flag when the value is not a whole number in range
   */
  integer(name: string, fallback: number, min: number, max: number): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) throw new CommandLineError(`--${name}`, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return value;
  }

  /**
   * A number option within bounds.
   *
   * @throws CommandLineError naming the flag when the value is not a number in range
   */
  number(name: string, fallback: number, min: number, max: number): number {
    const text = this.string(name);
    if (text === undefined) return fallback;
    const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(value >= min && value <= max)) throw new CommandLineError(`--${name}`, `expected a number from ${min} to ${max}, got ${JSON.stringify(text)}`);
    return value;
  }

  /**
   * The positional argument at `index`.
   *
   * @throws CommandLineError naming the argument when it is missing
   */
  positional(index: number, name: string): string {
    const value = this.positionals[index];
    if (value === undefined) throw new CommandLineError(name, 'is missing');
    return value;
  }
}

/** What a command accepts. */
export interface CommandLineSpec {
  readonly options: Readonly<Record<string, OptionDefinition>>;
  /** How many positional arguments, and their names for messages (`<key>`). */
  readonly positionals: { readonly min: number; readonly max: number; readonly names: readonly string[] };
}

/**
 * Parses a command's arguments (flags as `--flag value` or `--flag=value`).
 *
 * @throws CommandLineError naming an unknown flag, a flag without its value, or a missing or extra argument
 * @example
 * const args = parseCommandLine(['CART#42', 'CART', '--json'], { options: { ...COMMON_OPTIONS }, positionals: { min: 1, max: 2, names: ['<key>'] } });
 * args.flag('json'); // true
 */
export function parseCommandLine(argv: readonly string[], spec: CommandLineSpec): Arguments {
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: toParseArgsOptions(spec.options), allowPositionals: true, strict: true });
  } catch (error) {
    throw commandLineErrorOf(error);
  }
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (values.help === true) return new Arguments(values, parsed.positionals);
  const { min, max, names } = spec.positionals;
  if (parsed.positionals.length < min) throw new CommandLineError(names[parsed.positionals.length] ?? '<argument>', 'is missing');
  if (parsed.positionals.length > max) throw new CommandLineError(JSON.stringify(parsed.positionals[max]), 'unexpected argument (quote a value that contains spaces)');
  return new Arguments(values, parsed.positionals);
}

function toParseArgsOptions(options: Readonly<Record<string, OptionDefinition>>): NonNullable<Parameters<typeof parseArgs>[0]>['options'] {
  const converted: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {};
  for (const [name, option] of Object.entries(options)) {
    converted[name] = { type: option.type, ...(option.multiple === true ? { multiple: true } : {}), ...(option.short === undefined ? {} : { short: option.short }) };
  }
  return converted;
}

/** node's parseArgs errors, turned into ones that name the flag. */
function commandLineErrorOf(error: unknown): CommandLineError {
  const message = error instanceof Error ? error.message : String(error);
  const flag = /'(-{1,2}[^'\s]+)/.exec(message)?.[1] ?? '<arguments>';
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new CommandLineError(flag, 'unknown flag (see --help)');
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new CommandLineError(flag, /argument missing/.test(message) ? 'needs a value' : 'takes no value');
  return new CommandLineError(flag, message);
}

/**
 * The help of a command: its usage line, what it does, and every option.
 *
 * @example
 * formatHelp('inspect', '<key> [options]', 'An item as an operator needs to see it.', options);
 */
export function formatHelp(command: string, usage: string, description: string, options: Readonly<Record<string, OptionDefinition>>): string {
  const rows = Object.entries(options).map(([name, option]) => {
    const flag = `${option.short === undefined ? '    ' : `-${option.short}, `}--${name}${option.value === undefined ? '' : ` ${option.value}`}`;
    return [flag, option.help] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length));
  const lines = rows.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`);
  return `usage: concord ${command} ${usage}\n\n${description}\n\noptions:\n${lines.join('\n')}\n`;
}
