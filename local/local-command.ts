/**
 * `npm run local`: flags, startup and what it prints, as functions that tests call
 * without spawning a process. ./start.ts only wires them to the process.
 */
import { resolve } from 'node:path';
import { formatExports, startLocalStack, type LocalStack } from './stack';

/** Fixed default ports, so the printed exports stay valid across restarts. */
export const DEFAULT_PORTS = { dynamodb: 8000, eventbridge: 8010, sqs: 8020, s3: 8030, logs: 8040 } as const;

/** The seed file read at startup, relative to the working directory. */
export const DEFAULT_SEED_FILE = 'events/seed.json';

export const LOCAL_USAGE = `usage: npm run local -- [--region R] [--audit-region R] [--port-dynamodb N] [--port-eventbridge N] [--port-sqs N] [--port-s3 N] [--port-logs N]
  --region R            region of the table, queue and regional audit bus (default us-east-1)
  --audit-region R      region of the central audit bus (default: --region)
  --port-dynamodb N     local DynamoDB port on 127.0.0.1 (default ${DEFAULT_PORTS.dynamodb}; 0 picks a free one)
  --port-eventbridge N  local EventBridge port (default ${DEFAULT_PORTS.eventbridge})
  --port-sqs N          local SQS port (default ${DEFAULT_PORTS.sqs})
  --port-s3 N           local S3 port (default ${DEFAULT_PORTS.s3})
  --port-logs N         local CloudWatch Logs port (default ${DEFAULT_PORTS.logs})`;

/** A command line that cannot be run; the program prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(readonly flag: string, reason: string) {
    super(`${flag}: ${reason}`);
  }
}

/** Parsed flags of `npm run local`. */
export interface LocalArgs {
  readonly region: string;
  readonly auditRegion: string;
  readonly ports: { readonly dynamodb: number; readonly eventbridge: number; readonly sqs: number; readonly s3: number; readonly logs: number };
  readonly help: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const PORT_FLAGS = { '--port-dynamodb': 'dynamodb', '--port-eventbridge': 'eventbridge', '--port-sqs': 'sqs', '--port-s3': 's3', '--port-logs': 'logs' } as const;

/**
 * Parses the flags (`--flag value` or `--flag=value`).
 *
 * @throws UsageError naming the flag and what is wrong with it
 * @example
 * parseLocalArgs(['--region', 'eu-west-1', '--port-sqs=0']);
 * // { region: 'eu-west-1', auditRegion: 'eu-west-1', ports: { dynamodb: 8000, eventbridge: 8010, sqs: 0, s3: 8030, logs: 8040 }, help: false }
 */
export function parseLocalArgs(argv: readonly string[]): LocalArgs {
  const ports: Record<keyof typeof DEFAULT_PORTS, number> = { ...DEFAULT_PORTS };
  let region = 'us-east-1';
  let auditRegion: string | undefined;
  let help = false;
  for (let index = 0; index < argv.length; index += 1) {
    const [flag = '', inline] = (argv[index] as string).split(/=(.*)/s, 2);
    if (flag === '--help' || flag === '-h') {
      help = true;
      continue;
    }
    const value = inline ?? argv[++index];
    if (flag in PORT_FLAGS) ports[PORT_FLAGS[flag as keyof typeof PORT_FLAGS]] = parsePort(flag, value);
    else if (flag === '--region') region = parseRegion(flag, value);
    else if (flag === '--audit-region') auditRegion = parseRegion(flag, value);
    else throw new UsageError(flag, 'unknown flag');
  }
  return { region, auditRegion: auditRegion ?? region, ports, help };
}

function parsePort(flag: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(flag, 'needs a port number');
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(flag, `expected a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  return port;
}

function parseRegion(flag: string, value: string | undefined): string {
  if (value === undefined) throw new UsageError(flag, 'needs a region');
  if (!REGION.test(value)) throw new UsageError(flag, `expected a region like us-east-1, got ${JSON.stringify(value)}`);
  return value;
}

/** Where the command writes: `out` for exports and JSON lines, `note` for remarks meant for a person. */
export interface LocalOutput {
  out(line: string): void;
  note(line: string): void;
}

/**
 * Starts the stack for parsed flags and prints the exports, then one JSON line per
 * event reaching the central bus (the lines `concord shadow --from-file` reads), per
 * quarantined message and per payload stored.
 *
 * @example
 * const stack = await runLocal(parseLocalArgs(['--port-dynamodb=0', '--port-eventbridge=0', '--port-sqs=0', '--port-s3=0']), { out: console.log, note: console.error });
 * await stack.close();
 */
export async function runLocal(args: LocalArgs, output: LocalOutput, seedFile = resolve(DEFAULT_SEED_FILE)): Promise<LocalStack> {
  const stack = await startLocalStack({
    region: args.region,
    auditRegion: args.auditRegion,
    ports: args.ports,
    seedFile,
    onCentralEvent: ({ event }) => output.out(JSON.stringify(event)),
    onQuarantined: (message) => output.out(JSON.stringify({ quarantined: { queue: message.queue.name, messageId: message.messageId, body: parseIfJson(message.body) } })),
    onPayload: (object) => output.out(JSON.stringify({ payloadStored: { bucket: object.bucket, key: object.key, bytes: object.body.length } })),
    onDropped: ({ bus, reason }) => output.note(`# warning: an event put to ${bus.name} (${bus.region}) was dropped: ${reason}`),
  });
  output.out(formatExports(stack.env).trimEnd());
  output.note(`# local stack up: table ${stack.env.CONCORD_TABLE} (${stack.seeded} items seeded), audit events print below as JSON lines; Ctrl-C stops`);
  return stack;
}

function parseIfJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
